// kern_fork.c (FORK50; kernel-context.md §7) and kern_exec.c (EXEC51, §8).
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
    // login: set*id to the user, then exec a plain image.
    child->p_ucred = std::make_shared<ucred>(cred);
    child->p_flag = sugid ? (child->p_flag | P_SUGID) : (child->p_flag & ~P_SUGID);
    child->p_vmspace = vmspace_exec();
  }
  curthread = saved;
  return child;
}

// execve(), up to P_INEXEC (kern_execve after single-threading).
int Kernel::execve_begin(thread* td, uid_t suid, gid_t sgid) {
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
  const bool setuid_img = p->p_exec_suid != -1 && p->p_exec_suid != old.cr_uid;
  const bool setgid_img = p->p_exec_sgid != -1 && p->p_exec_sgid != old.cr_groups[0];
  PROC_LOCK(p);
  auto n = std::make_shared<ucred>(old);
  if ((setuid_img || setgid_img) && !(p->p_flag & P_TRACED)) {
    // Credential changing, and nobody is tracing: the new ids apply.
    setsugid(p);
    if (setuid_img) n->cr_uid = p->p_exec_suid;
    if (setgid_img) n->cr_groups[0] = p->p_exec_sgid;
  } else if (old.cr_uid == old.cr_ruid && old.cr_groups[0] == old.cr_rgid) {
    p->p_flag &= ~P_SUGID;
  }
  // The saved ids become the effective ones.
  n->cr_svuid = n->cr_uid;
  n->cr_svgid = n->cr_groups[0];
  p->p_ucred = n;
  // exec_setregs: the new entry point; PSL_T survives.
  td->td_frame.r_eip = 0;
  td->td_frame.r_eflags = PSL_USER | (td->td_frame.r_eflags & PSL_T);
  p->p_flag &= ~P_INEXEC;
  p->p_exec_suid = p->p_exec_sgid = -1;
  if (p->p_flag & P_TRACED) psignal(p, BSD_SIGTRAP);
  PROC_UNLOCK(p);
}

// The swapper (vm_glue.c, GLUE5).
void Kernel::swapout(proc* p) {
  if (p->p_state == PRS_NORMAL && !(p->p_flag & P_SYSTEM) && p->p_lock == 0 && !(p->p_sflag & PS_SWAPPINGIN))
    p->p_sflag &= ~PS_INMEM;
}
void Kernel::swapin_begin(proc* p) {
  if (p->p_state == PRS_NORMAL && !(p->p_sflag & PS_INMEM)) p->p_sflag |= PS_SWAPPINGIN;
}
void Kernel::swapin(proc* p) {
  if (p->p_state == PRS_NORMAL) p->p_sflag |= PS_INMEM;
  p->p_sflag &= ~PS_SWAPPINGIN;
}
// faultin(): with a swap-in already under way it sleeps once and returns;
// otherwise it brings the process in.
void Kernel::faultin(proc* p) {
  PROC_LOCK_ASSERT(p, MA_OWNED);
  if (p->p_sflag & PS_INMEM) return;
  if (p->p_sflag & PS_SWAPPINGIN) return;  // msleep(&p->p_sflag, ...) once
  p->p_sflag |= PS_INMEM;
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
