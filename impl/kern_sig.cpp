// kern_sig.c (SIG52, 2003; kernel-context.md §4), for processes with default
// dispositions and one thread: psignal(), issignal() one pass at a time,
// stop(), thread_unsuspend(), setrunnable(), kill().
#include "impl/sim.hpp"

namespace impl {

void SIGADDSET(sigset_t& set, int sig) {
  // A signal past _SIG_MAXSIG indexes past the four words of sigset_t.
  if (sig < 1 || sig > _SIG_MAXSIG) panic("SIGADDSET: signal " + std::to_string(sig) + " outside sigset_t");
  set.__bits[(sig - 1) >> 5] |= 1u << ((sig - 1) & 31);
}
void SIGDELSET(sigset_t& set, int sig) {
  if (sig < 1 || sig > _SIG_MAXSIG) panic("SIGDELSET: signal outside sigset_t");
  set.__bits[(sig - 1) >> 5] &= ~(1u << ((sig - 1) & 31));
}
bool SIGISMEMBER(const sigset_t& set, int sig) {
  return sig >= 1 && sig <= _SIG_MAXSIG && (set.__bits[(sig - 1) >> 5] & (1u << ((sig - 1) & 31))) != 0;
}
bool SIGISEMPTY(const sigset_t& set) {
  for (auto w : set.__bits)
    if (w) return false;
  return true;
}

namespace {
// siginit(): the signals whose default action is to ignore them, except SIGCONT,
// start out in p_sigignore (and nothing here changes dispositions).
bool sigignored(int sig) { return (sigprop(sig) & SA_IGNORE) && sig != BSD_SIGCONT; }
int first_pending(const sigset_t& set) {
  for (int sig = 1; sig <= _SIG_MAXSIG; ++sig)
    if (SIGISMEMBER(set, sig)) return sig;
  return 0;
}
}  // namespace

void Kernel::stop(proc* p) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  p->p_flag |= P_STOPPED_SIG;
  p->p_flag &= ~P_WAITED;
  // wakeup(p->p_pptr): a parent sleeping in wait4 rescans (a later wait4 here).
}

void Kernel::thread_unsuspend(proc* p) {
  mtx_assert(sched_lock, MA_OWNED);
  // With no P_STOPPED_* bit left the suspended thread runs again: nothing to record
  // for a single thread (its trace-stop continuation stays in td_issignal_sig).
  (void)p;
}

void Kernel::setrunnable(thread* td) {
  mtx_assert(sched_lock, MA_OWNED);
  KASSERT(td->td_proc->p_state != PRS_ZOMBIE, "setrunnable: zombie");
  // A swapped-out process gets a swap-in request (the swapper runs later).
}

void Kernel::psignal(proc* p, int sig) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  KASSERT(sig > 0 && sig <= _SIG_MAXSIG, "psignal: signal number out of range");
  const int prop = sigprop(sig);
  if (p->p_state == PRS_ZOMBIE || p->p_state == PRS_NEW) return;
  // A traced process takes the default action of everything; otherwise an
  // ignored signal, or any signal to an exiting process, is dropped.
  if (!(p->p_flag & P_TRACED) && (sigignored(sig) || (p->p_flag & P_WEXIT))) return;
  // SIG52 psignal: "If sending a tty stop signal to a member of an orphaned
  // process group, discard the signal here if the action is default" (a traced
  // process's action is forced to the default).
  if ((prop & SA_TTYSTOP) && p->p_pgrp && p->p_pgrp->pg_jobc == 0) return;
  if (prop & SA_CONT)
    for (int s : {BSD_SIGSTOP, BSD_SIGTSTP, BSD_SIGTTIN, BSD_SIGTTOU}) SIGDELSET(p->p_siglist, s);
  if (prop & SA_STOP) SIGDELSET(p->p_siglist, BSD_SIGCONT);
  SIGADDSET(p->p_siglist, sig);

  if (P_SHOULDSTOP(p)) {
    // A traced, stopped process stays stopped: not even SIGKILL or SIGCONT resumes it.
    if (p->p_flag & P_TRACED) return;
    if (sig == BSD_SIGKILL) {
      p->p_flag &= ~P_STOPPED;
      mtx_lock_spin(sched_lock);
      thread_unsuspend(p);
      mtx_unlock_spin(sched_lock);
      return;
    }
    if (prop & SA_CONT) {
      p->p_flag &= ~P_STOPPED_SIG;
      SIGDELSET(p->p_siglist, sig);  // the default action of SIGCONT: continue, then nothing
      mtx_lock_spin(sched_lock);
      thread_unsuspend(p);
      mtx_unlock_spin(sched_lock);
      return;
    }
    if (prop & SA_STOP) {
      p->p_flag |= P_STOPPED_SIG;
      SIGDELSET(p->p_siglist, sig);
      return;
    }
    return;
  }
  // Not stopped. A default stop signal to an untraced process stops it here.
  if (!(p->p_flag & P_TRACED) && (prop & SA_STOP)) {
    SIGDELSET(p->p_siglist, sig);
    p->p_xstat = static_cast<std::uint16_t>(sig);
    stop(p);  // thread_stopped()
    proc* pp = p->p_pptr;
    PROC_LOCK(pp);
    psignal(pp, BSD_SIGCHLD);  // the parent has no SA_NOCLDSTOP
    PROC_UNLOCK(pp);
  }
  // Otherwise the thread is woken and takes the signal in issignal().
}

// One pass of issignal() for the running process of `td`. Returns the signal
// acted on (0: none).
int Kernel::issignal(thread* td) {
  proc* p = td->td_proc;
  PROC_LOCK(p);
  int sig;
  if (td->td_issignal_sig != 0) {
    // Resumed from a trace stop (SIG52): clear the old signal, take p_xstat.
    const int oldsig = td->td_issignal_sig;
    td->td_issignal_sig = 0;
    SIGDELSET(p->p_siglist, oldsig);
    const int newsig = p->p_xstat;
    if (newsig == 0 || !(p->p_flag & P_TRACED)) {
      PROC_UNLOCK(p);
      return 0;
    }
    if (newsig > _SIG_MAXSIG) last_check = C_ISSIGNAL_XSTAT_RANGE;
    SIGADDSET(p->p_siglist, newsig);  // p_xstat is whatever the tracer stored
    sig = newsig;
  } else {
    sig = first_pending(p->p_siglist);
    if (sig == 0) {
      PROC_UNLOCK(p);
      return 0;
    }
    if (!(p->p_flag & P_TRACED) && sigignored(sig)) {
      SIGDELSET(p->p_siglist, sig);
      PROC_UNLOCK(p);
      return sig;
    }
    if (p->p_flag & P_TRACED) {
      // ptracestop(): report to the tracer, stop, and keep `sig` for the resume.
      p->p_xstat = static_cast<std::uint16_t>(sig);
      proc* pp = p->p_pptr;
      PROC_LOCK(pp);
      psignal(pp, BSD_SIGCHLD);
      PROC_UNLOCK(pp);
      if (delta_on(D_TRACE_STOP_REQUIRED)) {
        // delta trace_stop_required: later kernels' ptracestop() stops with P_STOPPED_TRACE
        p->p_flag |= P_STOPPED_TRACE;
        p->p_flag &= ~P_WAITED;
      } else {
        stop(p);
      }
      td->td_issignal_sig = sig;
      PROC_UNLOCK(p);
      return sig;
    }
  }
  // The default action of `sig`.
  const int prop = sigprop(sig);
  SIGDELSET(p->p_siglist, sig);
  if (p->p_pid <= 1 ||
      ((prop & SA_STOP) && ((p->p_flag & P_TRACED) || (p->p_pgrp && p->p_pgrp->pg_jobc == 0 && (prop & SA_TTYSTOP)))) ||
      (prop & SA_IGNORE)) {
    PROC_UNLOCK(p);
    return sig;
  }
  if (prop & SA_STOP) {
    p->p_xstat = static_cast<std::uint16_t>(sig);
    stop(p);
    proc* pp = p->p_pptr;
    PROC_LOCK(pp);
    psignal(pp, BSD_SIGCHLD);
    PROC_UNLOCK(pp);
    PROC_UNLOCK(p);
    return sig;
  }
  PROC_UNLOCK(p);
  // sigexit() -> exit1(td, W_EXITCODE(0, sig))
  exit1_begin(td, static_cast<int>(BSD_W_EXITCODE(0, sig)));
  exit1_finish(td);
  return sig;
}

// trapsignal() (5.x kern_sig.c): "Send a signal caused by a trap to the
// current thread. If it will be caught immediately, deliver it with correct
// code. Otherwise, post it normally." A traced process, or one that does not
// catch the signal (every process here: default dispositions), takes the
// second branch: p_code and p_sig recorded, then psignal(p, sig) (tdsignal(td,
// sig) in later 5.x: the same for one thread).
void Kernel::trapsignal(thread* td, int sig, unsigned long code) {
  proc* p = td->td_proc;
  PROC_LOCK(p);
  p->p_code = code; /* XXX for core dump/debugger */
  p->p_sig = sig;   /* XXX to verify code */
  psignal(p, sig);
  PROC_UNLOCK(p);
}

int Kernel::kill(thread* td, pid_t pid, int signum) {
  if (static_cast<unsigned>(signum) > _SIG_MAXSIG) return fail_at(C_KILL_SIGRANGE, BSD_EINVAL);
  // Process groups and broadcast (pid <= 0) are not modelled.
  proc* p = pid > 0 ? pfind(pid) : nullptr;
  if (p == nullptr) return fail_at(C_KILL_PFIND, BSD_ESRCH);
  int error = p_cansignal(td, p, signum);
  if (error == 0 && signum) psignal(p, signum);
  PROC_UNLOCK(p);
  return error;
}

}  // namespace impl
