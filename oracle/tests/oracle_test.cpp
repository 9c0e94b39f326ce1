// The oracle set: every case replays on model and impl with the expectations it
// carries, and its last step is what it says it covers; the coverage table
// names a reason for everything it does not cover.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "scn/run.hpp"
#include "oracle/formats.hpp"
#include "oracle/labels.hpp"

namespace ptm::oracle {
namespace {

const OracleSet& set3() {
  static const OracleSet s = [] {
    Options o;
    o.procs = 3;
    o.max_depth = 6;
    return generate(o);
  }();
  return s;
}

TEST(Oracle, EveryCaseReplaysOnModelAndImpl) {
  const auto& set = set3();
  ASSERT_GE(set.cases.size(), 20u);
  for (const auto& c : set.cases) {
    SCOPED_TRACE(c.id);
    std::ostringstream out;
    auto sc = scn::parse(c.id + ".scn", case_scenario(set, c, "seed"));
    EXPECT_EQ(sc.procs, 3);
    auto r = scn::run_scenario(sc, out, {.quiet = true});
    EXPECT_EQ(r.failures, 0) << out.str();
    EXPECT_EQ(r.divergence, 0) << out.str();
    // Every step carries an expectation (the writer fills them all in).
    for (const auto& l : sc.lines) EXPECT_NE(l.expect.what, scn::Expect::NONE) << l.text;
  }
}

TEST(Oracle, EachCaseEndsWithWhatItCovers) {
  const auto& set = set3();
  for (const auto& c : set.cases) {
    SCOPED_TRACE(c.id);
    auto s = initial_state<Concrete, 3>();
    for (std::size_t k = 0; k + 1 < c.trace.size(); ++k) s = concrete_step<3>(s, c.trace[k].first, c.trace[k].second).next;
    const auto& [op, a] = c.trace.back();
    auto st = concrete_step<3>(s, op, a);
    std::vector<int> ids;
    labels<3>(StepCtx<Concrete, 3>{s, op, a, st.out, st.next}, ids);
    std::vector<std::string> got;
    for (int id : ids) got.push_back(label_name(id));
    for (const auto& l : c.covers) EXPECT_NE(std::find(got.begin(), got.end(), l), got.end()) << l;
  }
}

TEST(Oracle, CoversTheChecksOfTheRequests) {
  const auto& set = set3();
  auto covered = [&](const std::string& label) {
    for (const auto& r : set.coverage)
      if (r.label == label) return !r.case_id.empty();
    ADD_FAILURE() << "no row " << label;
    return false;
  };
  for (const char* l : {"check PFIND of ptrace PT_ATTACH", "check ATTACH_SELF of ptrace PT_ATTACH",
                        "check ATTACH_TRACED of ptrace PT_ATTACH", "check SYSTEM of ptrace PT_ATTACH",
                        "check NOT_TRACED of ptrace PT_CONTINUE", "check NOT_STOPPED of ptrace PT_DETACH",
                        "check SIGNAL_RANGE of ptrace PT_CONTINUE", "check CANDEBUG_CRED of ptrace PT_ATTACH",
                        "outcome fault of exit", "outcome ok of ptrace PT_KILL"})
    EXPECT_TRUE(covered(l)) << l;
  for (const auto& r : set.coverage)
    if (r.case_id.empty()) {
      EXPECT_FALSE(r.reason.empty()) << r.label;
    }
  EXPECT_FALSE(set.effects.empty());
}

TEST(Oracle, JsonHasOneObjectPerCase) {
  const auto& set = set3();
  auto j = to_json(set, "seed");
  ASSERT_EQ(j["cases"].size(), set.cases.size());
  for (const auto& c : j["cases"]) {
    ASSERT_FALSE(c["steps"].empty());
    for (const auto& s : c["steps"]) EXPECT_TRUE(s["expect"].contains("kind"));
  }
}

}  // namespace
}  // namespace ptm::oracle
