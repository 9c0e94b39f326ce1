// The property predicates: each is false where it should be (a seed behaviour
// that breaks it, or a hand-made state for the ones the seed keeps) and true on
// an ordinary run. Whether the seed keeps a property is reported, not fixed.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "model/tests/sim.hpp"

namespace ptm::test {
namespace {

using D = Concrete;
using M = Sim<6, true>;

// The properties that fail on the step `do_step` takes (state properties on its post-state).
template <class F>
std::set<std::string> failing_after(M& m, F&& do_step) {
  auto pre = m.s;
  Op op{};
  Args<D> args = default_args<D>();
  do_step(m, op, args);
  std::set<std::string> out;
  StepCtx<D, 6> c{pre, op, args, m.last, m.s};
  for_each_property<D, 6>(c, [&](std::string_view id, auto, bool h) {
    if (!h) out.insert(std::string(id));
  });
  return out;
}
// A step through the Sim that also reports the operation it ran.
Outcome<D> pt_step(M& m, Op& op, Args<D>& args, int actor, Req req, int target, std::int64_t data = 0) {
  args = default_args<D>();
  args.actor = actor;
  args.pt.pid = target == NOPROC ? 999 : m.pid(target);
  args.pt.addr = is_resume_req(req) ? 1 : VA_DATA;
  args.pt.data = data;
  op = Op{OP_PTRACE, req};
  auto st = step<D, 6>(m.s, op, args);
  m.s = st.next;
  m.last = st.out;
  return st.out;
}

TEST(Properties, AnOrdinaryTraceSessionKeepsEveryProperty) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  m.pt(p, PT_GETREGS, c);
  m.pt(p, PT_CONTINUE, c);
  m.takesig(c);
  m.op(OP_EXIT, c);
  m.wait(p, c);
  EXPECT_EQ(m.violations, 0);
}

TEST(Properties, TreeAcyclicFailsWhenAChildAttachesItsParent) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, c, PT_ATTACH, p); });
  EXPECT_TRUE(f.count("TREE_ACYCLIC"));
  EXPECT_TRUE(f.count("NO_ORPHAN") == 0);  // both live: each has a live parent
}

TEST(Properties, WalksTerminateFailsOnTheAncestorLoop) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_ATTACH, p);
  int g = m.fork(c);
  m.pt(g, PT_TRACE_ME, NOPROC);
  int e = m.spawn();
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, g, PT_ATTACH, e); });
  EXPECT_EQ(m.last.kind, K_HANG);
  EXPECT_TRUE(f.count("WALKS_TERMINATE"));
}

TEST(Properties, OppidRealFailsWhenAnAttachedProcessCallsTraceMe) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.pt(d, PT_ATTACH, c);
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, c, PT_TRACE_ME, NOPROC); });
  EXPECT_TRUE(f.count("OPPID_REAL"));
}

TEST(Properties, XstatValidFailsAfterPtStepWithAnUncheckedSignal) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, p, PT_STEP, c, 200); });
  EXPECT_TRUE(f.count("XSTAT_VALID"));
  EXPECT_FALSE(f.count("NO_FAULT"));
  m.takesig(c);
  EXPECT_EQ(m.last.kind, K_FAULT);
}

TEST(Properties, AttachStopsFailsForAJobControlStoppedTarget) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.kill(p, c, BSD_SIGSTOP);
  int d = m.spawn();
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, d, PT_ATTACH, c); });
  EXPECT_TRUE(f.count("ATTACH_STOPS"));
}

TEST(Properties, NoTraceOfExitingFailsForAnAttachInsideTheExitWindow) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.op(OP_EXIT_BEGIN, c);
  int d = m.spawn();
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, d, PT_ATTACH, c); });
  EXPECT_EQ(m.last.kind, K_OK);
  EXPECT_TRUE(f.count("NO_TRACE_OF_EXITING"));
}

TEST(Properties, ExitReportedOnceFailsOnTheHandBackToTheOriginalParent) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.attach_stopped(d, c);
  m.pt(d, PT_CONTINUE, c);
  m.takesig(c);
  m.op(OP_EXIT, c);
  m.wait(d, c);
  const int before = m.violations;
  m.wait(p, c);  // the second report of the same exit
  EXPECT_EQ(m.violations, before + 1);
}

TEST(Properties, DetachRestoresFailsWhenTheParentsPidWasReused) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.op(OP_SETSID, c);  // else pid(p) stays in use as c's session and group id (fork1 skips it)
  int d = m.spawn();
  const auto ppid = m.pid(p);
  m.attach_stopped(d, c);
  m.op(OP_EXIT, p);
  m.wait(SLOT_INIT, p);
  for (int i = 0; i < 18; ++i) {
    int k = m.fork(d);
    if (m.pid(k) == ppid) break;
    m.op(OP_EXIT, k);
    m.wait(d, k);
  }
  auto f = failing_after(m, [&](M& mm, Op& op, Args<D>& a) { pt_step(mm, op, a, d, PT_DETACH, c); });
  EXPECT_EQ(m.last.kind, K_OK);
  EXPECT_TRUE(f.count("DETACH_RESTORES"));
}

// The predicates of properties the seed keeps, on hand-made states.
TEST(Properties, StatePredicatesOnHandMadeStates) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  EXPECT_TRUE((SYSTEM_UNTRACED::holds<D, 6>(m.s)));
  EXPECT_TRUE((TRACER_LIVE::holds<D, 6>(m.s)));
  EXPECT_TRUE((NO_ORPHAN::holds<D, 6>(m.s)));

  auto s = m.s;
  s.procs[SLOT_INIT].P_TRACED = true;
  EXPECT_FALSE((SYSTEM_UNTRACED::holds<D, 6>(s)));

  s = m.s;
  s.procs[c].P_TRACED = true;
  s.procs[c].p_pptr = c;  // traced by itself
  EXPECT_FALSE((TRACER_LIVE::holds<D, 6>(s)));

  s = m.s;
  s.procs[p].p_state = PRS_ZOMBIE;  // c's parent dead but c not given to init
  EXPECT_FALSE((NO_ORPHAN::holds<D, 6>(s)));
  s.procs[c].P_TRACED = true;
  EXPECT_FALSE((TRACER_LIVE::holds<D, 6>(s)));
}

TEST(Properties, StepPredicatesOnHandMadeSteps) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  int d = m.spawn();
  Args<D> a = default_args<D>();
  a.actor = d;
  a.pt.pid = m.pid(c);
  Op op{OP_PTRACE, PT_GETREGS};
  // A made-up success by someone other than the tracer.
  Outcome<D> ok = Outcome<D>::ok();
  StepCtx<D, 6> ctx{m.s, op, a, ok, m.s};
  EXPECT_FALSE((CONTROL_BY_TRACER::holds<D, 6>(ctx)));
  EXPECT_FALSE((STOPPED_WAITED::holds<D, 6>(ctx)));  // d never waited for it
  a.actor = p;
  EXPECT_TRUE((CONTROL_BY_TRACER::holds<D, 6>(ctx)));
  EXPECT_TRUE((STOPPED_WAITED::holds<D, 6>(ctx)));
  // DEBUG_ALLOWED: another user's caller succeeding would break it.
  int other = m.spawn(1002);
  a.actor = other;
  EXPECT_FALSE((DEBUG_ALLOWED::holds<D, 6>(ctx)));
  Outcome<D> fault = Outcome<D>::of_kind(K_FAULT, 0, C_EXIT_INIT);
  StepCtx<D, 6> fctx{m.s, op, a, fault, m.s};
  EXPECT_FALSE((NO_FAULT::holds<D, 6>(fctx)));
}

}  // namespace
}  // namespace ptm::test
