// The audit's attacker-goal search (proofs/goal_search.hpp): the goals each
// check stands in the way of, found by searching the mutants as differences
// from the seed; that those differences give what a whole search of the
// mutant gives; and what decides a removed check's steps instead.
#include <gtest/gtest.h>

#include <set>

#include "proofs/audit.hpp"

namespace ptm::proofs {
namespace {

GoalLimits bounds(int search_procs, int complete_procs, int depth) {
  GoalLimits l;
  l.search_procs = search_procs;
  l.complete_procs = complete_procs;
  l.depth = depth;
  l.max_states = 200'000;
  l.mutant_states = 200'000;
  return l;
}

// Replays a witness under the rules in force; returns the last step's context pieces.
template <int N>
StepOf<Concrete, N> last_step(const Trace& t, State<Concrete, N>* pre) {
  State<Concrete, N> s = initial_state<Concrete, N>();
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    auto st = step_or_fault<N>(s, t[i].first, t[i].second);
    EXPECT_EQ(st.out.kind, K_OK) << "step " << i << " of the witness fails";
    s = st.next;
  }
  *pre = s;
  return step_or_fault<N>(s, t.back().first, t.back().second);
}

// Without ATTACH_TRACED a second process attaches a traced one: the tracee is
// taken from its tracer. The seed never does it; the mutant's witness replays
// (on the mutant), and the seed refuses its last step with that very check.
TEST(GoalSearch, AttachTracedGuardsTheTracee) {
  const auto g = search_goals({{C_ATTACH_TRACED}}, bounds(4, 2, 4), 2);
  const GoalCell cell{"GOAL_TAKE_TRACEE", "PT_ATTACH"};
  EXPECT_FALSE(g.seed.count(cell));
  for (const auto& [c, h] : g.seed) EXPECT_NE(c.first, "GOAL_TAKE_TRACEE") << c.second;
  ASSERT_EQ(g.mutants.size(), 1u);
  ASSERT_TRUE(g.mutants[0].reached.count(cell));
  const GoalHit& hit = g.mutants[0].reached.at(cell);
  EXPECT_TRUE(hit.direct);
  ASSERT_EQ(hit.witness.procs, 4);
  State<Concrete, 4> pre;
  {
    RemoveCheck removed(C_ATTACH_TRACED);
    const auto st = last_step<4>(hit.witness.trace, &pre);
    const Op op = hit.witness.trace.back().first;
    const Args<Concrete> a = hit.witness.trace.back().second;
    EXPECT_TRUE((GOAL_TAKE_TRACEE::reached<Concrete, 4>({pre, op, a, st.out, st.next})));
  }
  const auto seed = step_or_fault<4>(pre, hit.witness.trace.back().first, hit.witness.trace.back().second);
  EXPECT_EQ(seed.out.check, C_ATTACH_TRACED);
  EXPECT_EQ(seed.out.error, BSD_EBUSY);
  const auto gains = goal_gains(g, g.mutants[0]);
  bool credited = false;
  for (const auto& x : gains) credited = credited || x.cell == cell;
  EXPECT_TRUE(credited);
}

// Without SIGNAL_RANGE, PT_CONTINUE and PT_DETACH store a signal number past
// sigset_t in p_xstat (issignal() then writes outside the set). The seed does
// the same through PT_STEP only, which the check does not cover: the check is
// credited per operation.
TEST(GoalSearch, SignalRangeGuardsContinueAndDetach) {
  const auto g = search_goals({{C_SIGNAL_RANGE}}, bounds(3, 2, 5), 2);
  EXPECT_TRUE(g.seed.count({"GOAL_FAULT", "PT_STEP"}));
  EXPECT_FALSE(g.seed.count({"GOAL_FAULT", "PT_CONTINUE"}));
  EXPECT_FALSE(g.seed.count({"GOAL_FAULT", "PT_DETACH"}));
  std::set<std::string> ops;
  for (const auto& x : goal_gains(g, g.mutants[0]))
    if (x.cell.first == "GOAL_FAULT" && x.seed_procs == 0) ops.insert(x.cell.second);
  EXPECT_EQ(ops, (std::set<std::string>{"PT_CONTINUE", "PT_DETACH"}));
}

// Without pfind()'s NULL test, kern_ptrace goes on with p == NULL: the next
// line (p_cansee's p->p_ucred) dereferences it. One step, any request but PT_TRACE_ME.
TEST(GoalSearch, PfindMutantFaults) {
  const auto g = search_goals({{C_PFIND}}, bounds(2, 2, 1), 1);
  const GoalCell cell{"GOAL_FAULT", "PT_ATTACH"};
  ASSERT_TRUE(g.mutants[0].reached.count(cell));
  const auto& t = g.mutants[0].reached.at(cell).witness.trace;
  ASSERT_EQ(t.size(), 1u);
  RemoveCheck removed(C_PFIND);
  State<Concrete, 2> pre;
  const auto st = last_step<2>(t, &pre);
  EXPECT_EQ(st.out.kind, K_FAULT);
  EXPECT_EQ(st.out.check, C_PFIND);
  EXPECT_FALSE(g.mutants[0].reached.count({"GOAL_FAULT", "PT_TRACE_ME"}));  // no pfind there
}

// The mutants are searched as differences from the seed. What that finds is
// what a whole search of the mutant finds: the same (goal, operation) cells.
TEST(GoalSearch, DifferencesFindWhatAWholeSearchFinds) {
  // PFIND and PTRACE_COPYIN decide GOAL_DETECT_HIDDEN's probe (a request
  // for a pid no process has); CANSEE_UIDS reaches that goal.
  for (int c : {C_NOT_STOPPED, C_ATTACH_SELF, C_NOT_TRACED, C_PFIND, C_CANSEE_UIDS, C_PTRACE_COPYIN}) {
    const GoalLimits lim = bounds(3, 2, 4);
    const auto diff = search_goals({{c}}, lim, 2);
    std::set<GoalCell> by_difference;
    for (const auto& [cell, h] : diff.seed) by_difference.insert(cell);
    for (const auto& [cell, h] : diff.mutants[0].reached) by_difference.insert(cell);
    ASSERT_FALSE(diff.mutants[0].budget_hit);
    for (const auto& l : diff.legs) ASSERT_NE(l.stopped, "state budget");
    GoalSearch whole;
    {
      RemoveCheck removed(c);
      whole = search_goals({}, lim, 2);
    }
    std::set<GoalCell> by_whole;
    for (const auto& [cell, h] : whole.seed) by_whole.insert(cell);
    EXPECT_EQ(by_difference, by_whole) << kChecks[c].id;
    if (c != C_PTRACE_COPYIN) {
      EXPECT_FALSE(diff.mutants[0].reached.empty()) << kChecks[c].id << ": nothing to compare";
    }
  }
}

// What decides a removed check's steps instead: without NOT_YOURS, a request
// by a process that is not the tracer is refused, nearly always, by the next
// check (NOT_STOPPED: the target is not stopped for it).
TEST(GoalSearch, TakeoverNamesTheNextCheck) {
  const auto g = search_goals({{C_NOT_YOURS}}, bounds(3, 2, 4), 2);
  ASSERT_TRUE(g.takeover.count(C_NOT_YOURS));
  EXPECT_EQ(takeover_check(g.takeover.at(C_NOT_YOURS)), C_NOT_STOPPED);
}

}  // namespace
}  // namespace ptm::proofs
