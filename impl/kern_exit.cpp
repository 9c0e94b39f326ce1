// kern_exit.c (EXIT50; kernel-context.md §5, §6): exit1() in two steps and wait1().
#include <algorithm>

#include "impl/sim.hpp"

namespace impl {

// exit1(), up to P_WEXIT.
int Kernel::exit1_begin(thread* td, int rv) {
  proc* p = td->td_proc;
  if (p == initproc()) {
    last_check = C_EXIT_INIT;
    panic("Going nowhere without my init!");
  }
  PROC_LOCK(p);
  p->p_flag |= P_WEXIT;
  PROC_UNLOCK(p);
  p->p_exit_rv = rv;
  return 0;
}

// The rest of exit1().
void Kernel::exit1_finish(thread* td) {
  proc* p = td->td_proc;
  PROC_LOCK(p);
  p->p_flag &= ~(P_TRACED | P_PPWAIT);
  p->p_orphan_of = nullptr;
  p->p_siglist = sigset_t{};
  td->td_issignal_sig = 0;
  PROC_UNLOCK(p);
  // The address space goes (vmspace_exit).
  if (p->p_vmspace && --p->p_vmspace->vm_refcnt == 0) p->p_vmspace.reset();

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
// errno, or WOULD_SLEEP.
int Kernel::wait1(thread* td, pid_t pid, int* status, int options, pid_t* retpid) {
  proc* q = td->td_proc;
  *retpid = 0;
  *status = 0;
  int nfound = 0;
  sx_xlock(proctree_lock);
  for (proc* p : std::vector<proc*>(q->p_children.begin(), q->p_children.end())) {
    if (pid != -1 && p->p_pid != pid) continue;
    ++nfound;
    if (p->p_state == PRS_ZOMBIE) {
      *retpid = p->p_pid;
      *status = p->p_xstat;
      // A traced zombie whose original parent is alive goes back to it, unfreed.
      proc* t;
      if (p->p_oppid && (t = pfind(p->p_oppid)) != nullptr) {
        PROC_LOCK(p);
        p->p_oppid = 0;
        proc_reparent(p, t);
        PROC_UNLOCK(p);
        psignal(t, BSD_SIGCHLD);
        PROC_UNLOCK(t);
        sx_xunlock(proctree_lock);
        return 0;
      }
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
