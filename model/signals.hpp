// Signals around kern_ptrace (kernel-context.md §4, following SIG52, 2003):
// sigset_t operations, psignal(), stop(), and the SIGCHLD a parent is sent.
//
// Abstraction: every process has default dispositions (nothing caught, masked
// or explicitly ignored; siginit() puts the SA_IGNORE signals except SIGCONT in
// p_sigignore), one thread and no vfork (P_PPWAIT).
#pragma once

#include "model/check.hpp"
#include "model/proc.hpp"

namespace ptm {

// The word and bit of signal `sig` (1.._SIG_MAXSIG) in sigset_t.
template <class D>
constexpr Int<D> sig_word_mask(Int<D> sig, int w) {
  Int<D> in_word = D::ite(sig > D::num(32 * w) && sig <= D::num(32 * (w + 1)), D::num(1), D::num(0));
  return D::shl(in_word, sig - D::num(1 + 32 * w));
}
template <class D>
constexpr Bool<D> sigismember(const Sigset<D>& set, Int<D> sig) {
  Bool<D> r = D::lit(false);
  for (int w = 0; w < _SIG_WORDS; ++w) r = r || D::bit_and(set[w], sig_word_mask<D>(sig, w)) != D::num(0);
  return r;
}
template <class D>
constexpr Sigset<D> sigaddset(Sigset<D> set, Int<D> sig) {
  for (int w = 0; w < _SIG_WORDS; ++w) set[w] = D::bit_or(set[w], sig_word_mask<D>(sig, w));
  return set;
}
template <class D>
constexpr Sigset<D> sigdelset(Sigset<D> set, Int<D> sig) {
  for (int w = 0; w < _SIG_WORDS; ++w) set[w] = D::bit_and(set[w], D::bit_not32(sig_word_mask<D>(sig, w)));
  return set;
}
template <class D>
constexpr Sigset<D> sigdelset_const(Sigset<D> set, int sig) {
  return sigdelset<D>(set, D::num(sig));
}
// The lowest-numbered pending signal, 0 if none.
template <class D>
constexpr Int<D> sig_lowest(const Sigset<D>& set) {
  Int<D> r = D::num(0);
  for (int w = _SIG_WORDS - 1; w >= 0; --w) r = D::ite(set[w] != D::num(0), D::num(32 * w + 1) + D::ctz32(set[w]), r);
  return r;
}

// sigprop(sig) for a domain signal number.
template <class D>
constexpr Int<D> sigprop_of(Int<D> sig) {
  return D::table(kSigProp, sig, D::num(0));
}
template <class D>
constexpr Bool<D> has_prop(Int<D> prop, int bit) {
  return D::bit_and(prop, D::num(bit)) != D::num(0);
}
template <class D>
constexpr Bool<D> sig_valid(Int<D> sig) {
  return sig >= D::num(1) && sig <= D::num(_SIG_MAXSIG);
}

// stop(p) as a job-control or trace stop sets it: P_STOPPED_SIG (both kinds set
// this bit in SIG50/SIG52; nothing sets P_STOPPED_TRACE), and P_WAITED cleared so
// the parent's wait4 reports the stop once.
template <class D>
constexpr Proc<D> stop(Proc<D> p, Int<D> sig) {
  p.P_STOPPED_SIG = D::lit(true);
  p.P_WAITED = D::lit(false);
  p.g_waiter = D::num(NOPROC);
  p.g_attach_stop_due = D::lit(false);
  p.p_xstat = sig;
  return p;
}

// SIGCHLD to a parent. Its default action ignores it, so an untraced parent
// drops it; a traced one keeps it pending and will take a trace stop for it.
// SIGCHLD can neither stop nor continue, so this needs no more of psignal.
template <class D, int N>
constexpr State<D, N> post_sigchld(State<D, N> s, Int<D> parent) {
  s.procs = map_slots<D>(s, [&](Int<D> slot, Proc<D> q) {
    Bool<D> pend = parent == slot && q.p_state == D::num(PRS_NORMAL) && q.P_TRACED;
    q.p_siglist = ite_value<D>(pend, sigaddset<D>(q.p_siglist, D::num(BSD_SIGCHLD)), q.p_siglist);
    return q;
  });
  return s;
}

// psignal(p, sig) (SIG52 tdsignal/do_tdsignal), for `sig` already known to be in
// 1.._SIG_MAXSIG (callers range-check first: psignal panics otherwise).
template <class D>
struct Signalled {
  Proc<D> proc;
  typename D::Bool jobstop;  // stopped here for job control: its parent gets SIGCHLD
};
template <class D>
constexpr Signalled<D> psignal_proc(const Proc<D>& p, Int<D> sig) {
  const Int<D> prop = sigprop_of<D>(sig);
  const Bool<D> is_cont = has_prop<D>(prop, SA_CONT);
  const Bool<D> is_stop = has_prop<D>(prop, SA_STOP);
  const Bool<D> live = p.p_state == D::num(PRS_NORMAL);
  // 1. Traced: the action is forced to default. Untraced: an ignored signal, or
  //    any signal to an exiting process, is dropped.
  //    A tty stop (SIGTSTP, SIGTTIN, SIGTTOU) to a member of an orphaned group
  //    (pg_jobc == 0) is discarded too, traced or not: its action is the default
  //    (SIG52 psignal, "discard the signal here if the action is default").
  const Bool<D> tty_orphaned = has_prop<D>(prop, SA_TTYSTOP) && p.pg_jobc == D::num(0);
  const Bool<D> dropped =
      !live || (!p.P_TRACED && ((has_prop<D>(prop, SA_IGNORE) && sig != D::num(BSD_SIGCONT)) || p.P_WEXIT)) ||
      tty_orphaned;
  Proc<D> q = p;
  // 2. CONT-type signals remove pending stop signals; stop-type remove SIGCONT.
  auto without_stops = q.p_siglist;
  for (int st : {BSD_SIGSTOP, BSD_SIGTSTP, BSD_SIGTTIN, BSD_SIGTTOU}) without_stops = sigdelset_const<D>(without_stops, st);
  q.p_siglist = ite_value<D>(is_cont, without_stops, q.p_siglist);
  q.p_siglist = ite_value<D>(is_stop, sigdelset_const<D>(q.p_siglist, BSD_SIGCONT), q.p_siglist);
  // 3. The signal becomes pending.
  q.p_siglist = sigaddset<D>(q.p_siglist, sig);
  Proc<D> r = q;
  // 4. A stopped process.
  const Bool<D> stopped = P_SHOULDSTOP<D>(p);
  {
    // Traced: nothing more, for SIGKILL and SIGCONT too.
    // SIGKILL: every stop bit cleared, the thread runs (and dies when it takes it).
    Proc<D> killed = q;
    killed.P_STOPPED_SIG = killed.P_STOPPED_TRACE = D::lit(false);
    // CONT-type: P_STOPPED_SIG cleared, a default SIGCONT is dropped, the thread runs.
    Proc<D> conted = q;
    conted.P_STOPPED_SIG = D::lit(false);
    conted.p_siglist = sigdelset_const<D>(conted.p_siglist, BSD_SIGCONT);
    // Stop-type: stays stopped, the signal is dropped.
    Proc<D> restopped = q;
    restopped.p_siglist = sigdelset<D>(restopped.p_siglist, sig);
    Proc<D> when_stopped = ite_value<D>(
        p.P_TRACED, q,
        ite_value<D>(sig == D::num(BSD_SIGKILL), killed, ite_value<D>(is_cont, conted, ite_value<D>(is_stop, restopped, q))));
    // 5. Running, untraced, default stop signal: a job-control stop right here
    //    (the signal is taken off the pending set, p_xstat = sig).
    Proc<D> jobstop = stop<D>(q, sig);
    jobstop.p_siglist = sigdelset<D>(jobstop.p_siglist, sig);
    Proc<D> when_running = ite_value<D>(!p.P_TRACED && is_stop, jobstop, q);
    r = ite_value<D>(stopped, when_stopped, when_running);
  }
  const Bool<D> did_jobstop = !dropped && !stopped && !p.P_TRACED && is_stop;
  return {ite_value<D>(dropped, p, r), did_jobstop};
}
template <class D, int N>
constexpr State<D, N> psignal(State<D, N> s, Int<D> slot, Int<D> sig) {
  const Proc<D> p = proc_at<D>(s, slot);
  const Signalled<D> r = psignal_proc<D>(p, sig);
  State<D, N> out = with_proc<D>(s, slot, r.proc);
  // thread_stopped(): the parent gets SIGCHLD (it has no SA_NOCLDSTOP here).
  return ite_value<D>(r.jobstop, post_sigchld<D>(out, p.p_pptr), out);
}
// psignal() of a signal that never stops a process (SIGKILL, SIGHUP, SIGCONT):
// only the process itself changes, so a rule can signal many in one map_slots.
template <class D>
constexpr Proc<D> psignal_nonstop(const Proc<D>& p, int sig) {
  if (sig != BSD_SIGKILL && sig != BSD_SIGHUP && sig != BSD_SIGCONT) throw "ptm::psignal_nonstop: a signal that can stop";
  return psignal_proc<D>(p, D::num(sig)).proc;
}

}  // namespace ptm
