// kern_exit.c of FreeBSD 5.x: exit1() in two steps and wait1()
// (/work/notes/impl-env.md names the text).
#include <algorithm>

#include "impl/sim.hpp"

namespace impl {

// exit1() up to its first sleep (5.x kern_exit.c): the init panic; P_WEXIT
// (after single-threading, which one thread does not need); the peers of an
// rfork(RFTHREAD) leader (none here), STOPEVENT (no procfs) and the exit
// hooks; MALLOC of p_ru; then, under the process lock, stopprofclock,
// `p->p_flag &= ~(P_TRACED | P_PPWAIT)` and SIGEMPTYSET(p->p_siglist). The
// first sleep that a plain process can meet follows: fdfree() ("This may
// block!"). From here to exit1_finish the process is not traced, and a third
// party's PT_ATTACH finds no P_TRACED (the seed tests no P_WEXIT): it can
// trace the exiting process again.
int Kernel::exit1_begin(thread* td, int rv) {
  proc* p = td->td_proc;
  if (p == initproc()) {
    last_check = C_EXIT_INIT;
    panic("Going nowhere without my init!");
  }
  PROC_LOCK(p);
  p->p_flag |= P_WEXIT;
  PROC_UNLOCK(p);
  PROC_LOCK(p);
  p->p_flag &= ~(P_TRACED | P_PPWAIT);
  p->p_orphan_of = nullptr;  // the impl's link goes with P_TRACED
  p->p_siglist = sigset_t{};
  td->td_issignal_sig = 0;  // the thread is in exit1, not in issignal
  PROC_UNLOCK(p);
  p->p_exit_rv = rv;
  return 0;
}

// The rest of exit1(): fdfree and the address space; the session leader's
// s_leader and fixjobc(p, p->p_pgrp, 0) under proctree_lock; allproc to
// zombproc; the children to init (the traced ones killed); p_xstat; SIGCHLD
// to the parent; PRS_ZOMBIE. The zombie stays in its process group until
// wait1() reaps it (leavepgrp).
void Kernel::exit1_finish(thread* td) {
  proc* p = td->td_proc;
  // The address space goes (vmspace_exit).
  if (p->p_vmspace && --p->p_vmspace->vm_refcnt == 0) p->p_vmspace.reset();

  sx_xlock(proctree_lock);
  if (SESS_LEADER(p)) {
    // (no controlling terminals here: nothing to signal, drain or revoke)
    p_session(p)->s_leader = nullptr;
  }
  fixjobc(p, p->p_pgrp, 0);
  sx_xunlock(proctree_lock);

  sx_xlock(allproc_lock);
  allproc.erase(std::find(allproc.begin(), allproc.end(), p));
  zombproc.push_front(p);
  sx_xunlock(allproc_lock);

  sx_xlock(proctree_lock);
  // Give our children to init; kill the ones we were tracing.
  std::vector<proc*> kids(p->p_children.begin(), p->p_children.end());  // head first
  for (proc* q : kids) {
    PROC_LOCK(q);
    proc_reparent(q, initproc());
    if (q->p_flag & P_TRACED) {
      q->p_flag &= ~P_TRACED;
      q->p_orphan_of = nullptr;
      psignal(q, BSD_SIGKILL);
    }
    PROC_UNLOCK(q);
  }
  // Processes traced by others whose real parent we are: their real parent is init now
  // (read only by the delta detach_real_parent).
  for (proc* q : allproc)
    if (q->p_orphan_of == p) q->p_orphan_of = initproc();
  p->p_xstat = static_cast<std::uint16_t>(p->p_exit_rv);
  // Notify the parent (the tracer, if traced).
  proc* pp = p->p_pptr;
  PROC_LOCK(pp);
  psignal(pp, BSD_SIGCHLD);
  PROC_UNLOCK(pp);
  p->p_state = PRS_ZOMBIE;
  sx_xunlock(proctree_lock);
}

// wait1(): returns 0 with *retpid (0 for WNOHANG with nothing to report), an
// errno, or WOULD_SLEEP. pid 0 is the caller's process group (`uap->pid =
// -q->p_pgid`), pid < -1 the group -pid: a child matches by p_pid or by
// p_pgid == -pid (5.x kern_exit.c).
int Kernel::wait1(thread* td, pid_t pid, int* status, int options, pid_t* retpid) {
  proc* q = td->td_proc;
  *retpid = 0;
  *status = 0;
  int nfound = 0;
  if (pid == 0) pid = -p_pgid(q);
  sx_xlock(proctree_lock);
  for (proc* p : std::vector<proc*>(q->p_children.begin(), q->p_children.end())) {
    if (pid != -1 && p->p_pid != pid && p_pgid(p) != -pid) continue;
    ++nfound;
    if (p->p_state == PRS_ZOMBIE) {
      *retpid = p->p_pid;
      *status = p->p_xstat;
      // A traced zombie whose original parent is alive goes back to it, unfreed.
      proc* t;
      // (delta reap_not_to_self: not to the waiter itself; 10.4's
      // `p->p_oppid != 0 && p->p_oppid != p->p_pptr->p_pid`)
      bool back = p->p_oppid != 0 && !(delta_on(D_REAP_NOT_TO_SELF) && p->p_oppid == p->p_pptr->p_pid);
      if (back && (t = pfind(p->p_oppid)) != nullptr) {
        PROC_LOCK(p);
        p->p_oppid = 0;
        proc_reparent(p, t);
        PROC_UNLOCK(p);
        psignal(t, BSD_SIGCHLD);
        PROC_UNLOCK(t);
        sx_xunlock(proctree_lock);
        return 0;
      }
      // "Remove other references to this process to ensure we have an
      // exclusive reference."
      leavepgrp(p);
      q->p_children.erase(std::find(q->p_children.begin(), q->p_children.end(), p));
      sx_xlock(allproc_lock);
      zombproc.erase(std::find(zombproc.begin(), zombproc.end(), p));
      sx_xunlock(allproc_lock);
      proc_free(p);
      sx_xunlock(proctree_lock);
      return 0;
    }
    if (P_SHOULDSTOP(p) && !(p->p_flag & P_WAITED) && ((p->p_flag & P_TRACED) || (options & BSD_WUNTRACED))) {
      PROC_LOCK(p);
      p->p_flag |= P_WAITED;
      *retpid = p->p_pid;
      *status = static_cast<int>(BSD_W_STOPCODE(p->p_xstat));
      PROC_UNLOCK(p);
      sx_xunlock(proctree_lock);
      return 0;
    }
  }
  sx_xunlock(proctree_lock);
  if (nfound == 0) return fail_at(C_WAIT_ECHILD, BSD_ECHILD);
  if (options & BSD_WNOHANG) return 0;
  last_check = C_WAIT_SLEEP;
  return -1;  // msleep(q, ...): the caller would sleep
}

}  // namespace impl
