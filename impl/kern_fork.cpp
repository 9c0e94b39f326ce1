// kern_fork.c and kern_exec.c of FreeBSD 5.x, and the swapper of vm_glue.c
// (/work/notes/impl-env.md names the text each function follows).
#include <algorithm>
#include <iterator>

#include "impl/sim.hpp"

namespace impl {

int Kernel::fork1(thread* td, proc** procp) {
  proc* p1 = td->td_proc;
  proc* p2 = proc_alloc();
  if (p2 == nullptr) return fail_at(C_FORK_NOPROC, BSD_EAGAIN);
  auto pid = alloc_pid();
  if (!pid) {
    proc_free(p2);
    return fail_at(C_FORK_NOPROC, BSD_EAGAIN);
  }
  sx_xlock(allproc_lock);
  p2->p_pid = *pid;
  p2->p_state = PRS_NEW;
  allproc.push_front(p2);
  lastpid = *pid;
  sx_xunlock(allproc_lock);
  // p_flag starts at 0 and takes P_SUGID; the zeroed region covers p_oppid and
  // the signal state; the credential is shared; vmspace and pcb are copied.
  p2->p_flag = p1->p_flag & P_SUGID;
  p2->p_sflag = PS_INMEM;
  p2->p_ucred = p1->p_ucred;
  p2->p_vmspace = p1->p_vmspace ? vmspace_fork(*p1->p_vmspace) : nullptr;  // proc0 has none
  p2->td.td_frame = td->td_frame;
  p2->td.td_fpregs = td->td_fpregs;
  p2->td.td_dbregs = td->td_dbregs;
  sx_xlock(proctree_lock);
  // p_pgrp is in the copied part of struct proc: the child joins the parent's
  // group, right after the parent on its member list (LIST_INSERT_AFTER(p1,
  // p2, p_pglist)). No fixjobc: the child's parent is in its own group.
  p2->p_pgrp = p1->p_pgrp;
  {
    auto& m = p1->p_pgrp->pg_members;
    auto it = std::find(m.begin(), m.end(), p1);
    KASSERT(it != m.end(), "fork1: parent not on its pgrp's member list");
    m.insert(std::next(it), p2);
  }
  p2->p_pptr = p1;
  p1->p_children.push_front(p2);
  sx_xunlock(proctree_lock);
  p2->p_state = PRS_NORMAL;
  *procp = p2;
  return 0;
}

proc* Kernel::spawn(const ucred& cred, bool sugid, bool kernel) {
  proc* parent = kernel ? proc0() : initproc();
  thread* saved = curthread;
  curthread = FIRST_THREAD_IN_PROC(parent);
  proc* child = nullptr;
  if (kernel) {
    // kthread_create: a kernel process off proc0 (P_SYSTEM | P_KTHREAD, proc0's credential).
    int error = fork1(curthread, &child);
    if (error == 0) {
      child->p_flag = P_SYSTEM | P_KTHREAD;
      child->p_ucred = proc0()->p_ucred;
    }
  } else if (fork1(curthread, &child) == 0) {
    // A login: init forks; the child calls setsid() (a session and process
    // group of its own, led by it: pgid = sid = its pid), sets its ids to the
    // user's, and execs a plain image (which sets P_EXEC, kern_exec.c).
    curthread = FIRST_THREAD_IN_PROC(child);
    int error = setsid(curthread);
    KASSERT(error == 0, "spawn: setsid failed in a new child of init");
    child->p_ucred = std::make_shared<ucred>(cred);
    child->p_flag = sugid ? (child->p_flag | P_SUGID) : (child->p_flag & ~P_SUGID);
    child->p_vmspace = vmspace_exec();
    child->p_flag |= P_EXEC;
  }
  curthread = saved;
  return child;
}

// execve(), up to P_INEXEC (kern_execve after single-threading). suid/sgid:
// the image's owner and group when it is set-uid / set-gid, else -1.
int Kernel::execve_begin(thread* td, std::int64_t suid, std::int64_t sgid) {
  proc* p = td->td_proc;
  PROC_LOCK(p);
  p->p_flag |= P_INEXEC;
  PROC_UNLOCK(p);
  p->p_exec_suid = suid;
  p->p_exec_sgid = sgid;
  return 0;
}

// The rest of execve(): the new image, set-id handling, SIGTRAP for a traced process.
void Kernel::execve_finish(thread* td) {
  proc* p = td->td_proc;
  p->p_vmspace = vmspace_exec();
  const ucred old = *p->p_ucred;
  const bool setuid_img = p->p_exec_suid != -1 && static_cast<uid_t>(p->p_exec_suid) != old.cr_uid;
  const bool setgid_img = p->p_exec_sgid != -1 && static_cast<gid_t>(p->p_exec_sgid) != old.cr_groups[0];
  PROC_LOCK(p);
  // "mark as execed, wakeup the process that vforked (if any)" (kern_exec.c):
  // P_EXEC stays until the process exits (fork1 does not copy it to a child).
  p->p_flag |= P_EXEC;
  p->p_flag &= ~P_PPWAIT;
  auto n = std::make_shared<ucred>(old);
  if ((setuid_img || setgid_img) && !(p->p_flag & P_TRACED)) {
    // Credential changing, and nobody is tracing: the new ids apply.
    setsugid(p);
    if (setuid_img) n->cr_uid = static_cast<uid_t>(p->p_exec_suid);
    if (setgid_img) n->cr_groups[0] = static_cast<gid_t>(p->p_exec_sgid);
  } else if (old.cr_uid == old.cr_ruid && old.cr_groups[0] == old.cr_rgid) {
    p->p_flag &= ~P_SUGID;
  }
  // The saved ids become the effective ones.
  n->cr_svuid = n->cr_uid;
  n->cr_svgid = n->cr_groups[0];
  p->p_ucred = n;
  // exec_setregs (5.x i386 machdep.c): `bzero(regs, sizeof(struct
  // trapframe))`, then the entry point, and `tf_eflags = PSL_USER |
  // (regs->tf_eflags & PSL_T)`, which reads the frame just zeroed: PSL_T is
  // cleared. The debug registers are reset (PCB_DBREGS).
  td->td_frame = reg{};
  td->td_frame.r_eip = 0;  // the image's entry point
  td->td_frame.r_eflags = PSL_USER | (td->td_frame.r_eflags & PSL_T);
  td->td_frame.r_cs = GUCODE_SEL;
  td->td_dbregs = dbreg{};
  p->p_flag &= ~P_INEXEC;
  p->p_exec_suid = p->p_exec_sgid = -1;
  if (p->p_flag & P_TRACED) psignal(p, BSD_SIGTRAP);
  PROC_UNLOCK(p);
}

// The swapper (5.x vm_glue.c).
//
// swapout_procs() skips a process in creation (PRS_NEW), a P_SYSTEM one, one
// held in memory (p_lock != 0) or with P_STOPPED_SINGLE, P_TRACED, P_SYSTEM or
// P_WEXIT, one not exactly PS_INMEM (swapping in or out), one not PRS_NORMAL
// (a zombie), and one with a thread that is not safe to swap out: every thread
// must be TD_IS_SLEEPING or TD_IS_SUSPENDED (thread_safetoswapout, sys/proc.h),
// at priority >= PSOCK, for at least swap_idle_threshold1 seconds.
//
// The harness's swapout op is the daemon choosing p: the times are abstracted
// (the op stands for "p has been idle long enough"). A stopped process's
// thread is suspended: eligible. A process that is not stopped is taken to
// be asleep in a call the scenario does not show (an interruptible sleep,
// priority >= PSOCK), except when its thread is known to be elsewhere: inside
// execve (P_INEXEC: exec sleeps on disk I/O, at PRIBIO/PVFS, below PSOCK), or
// runnable, resumed from a trace stop inside issignal() (td_issignal_sig).
bool Kernel::swapout_eligible(proc* p) {
  if (p->p_state == PRS_NEW) return false;
  if ((p->p_flag & P_SYSTEM) != 0) return false;
  if (p->p_lock != 0 || (p->p_flag & (P_TRACED | P_SYSTEM | P_WEXIT)) != 0) return false;  // no P_STOPPED_SINGLE here
  if ((p->p_sflag & (PS_INMEM | PS_SWAPPINGIN)) != PS_INMEM) return false;
  if (p->p_state != PRS_NORMAL) return false;
  const thread* td = FIRST_THREAD_IN_PROC(p);
  const bool suspended = P_SHOULDSTOP(p) != 0;
  const bool sleeping = !suspended && !(p->p_flag & P_INEXEC) && td->td_issignal_sig == 0;
  return suspended || sleeping;
}
void Kernel::swapout(proc* p) {
  if (!swapout_eligible(p)) return;  // the daemon passes it by
  p->p_sflag &= ~PS_INMEM;  // PS_SWAPPINGOUT while the stacks go, then clear
}
// faultin()'s first half, run by the swapper (scheduler()): PS_SWAPPINGIN, and
// ++p_lock so that nobody swaps p out meanwhile.
void Kernel::swapin_begin(proc* p) {
  if (p->p_state == PRS_NORMAL && !(p->p_sflag & (PS_INMEM | PS_SWAPPINGIN))) {
    ++p->p_lock;
    p->p_sflag |= PS_SWAPPINGIN;
  }
}
// The swap-in's end: PS_INMEM, the threads runnable again, wakeup(&p->p_sflag)
// for any faultin() asleep on it, --p_lock. On a process not being swapped in
// it is a whole faultin().
void Kernel::swapin(proc* p) {
  if (p->p_sflag & PS_SWAPPINGIN) {
    p->p_sflag &= ~PS_SWAPPINGIN;
    p->p_sflag |= PS_INMEM;
    --p->p_lock;
    return;
  }
  if (p->p_state == PRS_NORMAL) p->p_sflag |= PS_INMEM;
}
// faultin() (5.x vm_glue.c): "If another process is swapping in this process,
// just wait until it finishes": one msleep(&p->p_sflag, ..., "faultin"),
// woken only by the wakeup at the end of that swap-in, after which p is in
// memory (and p_lock, held by our caller's _PHOLD, keeps it there). The
// simulator runs a call to completion, so the sleep is that swap-in running
// to its end. Otherwise faultin swaps p in itself, synchronously.
void Kernel::faultin(proc* p) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  if (p->p_sflag & PS_SWAPPINGIN) {
    swapin(p);  // msleep until the swapper's wakeup(&p->p_sflag)
  } else if ((p->p_sflag & PS_INMEM) == 0) {
    ++p->p_lock;
    p->p_sflag |= PS_SWAPPINGIN;
    p->p_sflag &= ~PS_SWAPPINGIN;
    p->p_sflag |= PS_INMEM;
    --p->p_lock;
  }
}
void Kernel::_PHOLD(proc* p) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  ++p->p_lock;
  if ((p->p_sflag & PS_INMEM) == 0) faultin(p);
}
void Kernel::_PRELE(proc* p) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  KASSERT(p->p_lock > 0, "_PRELE: p_lock underflow");
  --p->p_lock;
}

}  // namespace impl
