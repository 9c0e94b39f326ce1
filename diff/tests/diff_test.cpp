// `ptmodel diff` finds exactly the behaviour a delta changes: the kinds Z3
// lists for several deltas, against what each delta's file says it does.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <tuple>

#include "scn/run.hpp"
#include "scn/scenario_writer.hpp"
#include "diff/diff.hpp"
#include "model/goals.hpp"
#include "model/semantics_names.hpp"

using namespace ptm;

namespace {

using OutcomeKind = std::tuple<std::string, int, int, int, int>;  // op, kind A, errno A, kind B, errno B

diff::Report kinds_of(SemanticsMask b, int procs = 3) {
  diff::Options o;
  o.procs = procs;
  o.searches = false;
  return diff::run(0, b, o);
}

std::set<OutcomeKind> outcome_kinds(const diff::Report& r) {
  std::set<OutcomeKind> s;
  for (const auto& k : r.kinds)
    if (k.outcome) s.insert({k.op, k.kind_a, k.err_a, k.kind_b, k.err_b});
  return s;
}
std::set<std::pair<std::string, std::string>> field_kinds(const diff::Report& r) {
  std::set<std::pair<std::string, std::string>> s;
  for (const auto& k : r.kinds)
    if (!k.outcome && k.goal.empty()) s.insert({k.op, k.field});
  return s;
}
using GoalKind = std::tuple<std::string, std::string, bool>;  // op, goal, reached under B (not A)
std::set<GoalKind> goal_kinds(const diff::Report& r) {
  std::set<GoalKind> s;
  for (const auto& k : r.kinds)
    if (!k.goal.empty()) s.insert({k.op, k.goal, k.goal_under_b});
  return s;
}
SemanticsMask only(DeltaId d) { return SemanticsMask{1} << d; }
bool sanitized() { return std::getenv("PTMODEL_SANITIZED") != nullptr; }

const diff::EveryNRow* every_n_row(const diff::Report& r, const std::string& op) {
  for (const auto& e : r.every_n)
    if (e.op == op) return &e;
  return nullptr;
}

TEST(Diff, SeedAgainstItselfHasNoKinds) {
  auto r = kinds_of(0);
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_TRUE(r.kinds.empty());
  // For every N: the same rules, operation by operation.
  EXPECT_EQ(r.every_n.size(), all_operations().size());
  for (const auto& e : r.every_n) EXPECT_EQ(e.verdict, diff::EveryNRow::SAME_RULES) << e.op;
}

TEST(Diff, TraceMeRefusalsChangesOnlyPtTraceMeSuccesses) {
  auto r = kinds_of(only(D_TRACE_ME_REFUSALS));
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_EQ(outcome_kinds(r), (std::set<OutcomeKind>{{"PT_TRACE_ME", K_OK, 0, K_ERR, BSD_EBUSY},
                                                      {"PT_TRACE_ME", K_OK, 0, K_ERR, BSD_EPERM}}));
  EXPECT_TRUE(field_kinds(r).empty());
}

TEST(Diff, InexecEbusyTurnsEveryEagainOfPtraceIntoEbusy) {
  auto r = kinds_of(only(D_INEXEC_EBUSY));
  EXPECT_TRUE(r.unknown.empty());
  std::set<OutcomeKind> want;
  const char* reqs[] = {"PT_READ_I",  "PT_READ_D",  "PT_WRITE_I",   "PT_WRITE_D",   "PT_IO",        "PT_CONTINUE",
                        "PT_STEP",    "PT_KILL",    "PT_ATTACH",    "PT_DETACH",    "PT_GETREGS",   "PT_SETREGS",
                        "PT_GETFPREGS", "PT_SETFPREGS", "PT_GETDBREGS", "PT_SETDBREGS", "ptrace 99"};
  for (const char* q : reqs) want.insert({q, K_ERR, BSD_EAGAIN, K_ERR, BSD_EBUSY});
  EXPECT_EQ(outcome_kinds(r), want);  // not PT_TRACE_ME: p_candebug exempts the caller itself
  EXPECT_TRUE(field_kinds(r).empty());
}

TEST(Diff, AttachClearsSigStopChangesOnlyTheStateAfterPtAttach) {
  auto r = kinds_of(only(D_ATTACH_CLEARS_SIG_STOP));
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_TRUE(outcome_kinds(r).empty());
  EXPECT_EQ(field_kinds(r), (std::set<std::pair<std::string, std::string>>{
                                {"PT_ATTACH", "P_WAITED"}, {"PT_ATTACH", "p_siglist"}, {"PT_ATTACH", "p_xstat"}}));
}

// With the searches: the one kind, its witness replays under both semantics, and XSTAT_VALID is repaired.
// Under the sanitizers (.bazelrc, sanitize) the searches stop at 20,000 states
// (instrumented, the full space takes two minutes): the witness (5 steps) and
// the violation under A are found within that; that B repairs it needs the
// whole space.

TEST(Diff, ResumeSignalRangeRefusesPtStepWithABadSignalAndRepairsXstatValid) {
  diff::Options o;
  o.procs = 3;
  if (sanitized()) o.max_states = 20'000;
  const SemanticsMask b = only(D_RESUME_SIGNAL_RANGE);
  auto r = diff::run(0, b, o);
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_FALSE(r.unexpected.has_value());
  EXPECT_EQ(outcome_kinds(r), (std::set<OutcomeKind>{{"PT_STEP", K_OK, 0, K_ERR, BSD_EINVAL}}));
  EXPECT_TRUE(field_kinds(r).empty());
  // The seed's PT_STEP leaves the bad signal in p_xstat, which issignal() will write past sigset_t.
  EXPECT_EQ(goal_kinds(r), (std::set<GoalKind>{{"PT_STEP", "GOAL_FAULT", false}}));
  ASSERT_EQ(r.kinds.size(), 2u);
  ASSERT_TRUE(r.kinds[0].outcome);
  ASSERT_TRUE(r.kinds[0].witness.has_value());
  EXPECT_EQ(r.kinds[0].witness_procs, 3);
  const auto& w = *r.kinds[0].witness;
  // Every step but the last agrees; the last differs as listed.
  for (SemanticsMask m : {SemanticsMask{0}, b}) {
    SemanticsScope s(m);
    auto st = initial_state<Concrete, 3>();
    for (std::size_t i = 0; i < w.size(); ++i) {
      auto out = concrete_step<3>(st, w[i].first, w[i].second);
      if (i + 1 < w.size()) {
        st = out.next;
      } else {
        EXPECT_EQ(out.out.kind, m == 0 ? K_OK : K_ERR);
      }
    }
  }
  bool violated_a = false, repaired = false;
  for (const auto& p : r.properties)
    if (p.id == "XSTAT_VALID") violated_a = p.violated_a, repaired = p.violated_a && !p.violated_b;
  EXPECT_TRUE(violated_a);
  if (sanitized()) {
    EXPECT_FALSE(r.explore_a.complete || r.explore_b.complete);  // the bound was reached
  } else {
    EXPECT_TRUE(repaired);
    EXPECT_TRUE(r.explore_a.complete && r.explore_b.complete);
  }
}

// Run-time edits: the symbolic step follows them, so Z3 lists exactly what each changes.
SemanticsMask edited(const std::string& name) {
  auto p = parse_semantics(name);
  EXPECT_TRUE(p.mask.has_value()) << p.error;
  return p.mask.value_or(0);
}

TEST(Diff, RemovingAttachTracedLetsPtAttachSucceedOnATracedProcess) {
  auto r = kinds_of(edited("seed-ATTACH_TRACED"));
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_EQ(outcome_kinds(r), (std::set<OutcomeKind>{{"PT_ATTACH", K_ERR, BSD_EBUSY, K_OK, 0}}));
  EXPECT_TRUE(field_kinds(r).empty());
}

// A second debugger takes the tracee: a goal kind. Z3 lists it at N = 3 already
// (from a state that satisfies the invariants but no run reaches: a tracee of
// proc0), and the growing search finds its witness at N = 4, where a second
// debugger exists, after the searches at N = 2 and 3 found none.
TEST(Diff, WithoutAttachTracedASecondDebuggerTakesTheTraceeAtFourProcesses) {
  diff::Options o;
  o.procs = 4;
  o.property_procs = 2;  // the verdicts are not what this test is about
  // The witness at N = 4 is within 20,000 states (the command's default is
  // 2,000,000); instrumented, the search stops there.
  o.max_states = sanitized() ? 20'000 : 50'000;
  const SemanticsMask b = edited("seed-ATTACH_TRACED");
  auto r = diff::run(0, b, o);
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_FALSE(r.unexpected.has_value());
  const diff::Kind* take = nullptr;
  for (const auto& k : r.kinds)
    if (k.goal == "GOAL_TAKE_TRACEE") take = &k;
  ASSERT_NE(take, nullptr);
  EXPECT_TRUE(take->goal_under_b);
  EXPECT_EQ(take->op, "PT_ATTACH");
  EXPECT_LE(take->procs, 4);
  ASSERT_TRUE(take->witness.has_value());
  EXPECT_EQ(take->witness_procs, 4);
  // Replayed: every step but the last agrees; the last takes the tracee under B only.
  auto st = initial_state<Concrete, 4>();
  const auto& w = *take->witness;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) st = concrete_step<4>(st, w[i].first, w[i].second).next;
  for (SemanticsMask m : {SemanticsMask{0}, b}) {
    SemanticsScope s(m);
    auto last = concrete_step<4>(st, w.back().first, w.back().second);
    StepCtx<Concrete, 4> c{st, w.back().first, w.back().second, last.out, last.next};
    const bool taken = GOAL_TAKE_TRACEE::reached<Concrete, 4>(c);
    EXPECT_EQ(taken, m == b);
  }
}

TEST(Diff, AnotherErrnoForAttachTracedChangesOnlyThatErrno) {
  auto r = kinds_of(edited("seed+ATTACH_TRACED=EPERM"));
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_EQ(outcome_kinds(r), (std::set<OutcomeKind>{{"PT_ATTACH", K_ERR, BSD_EBUSY, K_ERR, BSD_EPERM}}));
  EXPECT_TRUE(field_kinds(r).empty());
  // For every N: PT_ATTACH's rules differ, and the one kind is all there is at
  // any table size; every other operation has the same rules.
  for (const auto& e : r.every_n) {
    if (e.op == "PT_ATTACH")
      EXPECT_EQ(e.verdict, diff::EveryNRow::COMPLETE) << e.reason;
    else
      EXPECT_EQ(e.verdict, diff::EveryNRow::SAME_RULES) << e.op;
  }
}

// A list made at too small a table is not called complete for every N.
// Without ATTACH_TRACED, PT_ATTACH of a traced process goes on to the
// ancestor walk, which hangs when the caller's parents form a cycle: a cycle
// of two user processes, a third one traced, five slots in all. At N = 2..4
// that kind is not listed, and the check for a table of any size leaves
// PT_ATTACH open; at N = 2..5 it is listed, and the list is proved complete
// for a table of any size.
TEST(Diff, AListMissingAKindOfFiveProcessesIsOpenForEveryNAndCompleteAtFive) {
  auto with = [](int procs) {
    diff::Options o;
    o.procs = procs;
    o.searches = false;
    o.every_n_timeout_ms = 10'000;  // far from the times seen (under 3 s), for a loaded machine
    return diff::run(0, edited("seed-ATTACH_TRACED"), o);
  };
  const OutcomeKind hang{"PT_ATTACH", K_ERR, BSD_EBUSY, K_HANG, 0};
  auto four = with(4);
  EXPECT_TRUE(four.unknown.empty());
  EXPECT_EQ(outcome_kinds(four).count(hang), 0u);
  const diff::EveryNRow* open = every_n_row(four, "PT_ATTACH");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->verdict, diff::EveryNRow::OPEN);
  EXPECT_EQ(open->open, std::vector<std::string>{"outcome"});
  EXPECT_FALSE(open->contradicts);

  auto five = with(5);
  EXPECT_TRUE(five.unknown.empty());
  EXPECT_EQ(outcome_kinds(five).count(hang), 1u);
  for (const auto& k : five.kinds)
    if (k.outcome && k.kind_b == K_HANG) {
      EXPECT_EQ(k.procs, 5);
    }
  const diff::EveryNRow* done = every_n_row(five, "PT_ATTACH");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->verdict, diff::EveryNRow::COMPLETE) << done->reason;
  for (const auto& e : five.every_n)
    if (e.op != "PT_ATTACH") {
      EXPECT_EQ(e.verdict, diff::EveryNRow::SAME_RULES) << e.op;
    }
}

TEST(Diff, MovingAttachTracedBeforeAttachSelfDecidesATracedSelfAttach) {
  auto r = kinds_of(edited("seed+ATTACH_TRACED<ATTACH_SELF"));
  EXPECT_TRUE(r.unknown.empty());
  EXPECT_EQ(outcome_kinds(r), (std::set<OutcomeKind>{{"PT_ATTACH", K_ERR, BSD_EINVAL, K_ERR, BSD_EBUSY}}));
  EXPECT_TRUE(field_kinds(r).empty());
}

TEST(Diff, AnEditComposesWithDeltas) {
  // modern gives P_INEXEC EBUSY; taking that check out of modern lets the
  // request go on where modern refused (with EBUSY), for every ptrace request but PT_TRACE_ME.
  auto r = diff::run(kModern, edited("modern-CANDEBUG_INEXEC_EBUSY"), [] {
    diff::Options o;
    o.procs = 3;
    o.searches = false;
    return o;
  }());
  EXPECT_TRUE(r.unknown.empty());
  ASSERT_FALSE(r.kinds.empty());
  for (const auto& k : r.kinds) {
    if (!k.goal.empty()) continue;
    EXPECT_TRUE(k.outcome);
    EXPECT_EQ(k.kind_a, K_ERR);
    EXPECT_EQ(k.err_a, BSD_EBUSY);
    EXPECT_NE(k.op, "PT_TRACE_ME");
  }
}

}  // namespace
