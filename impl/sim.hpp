// The simulated kernel: its global state and the kernel functions, named as in
// FreeBSD 5.x. One instance is one machine.
#pragma once

#include <functional>
#include <optional>

#include "impl/kernel.hpp"

namespace impl {

struct Sysctls {
  int securelevel = -1;            // kern.securelevel
  int unprivileged_proc_debug = 1;  // security.bsd.unprivileged_proc_debug
  int see_other_uids = 1;          // security.bsd.see_other_uids
  int see_other_gids = 1;          // security.bsd.see_other_gids
  int suser_enabled = 1;           // security.bsd.suser_enabled
};

// The user memory layout every process gets at its first exec (the model's
// vm_layout.hpp says the same in terms of which accesses fault).
inline constexpr vm_offset_t UVA_TEXT = 0x1000, UVA_DATA = 0x2000, UVA_RO = 0x4000, UVA_GUARD = 0x5000,
                             UVA_SHM = 0x6000, UVA_END = 0x7000;

class Kernel {
 public:
  // nproc: the size of the proc zone; pid_max: pids are 0..pid_max-1 (a wrap restarts at PID_RESERVED).
  Kernel(int nproc, int pid_max);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // ---- the machine, for the harness and the abstraction --------------------
  int nproc() const { return static_cast<int>(zone_.size()); }
  proc* slot(int i) { return zone_[i].used ? &zone_[i].p : nullptr; }
  const proc* slot(int i) const { return zone_[i].used ? &zone_[i].p : nullptr; }
  proc* proc0() { return &zone_[0].p; }
  proc* initproc() { return &zone_[1].p; }
  Sysctls sysctl;
  pid_t lastpid = 1;
  int lastprison = 0;
  int pid_max;
  static constexpr int PID_RESERVED = 2;  // the model's stand-in for the kernel's 100
  std::list<proc*> allproc, zombproc;
  // The process groups (the kernel's pgrphashtbl, one list here) and the
  // storage of pgrps and sessions (MALLOC/FREE).
  std::list<pgrp*> pgrphash;
  // The last check an error return was attributed to (for comparing with the model).
  int last_check = -1;

  // ---- locks (kern_lock.cpp) -------------------------------------------------
  mtx Giant{"Giant", ORDER_GIANT};
  sx proctree_lock{"proctree", ORDER_PROCTREE};
  sx allproc_lock{"allproc", ORDER_ALLPROC};
  mtx sched_lock{"sched lock", ORDER_SCHED};
  thread* curthread = nullptr;  // the thread making the current call (nullptr: the kernel itself)
  void mtx_lock(mtx& m);
  void mtx_unlock(mtx& m);
  void mtx_assert(const mtx& m, int what) const;
  void mtx_lock_spin(mtx& m) { mtx_lock(m); }
  void mtx_unlock_spin(mtx& m) { mtx_unlock(m); }
  void sx_xlock(sx& l);
  void sx_xunlock(sx& l);
  void sx_slock(sx& l);
  void sx_sunlock(sx& l);
  void PROC_LOCK(proc* p) { mtx_lock(p->p_mtx); }
  void PROC_UNLOCK(proc* p) { mtx_unlock(p->p_mtx); }
  void PROC_LOCK_ASSERT(const proc* p, int what) const { mtx_assert(p->p_mtx, what); }
  bool holds_any_lock() const;

  // ---- processes (kern_proc.cpp) --------------------------------------------
  proc* pfind(pid_t pid);  // returns the process locked
  void proc_reparent(proc* child, proc* parent);
  // The parent PT_DETACH returns a process to under the delta detach_real_parent.
  proc* proc_realparent(proc* p) { return p->p_orphan_of ? p->p_orphan_of : p->p_pptr; }
  proc* proc_alloc();  // an item of the proc zone
  void proc_free(proc* p);
  std::optional<pid_t> alloc_pid();
  bool inferior(proc* p);  // is p an inferior of curproc?
  pgrp* pgfind(pid_t pgid);
  int enterpgrp(proc* p, pid_t pgid, pgrp* pg, session* sess);
  int enterthispgrp(proc* p, pgrp* pg);
  void doenterpgrp(proc* p, pgrp* pg);
  int leavepgrp(proc* p);
  void pgdelete(pgrp* pg);
  void fixjobc(proc* p, pgrp* pg, int entering);
  void orphanpg(pgrp* pg);
  pgrp* pgrp_alloc();  // MALLOC(M_PGRP, M_ZERO)
  session* session_alloc();  // MALLOC(M_SESSION, M_ZERO)

  // ---- credentials (kern_prot.cpp) --------------------------------------------
  int suser_cred(const ucred& cred, bool prison_root) const;
  int prison_check(const ucred& c1, const ucred& c2) const;
  int cr_seeotheruids(const ucred& u1, const ucred& u2) const;
  int cr_seeothergids(const ucred& u1, const ucred& u2) const;
  int p_cansee(thread* td, proc* p);
  int p_candebug(thread* td, proc* p);
  int p_cansignal(thread* td, proc* p, int signum);
  int setuid(thread* td, uid_t uid);
  int seteuid(thread* td, uid_t euid);
  int setgid(thread* td, gid_t gid);
  int setegid(thread* td, gid_t egid);
  int setgroups(thread* td, int ngroups, const gid_t* gids);
  int jail(thread* td);
  int setsid(thread* td);
  int setpgid(thread* td, int pid, int pgid);
  int sysctl_write(int which, int value);
  void setsugid(proc* p) { p->p_flag |= P_SUGID; }

  // ---- signals (kern_sig.cpp) --------------------------------------------------
  void psignal(proc* p, int sig);
  int issignal(thread* td);  // one pass; returns the signal taken (0: none)
  void stop(proc* p);
  void thread_unsuspend(proc* p);
  void setrunnable(thread* td);
  int kill(thread* td, pid_t pid, int signum);
  void trapsignal(thread* td, int sig, unsigned long code);

  // ---- process life (kern_fork.cpp, kern_exit.cpp, kern_exec.cpp) -------------------
  int fork1(thread* td, proc** procp);
  proc* spawn(const ucred& cred, bool sugid, bool kernel);  // login: init forks, set*id, exec
  int exit1_begin(thread* td, int rv);
  void exit1_finish(thread* td);
  int wait1(thread* td, pid_t pid, int* status, int options, pid_t* retpid);
  int execve_begin(thread* td, std::int64_t suid, std::int64_t sgid);
  void execve_finish(thread* td);

  // ---- the swapper (vm_glue.c; kern_fork.cpp) ---------------------------------------
  // swapout: the pageout daemon's swapout_procs() choosing p (it swaps p out
  // only if p passes every test of swapout_procs); swapin_begin / swapin: the
  // swapper's faultin(p), its start (PS_SWAPPINGIN) and its end.
  bool swapout_eligible(proc* p);
  void swapout(proc* p);
  void swapin_begin(proc* p);
  void swapin(proc* p);
  void faultin(proc* p);
  void _PHOLD(proc* p);
  void _PRELE(proc* p);

  // ---- virtual memory (vm.cpp) ---------------------------------------------------
  std::shared_ptr<vmspace> vmspace_exec();  // the layout of a new image
  std::shared_ptr<vmspace> vmspace_fork(vmspace& vm);
  int vm_fault(vmspace& map, vm_offset_t va, int fault_type);
  int vm_map_lookup(vmspace& map, vm_offset_t va, int fault_type, vm_map_entry** out_entry, vm_object_t* object,
                    std::uint64_t* pindex);
  int copyin(vm_offset_t uaddr, void* kaddr, std::size_t len);   // from curthread's process
  int copyout(const void* kaddr, vm_offset_t uaddr, std::size_t len);
  // Direct access for the harness and tests (no protection checks; no fault-in).
  bool poke(proc* p, vm_offset_t va, const void* src, std::size_t len);
  bool peek(proc* p, vm_offset_t va, void* dst, std::size_t len);
  // The contents of the page at `page` (page-aligned) as `p` sees it; false when unmapped.
  bool peek_page(const proc* p, vm_offset_t page, std::uint8_t* dst) const;
  vm_object_t text_file, ro_file, rw_file;  // the files every image maps

  // ---- machine dependent (machdep.cpp) ---------------------------------------------
  int fill_regs(thread* td, reg* regs);
  int set_regs(thread* td, const reg* regs);
  int fill_fpregs(thread* td, fpreg* regs);
  int set_fpregs(thread* td, const fpreg* regs);
  int fill_dbregs(thread* td, dbreg* regs);
  int set_dbregs(thread* td, const dbreg* regs);
  int ptrace_set_pc(thread* td, unsigned long addr);
  int ptrace_single_step(thread* td);
  void trap(thread* td, int type);  // a user-mode trap (i386 trap.c), T_TRCTRAP only

  // ---- the seed (sys_process.cpp) ------------------------------------------------
  int proc_read_regs(thread* td, reg* regs);
  int proc_write_regs(thread* td, reg* regs);
  int proc_read_dbregs(thread* td, dbreg* regs);
  int proc_write_dbregs(thread* td, dbreg* regs);
  int proc_read_fpregs(thread* td, fpreg* regs);
  int proc_write_fpregs(thread* td, fpreg* regs);
  struct uio;
  int proc_rwmem(proc* p, uio* uio);
  struct ptrace_args {
    int req;
    pid_t pid;
    vm_offset_t addr;
    int data;
  };
  int ptrace(thread* td, ptrace_args* uap);
  int kern_ptrace(thread* td, int req, pid_t pid, void* addr, int data);

  // An error return attributed to a check of the model's table (the label a
  // reader uses to match the two; the control flow is the impl's own).
  int fail_at(int check, int error) {
    last_check = check;
    return error;
  }

 private:
  struct ZoneItem {
    bool used = false;
    proc p;
  };
  std::vector<ZoneItem> zone_;
  std::list<std::unique_ptr<pgrp>> pgrp_store_;
  std::list<std::unique_ptr<session>> session_store_;
  friend void pgrp_free(Kernel&, pgrp*);
  friend void session_free(Kernel&, session*);
};

// struct uio and struct iovec (sys/uio.h)
enum uio_rw_t { UIO_READ, UIO_WRITE };  // enum uio_rw
enum uio_seg_t { UIO_USERSPACE, UIO_SYSSPACE };  // enum uio_seg
// i386 widths: iov_len is size_t (32 bits), uio_offset off_t (64), uio_resid int.
struct Kernel::uio {
  void* iov_base;  // a kernel address (UIO_SYSSPACE) or a user address in uio_td's process
  std::uint32_t iov_len;
  std::int64_t uio_offset;
  int uio_resid;
  uio_seg_t uio_segflg;
  uio_rw_t uio_rw;
  thread* uio_td;
};
// struct ptrace_io_desc (sys/ptrace.h), i386 layout: int piod_op; void
// *piod_offs; void *piod_addr; size_t piod_len (a 32-bit size_t).
struct ptrace_io_desc {
  std::int32_t piod_op;
  std::uint32_t piod_offs;
  std::uint32_t piod_addr;
  std::uint32_t piod_len;
};
static_assert(sizeof(ptrace_io_desc) == SIZEOF_PIOD);

}  // namespace impl
