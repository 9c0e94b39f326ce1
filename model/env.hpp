// The kernel operations around kern_ptrace that move the state between
// requests (kernel-context.md §2-§11): fork1(), exit1() in two steps, wait4(),
// kill(), issignal() (a process taking a pending signal), execve() in two
// steps, the setuid family, swapping, sysctl writes and jail().
#pragma once

#include "model/deltas/trace_stop_required.hpp"
#include "model/check.hpp"
#include "model/cred.hpp"
#include "model/pgrp.hpp"
#include "model/signals.hpp"

namespace ptm {

template <class D, int N>
using StepOf = Step<D, State<D, N>>;

template <class D, int N>
constexpr StepOf<D, N> ok_step(const State<D, N>& s, Int<D> retval = D::num(0), Int<D> status = D::num(0)) {
  return StepOf<D, N>{Outcome<D>::ok(retval, status), s};
}

// A pid for a new process (5.x kern_fork.c fork1(), docs/environment.md): the
// first candidate after lastpid, wrapping at pid_max to PID_RESERVED, that no
// live or zombie process has as its pid, its process group's id or its
// session's id. Returns -1 when every pid is taken.
template <class D, int N>
constexpr Int<D> alloc_pid(const State<D, N>& s) {
  const Int<D> PM = table_pid_max<D>(s);
  // The k-th candidate after lastpid.
  auto candidate = [&](Int<D> k) {
    const Int<D> c = s.lastpid + k;
    return D::ite(c >= PM, c - (PM - D::num(PID_RESERVED)), c);
  };
  auto used = [&](Int<D> c) {
    return any_slot<D>(s, [&](Int<D>, const Proc<D>& q) {
      return q.p_state != D::num(PRS_FREE) && (q.p_pid == c || q.p_pgid == c || q.p_sid == c);
    });
  };
  const Int<D> k = first_in_pid_space<D>(s, [&](Int<D> k) { return !used(candidate(k)); });
  return D::ite(k == D::num(0), D::num(-1), candidate(k));
}
template <class D, int N>
constexpr Int<D> free_slot(const State<D, N>& s) {
  return first_slot<D>(s, [](Int<D>, const Proc<D>& q) { return q.p_state == D::num(PRS_FREE); });
}

// fork1() with RFPROC from `parent`, the child made from `child` (the caller's
// copy with fork's resets applied by the caller of this helper).
template <class D, int N>
constexpr StepOf<D, N> make_child(const State<D, N>& s, Int<D> parent, Proc<D> child, Bool<D> leader = D::lit(false)) {
  const Int<D> slot = free_slot<D>(s);
  const Int<D> pid = alloc_pid<D>(s);
  return first_failing<D>(
      s, hana::make_tuple(check(C_FORK_NOPROC, [&] { return slot == D::num(NOPROC) || pid == D::num(-1); })), [&] {
        State<D, N> n = s;
        child.p_state = D::num(PRS_NORMAL);
        child.p_pid = pid;
        // A new session and process group led by the child (a login's setsid()), or the parent's.
        child.p_pgid = D::ite(leader, pid, child.p_pgid);
        child.p_sid = D::ite(leader, pid, child.p_sid);
        child.p_pptr = parent;
        child.p_listpos = n.listclock + D::num(1);
        n.listclock = n.listclock + D::num(1);
        n.lastpid = pid;
        return ok_step<D>(with_proc<D>(n, slot, child), pid);
      });
}

template <class D, int N>
constexpr StepOf<D, N> fork1(const State<D, N>& s, Int<D> td) {
  const Proc<D> p = proc_at<D>(s, td);
  Proc<D> c = empty_proc<D>();
  // p_flag starts at 0 and takes only P_SUGID from the parent; p_oppid and the
  // signal state are zeroed; the credential is shared; the trapframe (pc, PSL_T) is copied.
  c.P_SUGID = p.P_SUGID;
  c.PS_INMEM = D::lit(true);
  c.p_ucred = p.p_ucred;
  c.td_pc = p.td_pc;
  c.td_sstep = p.td_sstep;
  c.p_pgid = p.p_pgid;  // the parent's process group and session
  c.p_sid = p.p_sid;
  c.pg_jobc = p.pg_jobc;
  return make_child<D>(s, td, c);
}

// A process as a login leaves it: a child of init with the given credential
// (fork from init, setsid, set*id, execve of a non-set-id image), the leader
// of its own session and process group; or with `kernel` a kernel process
// (kthread_create: P_SYSTEM | P_KTHREAD, proc0's credential, child of proc0,
// in proc0's group and session). Not a kernel operation: how scenarios
// populate the table.
template <class D, int N>
constexpr StepOf<D, N> spawn(const State<D, N>& s, const Ucred<D>& cred, Bool<D> sugid, Bool<D> kernel) {
  Proc<D> c = empty_proc<D>();
  c.PS_INMEM = D::lit(true);
  c.p_ucred = ite_value<D>(kernel, root_cred<D>(), cred);
  c.P_SUGID = sugid && !kernel;
  c.P_SYSTEM = c.P_KTHREAD = kernel;
  c.p_pgid = c.p_sid = D::num(0);
  c.P_EXEC = !kernel;  // a login has exec'd its shell
  return make_child<D>(s, D::ite(kernel, D::num(SLOT_PROC0), D::num(SLOT_INIT)), c, !kernel);
}

// exit1() from P_WEXIT to its first sleep (5.x kern_exit.c exit1(): P_WEXIT,
// the exit hooks, then `p->p_flag &= ~(P_TRACED | P_PPWAIT)` and
// SIGEMPTYSET(p->p_siglist), before fdfree() can sleep). p_pptr and p_oppid
// are left alone: a traced process stays its tracer's child.
template <class D>
constexpr Proc<D> exit1_prologue(Proc<D> p, Int<D> rv) {
  p.P_WEXIT = D::lit(true);
  p.exit_rv = rv;
  p.P_TRACED = D::lit(false);
  p.g_oparent = D::num(NOPROC);
  p.g_attach_stop_due = D::lit(false);
  p.p_siglist = Sigset<D>{D::num(0), D::num(0), D::num(0), D::num(0)};
  p.td_sig = D::num(0);
  return p;
}

// The rest of exit1(), after its first sleep (docs/environment.md): fixjobc()
// (a group left orphaned with a stopped member gets SIGHUP and SIGCONT), the
// children to init, the zombie, SIGCHLD. Another process may have attached the
// exiting one in between: that P_TRACED stays.
template <class D, int N>
constexpr State<D, N> exit1_finish(State<D, N> s, Int<D> td) {
  Proc<D> p = proc_at<D>(s, td);
  // fixjobc(p, p->p_pgrp, 0) (kern_exit.c, before the children move): a group
  // whose count that brings to 0 is orphaned (SIGHUP and SIGCONT if a member
  // is stopped).
  s = fixjobc<D>(s, td, p.p_pgid, p.p_sid, false);
  p = proc_at<D>(s, td);
  // Children go to init; a traced one (traced by us) is untraced and killed.
  // The kernel walks the children list from its head and puts each at the head
  // of init's list, so they keep their relative order, reversed: the child at
  // the head of our list ends nearest the old entries of init's. Each child
  // changes alone (SIGKILL stops no one), so all move at once.
  const State<D, N> before = s;
  auto is_child = [&](Int<D> i, const Proc<D>& c) {
    return c.p_state != D::num(PRS_FREE) && c.p_pptr == td && td != i;
  };
  const Int<D> nkids = count_slots<D>(before, is_child);
  s.procs = map_slots<D>(before, [&](Int<D> i, const Proc<D>& c) {
    // siblings nearer the head of our list
    const Int<D> ahead = count_slots<D>(
        before, [&](Int<D> j, const Proc<D>& o) { return is_child(j, o) && o.p_listpos > c.p_listpos; });
    Proc<D> q = c;
    q.p_pptr = D::num(SLOT_INIT);
    q.p_listpos = before.listclock + D::num(1) + ahead;
    // "if (q->p_flag & P_TRACED) { q->p_flag &= ~P_TRACED; psignal(q, SIGKILL); }", a
    // zombie child too (traced by a PT_ATTACH inside its exit; psignal drops it there).
    const Bool<D> was_traced = q.P_TRACED;
    q.P_TRACED = D::lit(false);
    q.g_oparent = D::ite(was_traced, D::num(NOPROC), q.g_oparent);
    q = ite_value<D>(was_traced, psignal_nonstop<D>(q, BSD_SIGKILL), q);
    return ite_value<D>(is_child(i, c), q, c);
  });
  s.listclock = before.listclock + nkids;
  // Exit status (p_xstat is a u_short), zombie, SIGCHLD to the current parent
  // (the tracer, if traced).
  p = proc_at<D>(s, td);
  p.p_xstat = D::to_u16(p.exit_rv);
  p.p_state = D::num(PRS_ZOMBIE);
  s = with_proc<D>(s, td, p);
  return post_sigchld<D>(s, p.p_pptr);
}

// exit1(td, rv), first step: init panics; otherwise exit1 runs to its first sleep.
template <class D, int N>
constexpr StepOf<D, N> exit1_begin(const State<D, N>& s, Int<D> td, Int<D> rv) {
  return first_failing<D>(s, hana::make_tuple(check(C_EXIT_INIT, [&] { return td == D::num(SLOT_INIT); })), [&] {
    return ok_step<D>(with_proc<D>(s, td, exit1_prologue<D>(proc_at<D>(s, td), rv)));
  });
}

// Free a reaped zombie's slot; ghost references to the slot go with it.
template <class D, int N>
constexpr State<D, N> reap(State<D, N> s, Int<D> slot) {
  s = with_proc<D>(s, slot, empty_proc<D>());
  s.procs = map_slots<D>(s, [&](Int<D>, Proc<D> p) {
    p.g_oparent = D::ite(p.g_oparent == slot, D::num(NOPROC), p.g_oparent);
    p.g_waiter = D::ite(p.g_waiter == slot, D::num(NOPROC), p.g_waiter);
    return p;
  });
  return s;
}

// wait4(pid, &status, options, NULL) (kernel-context.md §5). pid -1 is WAIT_ANY.
template <class D, int N>
constexpr StepOf<D, N> wait4(const State<D, N>& s, Int<D> td, Int<D> pid, Int<D> options) {
  const Int<D> wpid = D::ite(pid == D::num(0), D::num(0) - proc_at<D>(s, td).p_pgid, pid);
  // wait1() of 5.x: pid 0 becomes -(the caller's group); a child matches
  // WAIT_ANY (-1), its pid, or its group -pid. (So init, in group 1, waiting
  // with pid 0 waits for any child.)
  auto cand = [&](Int<D>, const Proc<D>& q) {
    return q.p_state != D::num(PRS_FREE) && q.p_pptr == td &&
           (wpid == D::num(-1) || q.p_pid == wpid || q.p_pgid == D::num(0) - wpid);
  };
  auto reportable = [&](Int<D> i, const Proc<D>& q) {
    return cand(i, q) && (q.p_state == D::num(PRS_ZOMBIE) ||
                          (P_SHOULDSTOP<D>(q) && !q.P_WAITED &&
                           (q.P_TRACED || D::bit_and(options, D::num(BSD_WUNTRACED)) != D::num(0))));
  };
  const Bool<D> any_child = any_slot<D>(s, cand);
  // The children list is scanned from its head: the largest p_listpos first.
  const Int<D> chosen =
      best_slot<D>(s, reportable, [](Int<D>, const Proc<D>& q) { return q.p_listpos; }, D::num(-1));
  const Bool<D> nohang = D::bit_and(options, D::num(BSD_WNOHANG)) != D::num(0);
  auto checks = hana::make_tuple(check(C_WAIT_ECHILD, [&] { return !any_child; }),
                                 check(C_WAIT_SLEEP, [&] { return chosen == D::num(NOPROC) && !nohang; }));
  return first_failing<D>(s, checks, [&] {
    return D::branch(
        chosen == D::num(NOPROC), [&] { return ok_step<D>(s, D::num(0)); },
        [&] {
          const Proc<D> q = proc_at<D>(s, chosen);
          return D::branch(
              q.p_state == D::num(PRS_ZOMBIE),
              [&] {
                // A zombie whose p_oppid names a live process is handed to it, not freed
                // (delta reap_not_to_self: unless that is the waiter itself).
                bool not_to_self = delta_on(D_REAP_NOT_TO_SELF);  // not const: semantics.hpp
                Bool<D> give_back = q.p_oppid != D::num(0);
                if (not_to_self) give_back = give_back && q.p_oppid != proc_at<D>(s, td).p_pid;
                Int<D> op = D::ite(give_back, pfind<D>(s, q.p_oppid), D::num(NOPROC));
                State<D, N> n = D::branch(
                    op != D::num(NOPROC),
                    [&] {
                      Proc<D> z = q;
                      z.p_oppid = D::num(0);
                      z.g_exit_reported = D::lit(true);
                      State<D, N> t = proc_reparent<D>(with_proc<D>(s, chosen, z), chosen, op);
                      return post_sigchld<D>(t, op);
                    },
                    [&] { return reap<D>(s, chosen); });
                return ok_step<D>(n, q.p_pid, q.p_xstat);
              },
              [&] {
                Proc<D> z = q;
                z.P_WAITED = D::lit(true);
                z.g_waiter = td;
                return ok_step<D>(with_proc<D>(s, chosen, z), q.p_pid, D::num(0177) + q.p_xstat * D::num(256));
              });
        });
  });
}

// kill(pid, signum) for pid > 0, with p_cansignal (kernel-context.md §3; the
// PROT02 form: the P_SUGID restriction always applies). p_cansignal returns 0
// at once for the caller itself, and for SIGCONT to a process in the caller's
// session (5.x kern_prot.c p_cansignal(), before cr_cansignal's tests).
template <class D, int N>
constexpr StepOf<D, N> kill(const State<D, N>& s, Int<D> td, Int<D> pid, Int<D> sig) {
  const Int<D> slot = pfind<D>(s, pid);
  const Bool<D> found = slot != D::num(NOPROC) && pid > D::num(0);
  const Proc<D> p = D::branch(found, [&] { return proc_at<D>(s, slot); }, [] { return empty_proc<D>(); });
  const Ucred<D>& tc = proc_at<D>(s, td).p_ucred;
  const Ucred<D>& pc = p.p_ucred;
  const Bool<D> self = slot == td || (sig == D::num(BSD_SIGCONT) && p.p_sid == proc_at<D>(s, td).p_sid);
  const Bool<D> priv = suser_prison_root<D>(s, tc);
  Bool<D> sugid_ok = sig == D::num(0);
  for (int k : {BSD_SIGKILL, BSD_SIGINT, BSD_SIGTERM, BSD_SIGSTOP, BSD_SIGTTIN, BSD_SIGTTOU, BSD_SIGTSTP, BSD_SIGHUP, BSD_SIGUSR1, BSD_SIGUSR2})
    sugid_ok = sugid_ok || sig == D::num(k);
  const Bool<D> ids_ok = tc.cr_ruid == pc.cr_ruid || tc.cr_ruid == pc.cr_svuid || tc.cr_uid == pc.cr_ruid ||
                         tc.cr_uid == pc.cr_svuid;
  auto checks = hana::make_tuple(
      check(C_KILL_SIGRANGE, [&] { return D::ugt32(sig, D::num(_SIG_MAXSIG)); }),
      check(C_KILL_PFIND, [&] { return !found; }),
      check(C_CANSIGNAL_PRISON, [&] { return !self && prison_check_fails<D>(tc, pc); }),
      check(C_CANSIGNAL_UIDS, [&] { return !self && seeotheruids_fails<D>(s, tc, pc); }),
      check(C_CANSIGNAL_GIDS, [&] { return !self && seeothergids_fails<D>(s, tc, pc); }),
      check(C_CANSIGNAL_SUGID, [&] { return !self && p.P_SUGID && !sugid_ok && !priv; }),
      check(C_CANSIGNAL_IDS, [&] { return !self && !ids_ok && !priv; }));
  return first_failing<D>(s, checks, [&] {
    return ok_step<D>(D::branch(sig == D::num(0), [&] { return s; }, [&] { return psignal<D>(s, slot, sig); }));
  });
}

// issignal() step 4 with default dispositions: what taking `sig` does.
template <class D, int N>
constexpr State<D, N> take_action(State<D, N> s, Int<D> td, Int<D> sig) {
  Proc<D> p = proc_at<D>(s, td);
  const Int<D> prop = sigprop_of<D>(sig);
  const Bool<D> is_stop = has_prop<D>(prop, SA_STOP);
  // A stop is ignored by a traced process, and a tty stop in an orphaned group
  // (SIG52 issignal: `P_TRACED || (pg_jobc == 0 && prop & SA_TTYSTOP)`: break).
  const Bool<D> ignored = p.p_pid <= D::num(1) ||
                          (is_stop && (p.P_TRACED || (has_prop<D>(prop, SA_TTYSTOP) && p.pg_jobc == D::num(0)))) ||
                          has_prop<D>(prop, SA_IGNORE);
  p.p_siglist = sigdelset<D>(p.p_siglist, sig);
  return D::branch(
      ignored, [&] { return with_proc<D>(s, td, p); },
      [&] {
        return D::branch(
            is_stop,
            [&] { return post_sigchld<D>(with_proc<D>(s, td, stop<D>(p, sig)), p.p_pptr); },  // job-control stop
            [&] {
              // sigexit() -> exit1(td, W_EXITCODE(0, sig)), both steps.
              return exit1_finish<D>(with_proc<D>(s, td, exit1_prologue<D>(p, sig)), td);
            });
      });
}

// The return to user mode after a resume from a trace stop, with PSL_T set
// (PT_STEP): the next user instruction raises T_TRCTRAP; i386 trap() clears
// PSL_T and calls trapsignal(td, SIGTRAP, 0), which with default dispositions
// (or for a traced process) is psignal(p, SIGTRAP) (5.x i386/i386/trap.c,
// kern_sig.c; docs/environment.md). Nothing happens if the process did not get
// back to user mode (it died or stopped on the way).
template <class D, int N>
constexpr StepOf<D, N> single_step_trap(const StepOf<D, N>& r, Int<D> td) {
  const Proc<D> p = proc_at<D>(r.next, td);
  // issignal() returns towards user mode only when no signal is left to take.
  Bool<D> none_pending = p.td_sig == D::num(0);
  for (int w = 0; w < _SIG_WORDS; ++w) none_pending = none_pending && p.p_siglist[w] == D::num(0);
  const Bool<D> traps = r.out.kind == D::num(K_OK) && p.p_state == D::num(PRS_NORMAL) && !p.P_WEXIT &&
                        !P_SHOULDSTOP<D>(p) && p.td_sstep && none_pending;
  return D::branch(
      traps,
      [&] {
        Proc<D> q = p;
        q.td_sstep = D::lit(false);
        return StepOf<D, N>{r.out, psignal<D>(with_proc<D>(r.next, td, q), td, D::num(BSD_SIGTRAP))};
      },
      [&] { return r; });
}

// One pass of issignal() for a running process (kernel-context.md §4): either
// the continuation of a trace stop it was resumed from, or its lowest pending
// signal. retval is the signal taken (0: none).
template <class D, int N>
constexpr StepOf<D, N> issignal_pass(const State<D, N>& s, Int<D> td) {
  const Proc<D> p = proc_at<D>(s, td);
  return D::branch(
      p.td_sig != D::num(0),
      [&] {
        // SIG52, on resume: the original signal is removed; sig = p_xstat.
        Proc<D> q = p;
        q.p_siglist = sigdelset<D>(q.p_siglist, p.td_sig);
        q.td_sig = D::num(0);
        const Int<D> sig = p.p_xstat;
        State<D, N> s1 = with_proc<D>(s, td, q);
        return D::branch(
            sig == D::num(0) || !p.P_TRACED, [&] { return ok_step<D>(s1); },
            [&] {
              return first_failing<D>(
                  s1, hana::make_tuple(check(C_ISSIGNAL_XSTAT_RANGE, [&] { return sig > D::num(_SIG_MAXSIG); })), [&] {
                    Proc<D> r = proc_at<D>(s1, td);
                    r.p_siglist = sigaddset<D>(r.p_siglist, sig);
                    return ok_step<D>(take_action<D>(with_proc<D>(s1, td, r), td, sig), sig);
                  });
            });
      },
      [&] {
        const Int<D> sig = sig_lowest<D>(p.p_siglist);
        const Int<D> prop = sigprop_of<D>(sig);
        return D::branch(
            sig == D::num(0), [&] { return ok_step<D>(s); },
            [&] {
              return D::branch(
                  p.P_TRACED,
                  [&] {
                    // Trace stop: p_xstat = sig, SIGCHLD to the tracer, stop(); the
                    // signal stays pending and the thread keeps it in td_sig.
                    Proc<D> q = stop<D>(p, sig);
                    // delta trace_stop_required: ptracestop() marks a trace stop as such
                    if (delta_on(D_TRACE_STOP_REQUIRED)) q = deltas::trace_stop_required::as_trace_stop<D>(q);
                    q.td_sig = sig;
                    return ok_step<D>(post_sigchld<D>(with_proc<D>(s, td, q), p.p_pptr), sig);
                  },
                  [&] {
                    // An ignored signal of an untraced process is dropped.
                    Proc<D> q = p;
                    q.p_siglist = sigdelset<D>(q.p_siglist, sig);
                    Bool<D> ign = has_prop<D>(prop, SA_IGNORE) && sig != D::num(BSD_SIGCONT);
                    return ok_step<D>(D::branch(ign, [&] { return with_proc<D>(s, td, q); },
                                                [&] { return take_action<D>(s, td, sig); }),
                                      sig);
                  });
            });
      });
}

// takesig: one pass of issignal(), then, if that was the last signal to take,
// the return to user mode (and the single-step trap, if PSL_T is set).
template <class D, int N>
constexpr StepOf<D, N> issignal(const State<D, N>& s, Int<D> td) {
  return single_step_trap<D, N>(issignal_pass<D, N>(s, td), td);
}

// execve(), first step: P_INEXEC is set; suid/sgid are the image's owner and
// group when it is set-uid/set-gid, else -1.
template <class D, int N>
constexpr StepOf<D, N> execve_begin(const State<D, N>& s, Int<D> td, Int<D> suid, Int<D> sgid) {
  Proc<D> p = proc_at<D>(s, td);
  p.P_INEXEC = D::lit(true);
  p.exec_suid = suid;
  p.exec_sgid = sgid;
  return ok_step<D>(with_proc<D>(s, td, p));
}

// execve(), second step (kernel-context.md §8).
template <class D, int N>
constexpr StepOf<D, N> execve_finish(const State<D, N>& s, Int<D> td) {
  Proc<D> p = proc_at<D>(s, td);
  Ucred<D> c = p.p_ucred;
  const Bool<D> setuid_img = p.exec_suid != D::num(-1) && p.exec_suid != c.cr_uid;
  const Bool<D> setgid_img = p.exec_sgid != D::num(-1) && p.exec_sgid != c.cr_groups[0];
  // Credential changing, and the process is not traced: the new ids apply.
  const Bool<D> apply = (setuid_img || setgid_img) && !p.P_TRACED;
  Ucred<D> n = c;
  n.cr_uid = D::ite(setuid_img, p.exec_suid, c.cr_uid);
  n.cr_groups[0] = D::ite(setgid_img, p.exec_sgid, c.cr_groups[0]);
  c = ite_value<D>(apply, n, c);
  p.P_SUGID = D::ite(apply, D::lit(true),
                     D::ite(c.cr_uid == c.cr_ruid && c.cr_groups[0] == c.cr_rgid, D::lit(false), p.P_SUGID));
  c.cr_svuid = c.cr_uid;  // saved ids := effective ids, in both cases
  c.cr_svgid = c.cr_groups[0];
  p.p_ucred = c;
  p.P_INEXEC = D::lit(false);
  p.P_EXEC = D::lit(true);  // "p->p_flag |= P_EXEC" (kern_execve; setpgid's EACCES reads it)
  p.exec_suid = p.exec_sgid = D::num(-1);
  p.td_pc = D::num(0);  // the new image's entry point
  p.td_sstep = D::lit(false);  // i386 exec_setregs() zeroes the frame first: PSL_T does not survive
  State<D, N> s1 = with_proc<D>(s, td, p);
  // A traced process gets SIGTRAP and will trace-stop before the new image runs.
  return ok_step<D>(D::branch(p.P_TRACED, [&] { return psignal<D>(s1, td, D::num(BSD_SIGTRAP)); }, [&] { return s1; }));
}

// The setuid family (kernel-context.md §9). setsugid() only when an id changes.
enum SetId : int { SET_UID = 0, SET_EUID = 1, SET_GID = 2, SET_EGID = 3 };

template <class D, int N>
constexpr StepOf<D, N> set_id(const State<D, N>& s, Int<D> td, SetId which, Int<D> v) {
  Proc<D> p = proc_at<D>(s, td);
  const Ucred<D> c = p.p_ucred;
  const Bool<D> priv = suser_prison_root<D>(s, c);
  const Int<D> egid = c.cr_groups[0];
  const int id = which == SET_UID ? C_SETUID_PERM : which == SET_EUID ? C_SETEUID_PERM
               : which == SET_GID ? C_SETGID_PERM : C_SETEGID_PERM;
  Bool<D> allowed = priv;
  switch (which) {
    case SET_UID: allowed = allowed || v == c.cr_ruid || v == c.cr_uid; break;
    case SET_EUID: allowed = allowed || v == c.cr_ruid || v == c.cr_svuid; break;
    case SET_GID: allowed = allowed || v == c.cr_rgid || v == egid; break;
    case SET_EGID: allowed = allowed || v == c.cr_rgid || v == c.cr_svgid; break;
  }
  return first_failing<D>(s, hana::make_tuple(check(id, [&] { return !allowed; })), [&] {
    Ucred<D> n = c;
    switch (which) {
      case SET_UID:
        // FreeBSD does not define _POSIX_SAVED_IDS: in every permitted case the
        // real, saved and effective uids all become u (5.x kern_prot.c setuid()).
        n.cr_ruid = n.cr_svuid = n.cr_uid = v;
        break;
      case SET_EUID: n.cr_uid = v; break;
      case SET_GID:  // the same for the gids (5.x kern_prot.c setgid())
        n.cr_rgid = n.cr_svgid = n.cr_groups[0] = v;
        break;
      case SET_EGID: n.cr_groups[0] = v; break;
    }
    Bool<D> changed = n.cr_uid != c.cr_uid || n.cr_ruid != c.cr_ruid || n.cr_svuid != c.cr_svuid ||
                      n.cr_groups[0] != egid || n.cr_rgid != c.cr_rgid || n.cr_svgid != c.cr_svgid;
    p.p_ucred = n;
    p.P_SUGID = p.P_SUGID || changed;
    return ok_step<D>(with_proc<D>(s, td, p));
  });
}

// setgroups(ngroups, gidset): needs privilege and always sets P_SUGID.
template <class D, int N>
constexpr StepOf<D, N> setgroups(const State<D, N>& s, Int<D> td, Int<D> ngroups, const Groups<D>& g) {
  Proc<D> p = proc_at<D>(s, td);
  return first_failing<D>(
      s, hana::make_tuple(check(C_SETGROUPS_PERM, [&] { return !suser_prison_root<D>(s, p.p_ucred); })), [&] {
        Ucred<D> n = p.p_ucred;
        Bool<D> none = ngroups <= D::num(0);  // ngroups 0 keeps the egid as the only group
        for (int i = 0; i < NGROUPS; ++i) n.cr_groups[i] = D::ite(none && D::lit(i == 0), n.cr_groups[0], g[i]);
        n.cr_ngroups = D::ite(none, D::num(1), D::ite(ngroups > D::num(NGROUPS), D::num(NGROUPS), ngroups));
        p.p_ucred = n;
        p.P_SUGID = D::lit(true);
        return ok_step<D>(with_proc<D>(s, td, p));
      });
}

// jail(2): needs suser(td) (jailed root fails); the caller enters a new prison.
template <class D, int N>
constexpr StepOf<D, N> jail(const State<D, N>& s, Int<D> td) {
  Proc<D> p = proc_at<D>(s, td);
  return first_failing<D>(s, hana::make_tuple(check(C_JAIL_PERM, [&] { return !suser<D>(s, p.p_ucred); })), [&] {
    State<D, N> n = s;
    n.lastprison = s.lastprison + D::num(1);
    p.p_ucred.cr_prison = n.lastprison;
    return ok_step<D>(with_proc<D>(n, td, p), n.lastprison);
  });
}

// setsid() (5.x kern_prot.c): the caller leads a new session and group, unless
// it already leads a group or its pid names one. Returns the new session id.
template <class D, int N>
constexpr StepOf<D, N> setsid(const State<D, N>& s, Int<D> td) {
  const Proc<D> p = proc_at<D>(s, td);
  return first_failing<D>(
      s, hana::make_tuple(check(C_SETSID_PERM, [&] { return p.p_pgid == p.p_pid || pgrp_exists<D>(s, p.p_pid); })),
      [&] {
        return ok_step<D>(enter_pgrp<D>(s, td, p.p_pid, p.p_pid), p.p_pid);
      });
}

// inferior(p) (5.x kern_proc.c): walk p_pptr from p until the caller (yes) or
// pid 0 (no). On a p_pptr cycle that holds neither the walk never ends.
template <class D, int N>
constexpr AncestorWalk<D> inferior_walk(const State<D, N>& s, Int<D> p, Int<D> td) {
  return ancestor_walk<D>(s, p, td);
}

// setpgid(pid, pgid) (5.x kern_prot.c), checks in its order.
template <class D, int N>
constexpr StepOf<D, N> setpgid(const State<D, N>& s, Int<D> td, Int<D> pid, Int<D> pgid) {
  const Proc<D> curp = proc_at<D>(s, td);
  const Bool<D> other = pid != D::num(0) && pid != curp.p_pid;
  const Int<D> found = pfind<D>(s, pid);
  const Int<D> slot = D::ite(other, found, td);
  const Bool<D> have = slot != D::num(NOPROC);
  const Proc<D> targp = D::branch(have, [&] { return proc_at<D>(s, slot); }, [] { return empty_proc<D>(); });
  const AncestorWalk<D> walk = inferior_walk<D>(s, slot, td);
  const Ucred<D>& tc = curp.p_ucred;
  const Ucred<D>& pc = targp.p_ucred;
  const Int<D> g = D::ite(pgid == D::num(0), targp.p_pid, pgid);
  const Bool<D> g_exists = pgrp_exists<D>(s, g);
  auto checks = hana::make_tuple(
      check(C_SETPGID_EINVAL, [&] { return pgid < D::num(0); }),
      check(C_SETPGID_ESRCH, [&] { return other && !have; }),
      check(C_SETPGID_INFERIOR_LOOP, [&] { return other && walk.loops; }),
      check(C_SETPGID_NOT_INFERIOR, [&] { return other && !walk.found; }),
      check(C_SETPGID_CANSEE, [&] {
        return other && (prison_check_fails<D>(tc, pc) || seeotheruids_fails<D>(s, tc, pc) || seeothergids_fails<D>(s, tc, pc));
      }),
      check(C_SETPGID_SESSION, [&] { return other && targp.p_sid != curp.p_sid; }),
      check(C_SETPGID_EXEC, [&] { return other && targp.P_EXEC; }),
      check(C_SETPGID_LEADER, [&] { return SESS_LEADER<D>(targp); }),
      check(C_SETPGID_PGRP, [&] {
        return D::ite(g_exists, g != targp.p_pgid && g != targp.p_pid && pgrp_session<D>(s, g) != curp.p_sid,
                      g != targp.p_pid);
      }));
  return first_failing<D>(s, checks, [&] {
    // Its own group already: nothing to do; else enterpgrp / enterthispgrp.
    return ok_step<D>(D::branch(g == targp.p_pgid, [&] { return s; },
                                [&] { return enter_pgrp<D>(s, slot, g, targp.p_sid); }));
  });
}

// Sysctl writes by unjailed root. kern.securelevel may only rise.
enum Sysctl : int {
  KERN_SECURELEVEL = 0,
  UNPRIVILEGED_PROC_DEBUG = 1,
  SEE_OTHER_UIDS = 2,
  SEE_OTHER_GIDS = 3,
  SUSER_ENABLED = 4,
};
// The knobs by name, and where each lives in the state.
template <class D, int N>
struct SysctlField {
  Sysctl knob;
  const char* name;
  Int<D> State<D, N>::*field;
};
template <class D, int N>
inline constexpr SysctlField<D, N> kSysctls[] = {
    {KERN_SECURELEVEL, "kern.securelevel", &State<D, N>::securelevel},
    {UNPRIVILEGED_PROC_DEBUG, "security.bsd.unprivileged_proc_debug", &State<D, N>::unprivileged_proc_debug},
    {SEE_OTHER_UIDS, "security.bsd.see_other_uids", &State<D, N>::see_other_uids},
    {SEE_OTHER_GIDS, "security.bsd.see_other_gids", &State<D, N>::see_other_gids},
    {SUSER_ENABLED, "security.bsd.suser_enabled", &State<D, N>::suser_enabled},
};

template <class D, int N>
constexpr StepOf<D, N> sysctl_write(const State<D, N>& s, Sysctl which, Int<D> v) {
  return first_failing<D>(
      s, hana::make_tuple(check_if(which == KERN_SECURELEVEL, C_SECURELEVEL_RAISE_ONLY, [&] { return v < s.securelevel; })),
      [&] {
        State<D, N> n = s;
        for (const auto& k : kSysctls<D, N>)
          if (k.knob == which) n.*k.field = v;
        return ok_step<D>(n);
      });
}

// The swapper (5.x vm/vm_glue.c, docs/environment.md): swap out, start a
// swap-in, finish it. swapout_procs() passes over a process with p_lock != 0
// (never between two operations here: _PHOLD is released before a call
// returns) or with P_STOPPED_SINGLE | P_TRACED | P_SYSTEM | P_WEXIT, one not
// in memory or being swapped in; and it takes only a process whose thread
// sleeps at priority PSOCK or above or is suspended (thread_safetoswapout):
// a process the model lets it take stands for one asleep long enough in a call
// the model does not name, or stopped. Not a running thread inside execve (its
// sleeps are the image's disk reads, below PSOCK) nor one resumed from a trace
// stop and still in issignal() (runnable, not asleep), unless it is stopped. A swapped-out process cannot
// run until it is swapped in (can_run).
enum Swap : int { SWAP_OUT = 0, SWAP_IN_BEGIN = 1, SWAP_IN = 2 };
template <class D>
constexpr Bool<D> swapout_eligible(const Proc<D>& p) {
  return p.p_state == D::num(PRS_NORMAL) && p.PS_INMEM && !p.PS_SWAPPINGIN && !p.P_TRACED && !p.P_SYSTEM &&
         !p.P_WEXIT && (P_SHOULDSTOP<D>(p) || (!p.P_INEXEC && p.td_sig == D::num(0)));
}
template <class D, int N>
constexpr StepOf<D, N> swap(const State<D, N>& s, Int<D> slot, Swap what) {
  Proc<D> p = proc_at<D>(s, slot);
  const Bool<D> live = p.p_state == D::num(PRS_NORMAL);
  Proc<D> q = p;
  switch (what) {
    case SWAP_OUT: q.PS_INMEM = p.PS_INMEM && !swapout_eligible<D>(p); break;
    case SWAP_IN_BEGIN: q.PS_SWAPPINGIN = p.PS_SWAPPINGIN || (live && !p.PS_INMEM); break;
    case SWAP_IN:
      q.PS_INMEM = p.PS_INMEM || live;
      q.PS_SWAPPINGIN = D::lit(false);
      break;
  }
  return ok_step<D>(with_proc<D>(s, slot, q));
}

}  // namespace ptm
