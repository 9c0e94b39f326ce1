// Runs every scenario under scenarios/ on the model: each expectation (outcome,
// state facts, violated properties) must hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "scn/run.hpp"
#include "model/semantics_names.hpp"

namespace fs = std::filesystem;

namespace {

// scenarios/freebsd/ holds FreeBSD's own assertions, not the model's: those
// files have their own test below.
bool from_freebsd(const std::string& f) { return f.find("/freebsd/") != std::string::npos; }

std::vector<std::string> scenario_files(bool freebsd = false) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator("scenarios"))
    if (e.path().extension() == ".scn" && from_freebsd(e.path().string()) == freebsd) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Scenarios, EveryBundledScenarioMeetsItsExpectations) {
  auto files = scenario_files();
  ASSERT_GE(files.size(), 20u) << "scenario files missing from the test's data";
  int steps = 0;
  for (const auto& f : files) {
    std::ostringstream out;
    auto sc = ptm::scn::parse_file(f);
    auto r = ptm::scn::run_scenario(sc, out, {.quiet = true});
    steps += static_cast<int>(r.steps.size());
    EXPECT_EQ(r.failures, 0) << out.str();
    EXPECT_EQ(r.divergence, 0) << f << ": model and impl diverge\n" << out.str();
  }
  EXPECT_GT(steps, 300);
}

// A scenario with `-> [SEM] ...` expectations runs under each semantics it
// names, on model and impl: scenarios/deltas/ shows each delta this way.
TEST(Scenarios, EverySemanticsAScenarioNamesMeetsItsExpectations) {
  int runs = 0;
  for (const auto& f : scenario_files()) {
    auto sc = ptm::scn::parse_file(f);
    for (ptm::SemanticsMask m : sc.semantics) {
      ptm::SemanticsScope under(m);
      std::ostringstream out;
      auto r = ptm::scn::run_scenario(sc, out, {.quiet = true});
      EXPECT_EQ(r.failures, 0) << f << " under " << ptm::semantics_name(m) << "\n" << out.str();
      EXPECT_EQ(r.divergence, 0) << f << " under " << ptm::semantics_name(m) << ": model and impl diverge\n" << out.str();
      ++runs;
    }
  }
  EXPECT_GE(runs, 2 * ptm::D_COUNT) << "each delta's scenario names the seed and the delta";
}

// The rule for deltas: each has scenarios/deltas/NAME.scn, which names the
// seed and `seed+NAME` in its `[SEM]` expectations (docs/semantics-changes.md).
TEST(Scenarios, EveryDeltaHasItsScenario) {
  for (const auto& d : ptm::kDeltas) {
    std::string file;
    for (const auto& f : scenario_files())
      if (f.ends_with("/deltas/" + std::string(d.name) + ".scn")) file = f;
    ASSERT_FALSE(file.empty()) << "delta " << d.name << " has no scenarios/deltas/" << d.name << ".scn";
    auto sc = ptm::scn::parse_file(file);
    const ptm::SemanticsMask own = ptm::SemanticsMask{1} << d.id;
    EXPECT_NE(std::find(sc.semantics.begin(), sc.semantics.end(), ptm::SemanticsMask{0}), sc.semantics.end()) << file;
    EXPECT_NE(std::find(sc.semantics.begin(), sc.semantics.end(), own), sc.semantics.end()) << file;
  }
}

// Every finding asserts at least one violated property: that is what makes it a finding.
TEST(Scenarios, EveryFindingNamesThePropertiesItBreaks) {
  for (const auto& f : scenario_files()) {
    if (f.find("/findings/") == std::string::npos) continue;
    auto sc = ptm::scn::parse_file(f);
    bool names_one = std::any_of(sc.lines.begin(), sc.lines.end(),
                                 [](const auto& l) { return !l.expect.violates.empty(); });
    EXPECT_TRUE(names_one) << f;
  }
}

// FreeBSD's ptrace_test.c, translated (scenarios/freebsd/, docs/freebsd-tests.md):
// under the newest semantics each file fails exactly the expectations
// scenarios/freebsd/DISAGREEMENTS lists, each with a cause it defines, and
// model and impl agree on every step.
TEST(Scenarios, FreeBsdTestsDisagreeExactlyWhereListed) {
  using Where = std::tuple<std::string, int>;
  std::set<Where> listed, failed;
  std::set<std::string> causes;
  std::ifstream in("scenarios/freebsd/DISAGREEMENTS");
  ASSERT_TRUE(in) << "scenarios/freebsd/DISAGREEMENTS missing from the test's data";
  std::string text;
  while (std::getline(in, text)) {
    std::istringstream l(text);
    std::string first, second;
    l >> first >> second;
    if (first == "#" && second.size() == 2 && second[0] == 'R') causes.insert(second);
    if (first.empty() || first[0] == '#') continue;
    std::string cause;
    l >> cause;
    EXPECT_TRUE(causes.count(cause)) << text << ": a cause the file does not define";
    listed.insert({first, std::stoi(second)});
  }
  const auto files = scenario_files(true);
  ASSERT_GE(files.size(), 12u);
  ptm::SemanticsScope newest(ptm::kModern);
  for (const auto& f : files) {
    std::ostringstream out;
    const auto sc = ptm::scn::parse_file(f);  // the records point into it
    auto r = ptm::scn::run_scenario(sc, out, {.quiet = true});
    EXPECT_EQ(r.divergence, 0) << f << ": model and impl diverge\n" << out.str();
    for (const auto& st : r.steps)
      if (st.expectation_failed) failed.insert({fs::path(f).filename().string(), st.line->line});
  }
  for (const auto& [f, line] : failed)
    EXPECT_TRUE(listed.count({f, line})) << f << ":" << line << " fails and is not in DISAGREEMENTS";
  for (const auto& [f, line] : listed)
    EXPECT_TRUE(failed.count({f, line})) << f << ":" << line << " is in DISAGREEMENTS and holds now";
}

}  // namespace
