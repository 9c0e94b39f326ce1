// Unit tests of the effects: what each successful request and each kernel
// operation does to the state, as the seed (and kernel-context.md) says.
#include <gtest/gtest.h>

#include "model/tests/sim.hpp"

namespace ptm::test {
namespace {

using M = Sim<>;

template <class Sm>
bool pending(const Sm& m, int slot, int sig) { return sigismember<Concrete>(m.proc(slot).p_siglist, sig); }

TEST(TraceMe, SetsTracedAndOppidToTheParentWithoutReparenting) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  EXPECT_TRUE(is_ok(m.pt(c, PT_TRACE_ME, NOPROC)));
  EXPECT_TRUE(m.proc(c).P_TRACED);
  EXPECT_EQ(m.proc(c).p_oppid, m.pid(p));
  EXPECT_EQ(m.proc(c).p_pptr, p);
}

TEST(TraceMe, WhenAlreadyTracedRewritesOppidToTheTracer) {
  // seed 446-448: "Always legal." An attached process calling PT_TRACE_ME gets
  // p_oppid = its tracer's pid (seed 536), losing its real parent.
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  ASSERT_TRUE(is_ok(m.pt(d, PT_ATTACH, c)));
  EXPECT_EQ(m.proc(c).p_oppid, m.pid(p));
  ASSERT_TRUE(is_ok(m.pt(c, PT_TRACE_ME, NOPROC)));
  EXPECT_EQ(m.proc(c).p_oppid, m.pid(d));
}

TEST(Attach, ReparentsToTheTracerAndPostsSigstopToARunningTarget) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  ASSERT_TRUE(is_ok(m.pt(d, PT_ATTACH, c)));
  EXPECT_TRUE(m.proc(c).P_TRACED);
  EXPECT_EQ(m.proc(c).p_pptr, d);
  EXPECT_EQ(m.proc(c).p_oppid, m.pid(p));
  EXPECT_TRUE(pending(m, c, BSD_SIGSTOP));
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));
  // The target stops for its tracer when it takes the signal.
  EXPECT_EQ(m.takesig(c).retval, BSD_SIGSTOP);
  EXPECT_TRUE(m.proc(c).P_STOPPED_SIG);
  EXPECT_EQ(m.wait(d, c).status, W_STOPCODE(BSD_SIGSTOP));
}

TEST(Attach, ToAJobControlStoppedProcessResumesItAndLosesTheStop) {
  // seed 547-548 go to sendsig with data = SIGSTOP; the target is stopped, so
  // seed 602-609 clear the stop and store SIGSTOP in p_xstat, which the
  // resumed job-control stop never reads (kernel-context.md §4).
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.kill(p, c, BSD_SIGSTOP);  // untraced: a job-control stop right in psignal
  ASSERT_TRUE(m.proc(c).P_STOPPED_SIG);
  int d = m.spawn();
  ASSERT_TRUE(is_ok(m.pt(d, PT_ATTACH, c)));
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));
  EXPECT_EQ(m.proc(c).p_xstat, BSD_SIGSTOP);
  EXPECT_EQ(sig_lowest<Concrete>(m.proc(c).p_siglist), 0);  // nothing will stop it
}

TEST(Continue, StoresDataInXstatClearsTheStopAndSetsThePc) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  ASSERT_TRUE(is_ok(m.pt(p, PT_CONTINUE, c, [](auto& a) {
    a.addr = 0x1234;
    a.data = BSD_SIGUSR1;
  })));
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));
  EXPECT_EQ(m.proc(c).p_xstat, BSD_SIGUSR1);
  EXPECT_EQ(m.proc(c).td_pc, 0x1234);
  EXPECT_TRUE(m.proc(c).P_WAITED);  // not cleared by sendsig (kernel-context.md §4)
  // On resume the tracee delivers SIGUSR1 to itself and dies of it.
  EXPECT_EQ(m.takesig(c).retval, BSD_SIGUSR1);
  EXPECT_EQ(m.proc(c).p_state, PRS_ZOMBIE);
  EXPECT_EQ(m.proc(c).p_xstat, W_EXITCODE(0, BSD_SIGUSR1));
}

TEST(Continue, WithDataZeroSuppressesTheStopSignal) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  ASSERT_TRUE(is_ok(m.pt(p, PT_CONTINUE, c)));
  EXPECT_EQ(m.takesig(c).retval, 0);
  EXPECT_FALSE(pending(m, c, BSD_SIGSTOP));
  EXPECT_EQ(m.proc(c).p_state, PRS_NORMAL);
}

TEST(Step, SetsTheTraceFlagAndStoresAnUncheckedSignal) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  ASSERT_TRUE(is_ok(m.pt(p, PT_STEP, c, [](auto& a) { a.data = 70000; })));
  EXPECT_TRUE(m.proc(c).td_sstep);
  EXPECT_EQ(m.proc(c).p_xstat, 70000 & 0xffff);  // p_xstat is a u_short
  // On resume SIGADDSET(siglist, 4464) writes outside sigset_t.
  EXPECT_TRUE(is(m.takesig(c), K_FAULT, 0, C_ISSIGNAL_XSTAT_RANGE));
}

TEST(Kill, ResumesTheTraceeWithSigkillAndItDies) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  ASSERT_TRUE(is_ok(m.pt(p, PT_KILL, c)));
  EXPECT_EQ(m.proc(c).p_xstat, BSD_SIGKILL);
  m.takesig(c);
  EXPECT_EQ(m.proc(c).p_state, PRS_ZOMBIE);
  auto w = m.wait(p, c);
  EXPECT_EQ(w.retval, m.pid(c));
  EXPECT_EQ(w.status, W_EXITCODE(0, BSD_SIGKILL));
}

TEST(Detach, GivesTheProcessBackToItsLiveOriginalParent) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.attach_stopped(d, c);
  ASSERT_TRUE(is_ok(m.pt(d, PT_DETACH, c)));
  EXPECT_EQ(m.proc(c).p_pptr, p);
  EXPECT_FALSE(m.proc(c).P_TRACED);
  EXPECT_FALSE(m.proc(c).P_WAITED);
  EXPECT_EQ(m.proc(c).p_oppid, 0);
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));
}

TEST(Detach, ToInitWhenTheOriginalParentIsGone) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.attach_stopped(d, c);
  m.op(OP_EXIT, p);
  m.wait(SLOT_INIT, p);  // p is reaped: its pid is free
  ASSERT_TRUE(is_ok(m.pt(d, PT_DETACH, c)));
  EXPECT_EQ(m.proc(c).p_pptr, SLOT_INIT);
}

TEST(Detach, ToWhateverProcessNowHasTheOriginalParentsPid) {
  // seed 584: pfind(p->p_oppid) finds any process with that pid: after the
  // original parent is reaped and its pid reused, a stranger gets the child.
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.op(OP_SETSID, c);  // else pid(p) stays in use as c's session and group id (fork1 skips it)
  int d = m.spawn();
  const auto ppid = m.pid(p);
  m.attach_stopped(d, c);
  m.op(OP_EXIT, p);
  m.wait(SLOT_INIT, p);
  int x = NOPROC;
  for (int i = 0; i < 3 * 6 && x == NOPROC; ++i) {  // fork until the pid comes round again
    int k = m.fork(d);
    ASSERT_NE(k, NOPROC);
    if (m.pid(k) == ppid) x = k;
    else {
      m.op(OP_EXIT, k);
      m.wait(d, k);
    }
  }
  ASSERT_NE(x, NOPROC);
  ASSERT_TRUE(is_ok(m.pt(d, PT_DETACH, c)));
  EXPECT_EQ(m.proc(c).p_pptr, x);  // neither the original parent (gone) nor init
}

TEST(Exit, OfATracerKillsAndUntracesItsTraceesAndGivesThemToInit) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.pt(d, PT_ATTACH, c);
  m.takesig(c);  // stopped for d
  ASSERT_TRUE(is_ok(m.op(OP_EXIT, d)));
  EXPECT_EQ(m.proc(c).p_pptr, SLOT_INIT);
  EXPECT_FALSE(m.proc(c).P_TRACED);
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));  // SIGKILL takes the untraced path: woken
  m.takesig(c);  // the original SIGSTOP continuation: untraced now, so rescan
  m.takesig(c);  // SIGKILL
  EXPECT_EQ(m.proc(c).p_state, PRS_ZOMBIE);
}

TEST(Exit, OfInitPanics) {
  M m;
  EXPECT_TRUE(is(m.op(OP_EXIT, SLOT_INIT), K_FAULT, 0, C_EXIT_INIT));
}

TEST(Wait, HandsATracedZombieBackToItsOriginalParentAndReportsItTwice) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  int d = m.spawn();
  m.attach_stopped(d, c);
  m.pt(d, PT_CONTINUE, c);
  m.takesig(c);
  m.op(OP_EXIT, c, [](Args<Concrete>& a) { a.value = 7; });
  auto first = m.wait(d, c);
  EXPECT_EQ(first.retval, m.pid(c));
  EXPECT_EQ(first.status, W_EXITCODE(7, 0));
  EXPECT_EQ(m.proc(c).p_state, PRS_ZOMBIE);  // not freed: handed to p
  EXPECT_EQ(m.proc(c).p_pptr, p);
  EXPECT_EQ(m.proc(c).p_oppid, 0);
  auto second = m.wait(p, c);
  EXPECT_EQ(second.retval, first.retval);
  EXPECT_EQ(second.status, first.status);
  EXPECT_EQ(m.proc(c).p_state, PRS_FREE);
}

TEST(Wait, ReportsAStopOnceAndNeedsWuntracedForAnUntracedChild) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  // SIGTSTP is discarded: a login's group is orphaned (a tty stop, SIG52 psignal); SIGSTOP below is not.
  m.kill(p, c, BSD_SIGTSTP);
  EXPECT_FALSE(P_SHOULDSTOP<Concrete>(m.proc(c)));
  m.kill(p, c, BSD_SIGSTOP);
  EXPECT_TRUE(is(m.wait(p, c), K_BLOCKED, 0, C_WAIT_SLEEP));
  EXPECT_EQ(m.wait(p, c, BSD_WNOHANG).retval, 0);
  auto w = m.wait(p, c, BSD_WUNTRACED);
  EXPECT_EQ(w.status, W_STOPCODE(BSD_SIGSTOP));
  EXPECT_EQ(m.wait(p, c, BSD_WUNTRACED | BSD_WNOHANG).retval, 0);
  EXPECT_TRUE(is_err(m.wait(p, SLOT_INIT), C_WAIT_ECHILD));
}

TEST(Psignal, SigkillAndSigcontDoNotResumeAStoppedTracee) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  m.kill(p, c, BSD_SIGCONT);
  m.kill(p, c, BSD_SIGKILL);
  EXPECT_TRUE(m.proc(c).P_STOPPED_SIG);
  EXPECT_TRUE(pending(m, c, BSD_SIGKILL));
}

TEST(Psignal, SigcontResumesAJobControlStop) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.kill(p, c, BSD_SIGSTOP);
  ASSERT_TRUE(m.proc(c).P_STOPPED_SIG);
  m.kill(p, c, BSD_SIGCONT);
  EXPECT_FALSE(m.proc(c).P_STOPPED_SIG);
  EXPECT_FALSE(pending(m, c, BSD_SIGCONT));
}

TEST(Psignal, SigchldToAnUntracedParentIsDroppedAndToATracedOneIsKept) {
  M m;
  int p = m.spawn();
  int c = m.fork(p);
  m.op(OP_EXIT, c);
  EXPECT_FALSE(pending(m, p, BSD_SIGCHLD));
  int q = m.spawn();
  m.pt(q, PT_TRACE_ME, NOPROC);  // q's parent is init
  int k = m.fork(q);
  m.op(OP_EXIT, k);
  EXPECT_TRUE(pending(m, q, BSD_SIGCHLD));
}

TEST(Execve, SetuidImageChangesCredentialsUnlessTraced) {
  M m;
  int p = m.spawn();
  m.op(OP_EXEC, p, [](Args<Concrete>& a) { a.suid = 0; });
  EXPECT_EQ(m.proc(p).p_ucred.cr_uid, 0);
  EXPECT_EQ(m.proc(p).p_ucred.cr_svuid, 0);
  EXPECT_EQ(m.proc(p).p_ucred.cr_ruid, 1001);
  EXPECT_TRUE(m.proc(p).P_SUGID);

  int q = m.spawn();
  m.pt(q, PT_TRACE_ME, NOPROC);
  m.op(OP_EXEC, q, [](Args<Concrete>& a) { a.suid = 0; });
  EXPECT_EQ(m.proc(q).p_ucred.cr_uid, 1001);
  EXPECT_FALSE(m.proc(q).P_SUGID);
  EXPECT_TRUE(pending(m, q, BSD_SIGTRAP));  // a traced exec posts SIGTRAP
}

TEST(Execve, ThePinexecWindowRefusesDebuggers) {
  M m;
  int p = m.spawn();
  int q = m.spawn();
  m.op(OP_EXEC_BEGIN, q);
  EXPECT_TRUE(is_err(m.pt(p, PT_ATTACH, q), C_CANDEBUG_INEXEC));
  EXPECT_TRUE(is(m.op(OP_GETPPID, q), K_BLOCKED, 0, C_ACTOR_CANNOT_RUN));
  m.op(OP_EXEC_END, q);
  EXPECT_TRUE(is_ok(m.pt(p, PT_ATTACH, q)));
}

TEST(SetuidFamily, BsdRulesAndSugid) {
  M m;
  int p = m.spawn(1001, 1001);
  EXPECT_TRUE(is_err(m.op(OP_SETUID, p, [](Args<Concrete>& a) { a.value = 0; }), C_SETUID_PERM));
  EXPECT_TRUE(is_ok(m.op(OP_SETUID, p, [](Args<Concrete>& a) { a.value = 1001; })));
  EXPECT_FALSE(m.proc(p).P_SUGID);  // nothing changed
  int r = m.spawn(0, 0);
  EXPECT_TRUE(is_ok(m.op(OP_SETEUID, r, [](Args<Concrete>& a) { a.value = 1001; })));
  EXPECT_TRUE(m.proc(r).P_SUGID);
  EXPECT_EQ(m.proc(r).p_ucred.cr_ruid, 0);
  // Now unprivileged (euid 1001): seteuid back to the ruid is allowed.
  EXPECT_TRUE(is_ok(m.op(OP_SETEUID, r, [](Args<Concrete>& a) { a.value = 0; })));
  EXPECT_TRUE(is_err(m.op(OP_SETGROUPS, p), C_SETGROUPS_PERM));
  EXPECT_TRUE(is_ok(m.op(OP_SETGROUPS, r)));
  EXPECT_TRUE(is_err(m.op(OP_SETEGID, p, [](Args<Concrete>& a) { a.value = 5; }), C_SETEGID_PERM));
  EXPECT_TRUE(is_err(m.op(OP_SETGID, p, [](Args<Concrete>& a) { a.value = 5; }), C_SETGID_PERM));
}

TEST(Fork, ChildInheritsOnlySugidAndTheCredential) {
  M m;
  int p = m.spawn(1001, 1001, [](Args<Concrete>& a) { a.sugid = true; });
  int c = m.fork(p);
  EXPECT_TRUE(m.proc(c).P_SUGID);
  EXPECT_FALSE(m.proc(c).P_TRACED);
  EXPECT_EQ(m.proc(c).p_oppid, 0);
  EXPECT_EQ(m.proc(c).p_ucred.cr_uid, 1001);
}

TEST(Fork, PidsAreReusedAfterTheWrapAndATableFullGivesEagain) {
  Sim<4> m;  // pids 0..11, wrap to 2
  int p = m.spawn();
  std::vector<std::int64_t> seen;
  for (int i = 0; i < 12; ++i) {
    int c = m.fork(p);
    ASSERT_NE(c, NOPROC);
    seen.push_back(m.pid(c));
    m.op(OP_EXIT, c);
    m.wait(p, c);
  }
  // 3..11, then the wrap to PID_RESERVED (2, which p holds, so skipped) and 3 again.
  const std::vector<std::int64_t> want = {3, 4, 5, 6, 7, 8, 9, 10, 11, 3, 4, 5};
  EXPECT_EQ(seen, want);
  m.fork(p);
  EXPECT_TRUE(is_err(m.op(OP_FORK, p), C_FORK_NOPROC));  // proc0, init, p and one child fill 4 slots
}

TEST(Sysctl, SecurelevelOnlyRises) {
  M m;
  EXPECT_TRUE(is_ok(m.sysctl(KERN_SECURELEVEL, 2)));
  EXPECT_TRUE(is_err(m.sysctl(KERN_SECURELEVEL, 1), C_SECURELEVEL_RAISE_ONLY));
  EXPECT_EQ(m.s.securelevel, 2);
}

TEST(Jail, RootEntersAPrisonOnceAndJailedRootStillDebugsItsPrison) {
  M m;
  int r = m.spawn(0, 0);
  ASSERT_TRUE(is_ok(m.op(OP_JAIL, r)));
  EXPECT_EQ(m.proc(r).p_ucred.cr_prison, 1);
  EXPECT_TRUE(is_err(m.op(OP_JAIL, r), C_JAIL_PERM));  // suser(td) fails in a jail
  int c = m.fork(r);
  EXPECT_TRUE(is_ok(m.pt(r, PT_ATTACH, c)));  // PRISON_ROOT: jailed root is privileged here
  int outside = m.spawn();
  EXPECT_TRUE(is_err(m.pt(r, PT_ATTACH, outside), C_CANSEE_PRISON));
}

TEST(Swap, TheSwapperPassesOverTracedAndExitingProcessesAndASwappedOutOneCannotRun) {
  // 5.x vm_glue.c swapout_procs(): P_TRACED | P_SYSTEM | P_WEXIT are skipped.
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  m.swap(OP_SWAPOUT, c);
  EXPECT_TRUE(m.proc(c).PS_INMEM);
  int u = m.fork(p);
  m.swap(OP_SWAPOUT, u);
  EXPECT_FALSE(m.proc(u).PS_INMEM);
  EXPECT_TRUE(is_err(m.op(OP_GETPPID, u), C_ACTOR_CANNOT_RUN));
  m.swap(OP_SWAPIN, u);
  EXPECT_TRUE(is_ok(m.op(OP_GETPPID, u)));
  m.op(OP_EXIT_BEGIN, u);
  m.swap(OP_SWAPOUT, u);
  EXPECT_TRUE(m.proc(u).PS_INMEM);
}

TEST(Actor, AStoppedOrExitingProcessCannotMakeACall) {
  M m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  EXPECT_TRUE(is(m.op(OP_GETPPID, c), K_BLOCKED, 0, C_ACTOR_CANNOT_RUN));
  m.op(OP_EXIT_BEGIN, p);
  EXPECT_TRUE(is(m.op(OP_FORK, p), K_BLOCKED, 0, C_ACTOR_CANNOT_RUN));
  EXPECT_TRUE(is_ok(m.op(OP_EXIT_END, p)));
  EXPECT_EQ(m.proc(p).p_state, PRS_ZOMBIE);
}

}  // namespace
}  // namespace ptm::test
