// Run-time edits of the rules (model/semantics_names.hpp): their names, what
// they refuse, and what the concrete rules do under them.
#include <gtest/gtest.h>

#include <algorithm>

#include "model/semantics_names.hpp"
#include "model/tests/sim.hpp"

using namespace ptm;
using ptm::test::Sim;

namespace {

SemanticsMask mask(const std::string& name) {
  auto p = parse_semantics(name);
  EXPECT_TRUE(p.mask.has_value()) << name << ": " << p.error;
  return p.mask.value_or(0);
}
std::string error(const std::string& name) {
  auto p = parse_semantics(name);
  EXPECT_FALSE(p.mask.has_value()) << name << " was accepted";
  return p.error;
}

TEST(Edits, NamesRoundTripAndTheSameEditsGiveTheSameMask) {
  for (const char* n : {"seed-ATTACH_TRACED", "seed+ATTACH_TRACED=EPERM", "seed+ATTACH_TRACED<ATTACH_SELF",
                        "seed+ATTACH_SELF>ATTACH_TRACED", "modern-CANDEBUG_INEXEC_EBUSY",
                        "seed+inexec_ebusy-ATTACH_TRACED+NOT_YOURS=ESRCH"}) {
    const SemanticsMask m = mask(n);
    EXPECT_TRUE(has_edits(m)) << n;
    EXPECT_EQ(semantics_name(m), n);
    EXPECT_EQ(mask(n), m) << n;
  }
  EXPECT_NE(mask("seed-ATTACH_TRACED"), mask("seed-ATTACH_SELF"));
  // Deltas only: no edit set.
  EXPECT_EQ(mask("modern-inexec_ebusy"), kModern & ~(SemanticsMask{1} << D_INEXEC_EBUSY));
  EXPECT_FALSE(has_edits(mask("seed+inexec_ebusy")));
}

TEST(Edits, WhatCannotBeEditedIsRefusedWithTheReason) {
  EXPECT_NE(error("seed-NO_SUCH_CHECK").find("no check `NO_SUCH_CHECK`"), std::string::npos);
  EXPECT_NE(error("seed+ATTACH_TRACED=ENOENT").find("no errno `ENOENT`"), std::string::npos);
  EXPECT_NE(error("seed-ATTACH_ANCESTOR_LOOP").find("not a test the kernel makes"), std::string::npos);
  EXPECT_NE(error("seed+ATTACH_SELF<SETSID_PERM").find("not in one check list"), std::string::npos);
  EXPECT_NE(error("seed+PFIND>SYSTEM").find("cannot move past"), std::string::npos);
  EXPECT_NE(error("seed+CANSEE_UIDS<PFIND").find("cannot move past PFIND"), std::string::npos);
  EXPECT_NE(error("seed+ATTACH_SELF<ATTACH_TRACED").find("already comes just before"), std::string::npos);
  EXPECT_NE(error("seed-ATTACH_TRACED-ATTACH_TRACED").find("twice"), std::string::npos);
  EXPECT_NE(error("seed-CANDEBUG_INEXEC_EBUSY").find("delta inexec_ebusy's check"), std::string::npos);
  EXPECT_NE(error("modern-CANDEBUG_INEXEC").find("takes it out"), std::string::npos);
  EXPECT_NE(error("seed-inexec_ebusy").find("does not have"), std::string::npos);
  EXPECT_NE(error("seed+ATTACH_TRACED").find("a check is edited by"), std::string::npos);
  // The table-full check is the model's maxproc, not a test to take out.
  EXPECT_NE(error("seed-FORK_NOPROC").find("the model's maxproc"), std::string::npos);
}

// Every check the rules can decide by is in a list the census found, so a
// move between two checks of one list is never refused for want of it.
TEST(Edits, TheCensusFindsEveryCheckInOneList) {
  for (const auto& c : kChecks) {
    int lists = 0;
    for (const auto& l : check_lists()) lists += std::count(l.begin(), l.end(), c.index) > 0;
    EXPECT_EQ(lists, 1) << c.id;
  }
}

// D attaches C, which P traces (N = 6); C attaches itself.
struct Takeover {
  Outcome<Concrete> second, self;
  int c, d;
  Sim<> sim;
  explicit Takeover(SemanticsMask m) {
    SemanticsScope scope(m);
    const int p = sim.spawn(1001, 1001);
    d = sim.spawn(1001, 1001);
    c = sim.fork(p);
    EXPECT_TRUE(test::is_ok(sim.pt(p, PT_ATTACH, c)));
    second = sim.pt(d, PT_ATTACH, c);
    self = sim.pt(c, PT_ATTACH, c);
  }
};

TEST(Edits, TheConcreteRulesFollowEachEdit) {
  {
    Takeover t(0);
    EXPECT_TRUE(test::is_err(t.second, C_ATTACH_TRACED));
    EXPECT_TRUE(test::is_err(t.self, C_ATTACH_SELF));
  }
  {
    Takeover t(mask("seed-ATTACH_TRACED"));
    EXPECT_TRUE(test::is_ok(t.second));
    EXPECT_EQ(t.sim.proc(t.c).p_pptr, t.d);  // the second debugger has the tracee
    EXPECT_TRUE(test::is_err(t.self, C_ATTACH_SELF));
  }
  {
    Takeover t(mask("seed+ATTACH_TRACED=EPERM"));
    EXPECT_TRUE(test::is(t.second, K_ERR, BSD_EPERM, C_ATTACH_TRACED));
    EXPECT_TRUE(test::is_err(t.self, C_ATTACH_SELF));
  }
  {
    Takeover t(mask("seed+ATTACH_TRACED<ATTACH_SELF"));
    EXPECT_TRUE(test::is_err(t.second, C_ATTACH_TRACED));
    EXPECT_TRUE(test::is_err(t.self, C_ATTACH_TRACED));  // the traced caller meets ATTACH_TRACED first
  }
  {
    // Moved after, the same order again as before the move: ATTACH_SELF decides.
    Takeover t(mask("seed+ATTACH_TRACED<ATTACH_SELF+ATTACH_TRACED>ATTACH_SELF"));
    EXPECT_TRUE(test::is_err(t.self, C_ATTACH_SELF));
  }
  {
    // PFIND taken out: the lookup's NULL is dereferenced, a fault (CheckInfo::null_after).
    SemanticsScope scope(mask("seed-PFIND"));
    Sim<> sim;
    auto o = sim.pt(SLOT_INIT, PT_ATTACH, NOPROC, [](PtraceArgs<Concrete>& a) { a.pid = 77; });
    EXPECT_EQ(o.kind, K_FAULT);
    EXPECT_EQ(o.check, C_PFIND);
  }
}

}  // namespace
