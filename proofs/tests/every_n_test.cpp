// Proofs for a table of any size (proofs/every_n.hpp): what they prove, and
// that a broken rule is not proved. Each expectation could fail: the initial
// state is checked for every N by Z3, and a check taken out (as the audit's
// mutants take it) must lose the proof it carried.
#include <gtest/gtest.h>

#include <cstdlib>

#include "proofs/every_n.hpp"
#include "proofs/verify.hpp"

namespace ptm::proofs {
namespace {

auto only(const std::string& property) {
  return [property](const Obligation& ob) { return ob.property == property; };
}
Verdict prove(Req req, const std::string& property) {
  const Op op{OP_PTRACE, req};
  auto r = prove_every_n_operation(op, operation_name(op), only(property), 10000);
  EXPECT_EQ(r.size(), 1u);
  return r.empty() ? UNKNOWN : r[0].verdict;
}

// A check taken out for the duration of a scope (check_removed() reads it).
struct Without {
  int check;
  explicit Without(int c) : check(c) { g_removed_checks[c] = true; }
  ~Without() { g_removed_checks[check] = false; }
};

TEST(EveryN, TheInitialStateKeepsEveryStatedPropertyAndInvariantAtEverySize) {
  auto rs = initial_every_n(20000);
  // The stated state properties (TREE_ACYCLIC is not stated) and the 9 invariants.
  EXPECT_EQ(rs.size(), 5u + 9u);
  for (const auto& r : rs) EXPECT_EQ(r.verdict, PROVED) << r.ob.property << ": " << r.reason << " " << r.cti;
}

TEST(EveryN, AttachNeverTracesASystemProcessAtAnySize) {
  EXPECT_EQ(prove(PT_ATTACH, "SYSTEM_UNTRACED"), PROVED);
  Without w(C_SYSTEM);
  EXPECT_NE(prove(PT_ATTACH, "SYSTEM_UNTRACED"), PROVED);
}

TEST(EveryN, TraceMeKeepsEveryInvariantAtAnySize) {
  const Op op{OP_PTRACE, PT_TRACE_ME};
  auto rs = prove_every_n_operation(op, "PT_TRACE_ME", [](const Obligation& ob) { return ob.invariant; }, 20000);
  EXPECT_EQ(rs.size(), 9u);
  for (const auto& r : rs) EXPECT_EQ(r.verdict, PROVED) << r.ob.property << ": " << r.reason << " " << r.cti;
}

TEST(EveryN, WithoutTheSystemCheckInitCanTraceItself) {
  // PT_TRACE_ME acts on the caller; the P_SYSTEM check (seed 434-440) is what
  // keeps init from being traced. Without it the obligation is not proved (a
  // counterexample, or unknown: a model of quantified invariants is hard for
  // the solver to build in the time it has).
  const Op op{OP_PTRACE, PT_TRACE_ME};
  EXPECT_EQ(prove_every_n_operation(op, "PT_TRACE_ME", only("SYSTEM_UNTRACED"), 5000).at(0).verdict, PROVED);
  Without w(C_SYSTEM);
  auto rs = prove_every_n_operation(op, "PT_TRACE_ME", only("SYSTEM_UNTRACED"), 5000);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_NE(rs[0].verdict, PROVED) << rs[0].reason;
}

// verify --recheck-cvc5: a proof Z3 makes is checked again by cvc5 on the
// same assertions, where cvc5 can read them. PT_TRACE_ME changes one slot (a
// store): cvc5 re-proves its invariant. The initial state of any size is made
// by mapping over the table (array lambdas): cvc5 cannot read those, and the
// results say so.
TEST(EveryN, Cvc5ReChecksTheProofsItCanRead) {
  if (std::system("command -v cvc5 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no cvc5 here (./run-tests installs it)";
  recheck_with_cvc5(true);
  const Op trace_me{OP_PTRACE, PT_TRACE_ME};
  auto rs = prove_every_n_operation(trace_me, "PT_TRACE_ME", only("INV_PIDS_DISTINCT"), 20000);
  auto init = initial_every_n(20000);
  recheck_with_cvc5(false);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].verdict, PROVED) << rs[0].reason;
  EXPECT_EQ(rs[0].second, "unsat");
  ASSERT_FALSE(init.empty());
  for (const auto& r : init) {
    EXPECT_EQ(r.verdict, PROVED) << r.ob.property;
    EXPECT_EQ(r.second, "lambda") << r.ob.property;
  }
  // Off, nothing is re-checked.
  auto off = prove_every_n_operation(trace_me, "PT_TRACE_ME", only("INV_PIDS_DISTINCT"), 20000);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_TRUE(off[0].second.empty());
}

TEST(EveryN, WaitAndForkRunOnATableOfAnySize) {
  // The children scan of wait4() and the pid allocation of fork1() as
  // combinators: a zombie's report keeps the table consistent for every N.
  for (OpKind k : {OP_WAIT, OP_FORK}) {
    const Op op{k};
    auto rs = prove_every_n_operation(op, operation_name(op), only("INV_PIDS_DISTINCT"), 20000);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].verdict, PROVED) << operation_name(op) << ": " << rs[0].reason;
  }
}

TEST(EveryN, OnlyTreeAcyclicIsNotStated) {
  EXPECT_FALSE(stated_for_every_n("TREE_ACYCLIC"));
  EXPECT_TRUE(stated_for_every_n("SYSTEM_UNTRACED"));
}

// The cross-check of verify: an obligation proved for every N that has a
// counterexample to induction at some N, or an initial state proved for every
// N that breaks the property at some N, is reported.
TEST(EveryN, TheCrossCheckReportsAProofForEveryNThatABoundedCounterexampleContradicts) {
  auto result = [](const std::string& op, const std::string& prop, Verdict v) {
    Result r;
    r.ob = Obligation{Op{OP_PTRACE, PT_ATTACH}, op, prop, false};
    r.verdict = v;
    return r;
  };
  VerifyReport rep;
  rep.every_n = {result("PT_ATTACH", "SYSTEM_UNTRACED", PROVED), result("PT_DETACH", "TREE_ACYCLIC", CTI)};
  rep.every_n_initial = {result("initial", "NO_ORPHAN", PROVED)};
  rep.results[2] = {result("PT_ATTACH", "SYSTEM_UNTRACED", PROVED), result("PT_DETACH", "TREE_ACYCLIC", CTI)};
  rep.results[3] = {result("PT_ATTACH", "SYSTEM_UNTRACED", PROVED), result("PT_DETACH", "TREE_ACYCLIC", CTI)};
  cross_check(rep, {{2, {}}, {3, {}}});
  EXPECT_EQ(rep.cross_checked, 4);  // PT_ATTACH at 2 and 3, the initial state at 2 and 3
  EXPECT_TRUE(rep.disagreements.empty());

  VerifyReport bad = rep;
  bad.cross_checked = 0;
  bad.results[3][0].verdict = CTI;
  cross_check(bad, {{2, {}}, {3, {"NO_ORPHAN"}}});
  ASSERT_EQ(bad.disagreements.size(), 2u);
  EXPECT_NE(bad.disagreements[0].find("PT_ATTACH preserves SYSTEM_UNTRACED for every N"), std::string::npos);
  EXPECT_NE(bad.disagreements[1].find("breaks it at N = 3"), std::string::npos);
}

}  // namespace
}  // namespace ptm::proofs
