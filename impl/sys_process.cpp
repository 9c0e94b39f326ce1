// sys/kern/sys_process.c at the seed's revision, on the simulated kernel.
// The seed's line numbers are in the comments; put the two side by side.
#include <algorithm>
#include <cstring>

#include "impl/sim.hpp"

namespace impl {

// seed 83-92
#define PROC_ACTION(action)                                   \
  do {                                                        \
    int error;                                                \
    PROC_LOCK_ASSERT(td->td_proc, MA_OWNED);                  \
    if ((td->td_proc->p_sflag & PS_INMEM) == 0)               \
      error = fail_at(C_PROC_ACTION_EIO, BSD_EIO);            \
    else                                                      \
      error = (action);                                       \
    return (error);                                           \
  } while (0)

int Kernel::proc_read_regs(thread* td, reg* regs) { PROC_ACTION(fill_regs(td, regs)); }             // seed 94-99
int Kernel::proc_write_regs(thread* td, reg* regs) { PROC_ACTION(set_regs(td, regs)); }             // seed 101-106
int Kernel::proc_read_dbregs(thread* td, dbreg* regs) { PROC_ACTION(fill_dbregs(td, regs)); }       // seed 108-113
int Kernel::proc_write_dbregs(thread* td, dbreg* regs) { PROC_ACTION(set_dbregs(td, regs)); }       // seed 115-120
int Kernel::proc_read_fpregs(thread* td, fpreg* regs) { PROC_ACTION(fill_fpregs(td, regs)); }       // seed 126-131
int Kernel::proc_write_fpregs(thread* td, fpreg* regs) { PROC_ACTION(set_fpregs(td, regs)); }       // seed 133-138

namespace {
// libkern's min(): `static __inline u_int min(u_int a, u_int b)`; the seed's
// `len = min(PAGE_SIZE - page_offset, uio->uio_resid)` converts a negative
// uio_resid to a large u_int.
inline u_int min(u_int a, u_int b) { return a < b ? a : b; }

// uiomove() (5.x kern_subr.c): `while (n > 0 && uio->uio_resid)` move
// cnt = min(iov_len, n) bytes, then iov_base += cnt, iov_len -= cnt,
// uio_resid -= cnt, uio_offset += cnt, n -= cnt; a copyin/copyout error
// returns at once, the counts untouched. One iovec (the seed's); an empty one
// would step to the next, which never happens: iov_len and uio_resid start
// equal (mod 2^32) and fall together. uio_resid is an int and the
// arithmetic wraps as i386 does.
int uiomove(Kernel& k, std::uint8_t* cp, int n, Kernel::uio* uio) {
  int error = 0;
  while (n > 0 && uio->uio_resid) {
    u_int cnt = uio->iov_len;
    if (cnt == 0) panic("uiomove: past the seed's one iovec");
    if (cnt > static_cast<u_int>(n)) cnt = static_cast<u_int>(n);
    if (uio->uio_segflg == UIO_SYSSPACE) {
      auto* ubuf = static_cast<std::uint8_t*>(uio->iov_base);
      if (uio->uio_rw == UIO_READ) std::memcpy(ubuf, cp, cnt);
      else std::memcpy(cp, ubuf, cnt);
    } else {
      thread* saved = k.curthread;
      k.curthread = uio->uio_td;
      auto uaddr = reinterpret_cast<vm_offset_t>(uio->iov_base);
      error = uio->uio_rw == UIO_READ ? k.copyout(cp, uaddr, cnt) : k.copyin(uaddr, cp, cnt);
      k.curthread = saved;
      if (error) return k.fail_at(C_RWMEM_UIOMOVE, error);
    }
    uio->iov_base = static_cast<std::uint8_t*>(uio->iov_base) + cnt;
    uio->iov_len -= cnt;
    uio->uio_resid = static_cast<int>(static_cast<u_int>(uio->uio_resid) - cnt);
    uio->uio_offset += cnt;
    cp += cnt;
    n -= static_cast<int>(cnt);
  }
  return error;
}
}  // namespace

// seed 147-311
int Kernel::proc_rwmem(proc* p, uio* uio) {
  mtx_assert(Giant, MA_OWNED);  // GIANT_REQUIRED
  vm_object_t object = nullptr;
  int error = 0;
  /*
   * if the vmspace is in the midst of being deallocated or the
   * process is exiting, don't try to grab anything.
   */
  vmspace* vm = p->p_vmspace.get();
  if ((p->p_flag & P_WEXIT)) return fail_at(C_RWMEM_WEXIT, BSD_EFAULT);
  if (vm == nullptr || vm->vm_refcnt < 1) return fail_at(C_RWMEM_VMSPACE, BSD_EFAULT);
  ++vm->vm_refcnt;
  const bool writing = uio->uio_rw == UIO_WRITE;
  const int reqprot = writing ? (VM_PROT_WRITE | VM_PROT_OVERRIDE_WRITE) : VM_PROT_READ;
  std::uint8_t kva[PAGE_SIZE];  // kmem_alloc_pageable(kernel_map, PAGE_SIZE)

  /* Only map in one page at a time. */
  do {
    object = nullptr;
    vm_offset_t uva = static_cast<vm_offset_t>(static_cast<std::uint32_t>(uio->uio_offset));  // 32-bit vm_offset_t
    vm_offset_t pageno = uva & ~(PAGE_SIZE - 1);  // trunc_page
    int page_offset = static_cast<int>(uva - pageno);
    u_int len = min(PAGE_SIZE - page_offset, static_cast<u_int>(uio->uio_resid));

    /* Fault the page on behalf of the process */
    error = vm_fault(*vm, pageno, reqprot);
    if (error) {
      error = fail_at(C_RWMEM_FAULT, BSD_EFAULT);
      break;
    }
    /* Now we need to get the page. */
    vm_map_entry* out_entry;
    std::uint64_t pindex;
    error = vm_map_lookup(*vm, pageno, reqprot, &out_entry, &object, &pindex);
    if (error) {
      error = fail_at(C_RWMEM_LOOKUP, BSD_EFAULT);
      object = nullptr;
      break;
    }
    vm_page* m;
    vm_object_t backing_object;
    while ((m = [&]() -> vm_page* {
             auto it = object->memq.find(pindex);
             return it == object->memq.end() ? nullptr : it->second.get();
           }()) == nullptr &&
           !writing && (backing_object = object->backing_object) != nullptr) {
      /* Allow fallback to backing objects if we are reading. */
      pindex += object->backing_object_offset / PAGE_SIZE;
      object = backing_object;
    }
    if (m == nullptr) {
      error = fail_at(C_RWMEM_NOPAGE, BSD_EFAULT);
      object = nullptr;
      break;
    }
    /* Wire the page into memory */
    ++m->wire_count;
    /* Now do the i/o move. */
    if (writing) {
      error = uiomove(*this, kva + page_offset, static_cast<int>(len), uio);
      if (!error) std::memcpy(m->data.data() + page_offset, kva + page_offset, len);
    } else {
      std::memcpy(kva + page_offset, m->data.data() + page_offset, len);
      error = uiomove(*this, kva + page_offset, static_cast<int>(len), uio);
    }
    /* release the page and the object */
    --m->wire_count;
    object = nullptr;
  } while (error == 0 && uio->uio_resid > 0);

  --vm->vm_refcnt;  // vmspace_free(vm)
  return (error);
}

// seed 328-388
int Kernel::ptrace(thread* td, ptrace_args* uap) {
  union {
    ptrace_io_desc piod;
    dbreg dbreg_;
    fpreg fpreg_;
    reg reg_;
  } r;
  std::memset(&r, 0, sizeof r);
  void* addr;
  int error = 0;

  addr = &r;
  switch (uap->req) {
    case PT_GETREGS:
    case PT_GETFPREGS:
    case PT_GETDBREGS:
      break;
    case PT_SETREGS:
      error = copyin(uap->addr, &r.reg_, sizeof r.reg_);
      break;
    case PT_SETFPREGS:
      error = copyin(uap->addr, &r.fpreg_, sizeof r.fpreg_);
      break;
    case PT_SETDBREGS:
      error = copyin(uap->addr, &r.dbreg_, sizeof r.dbreg_);
      break;
    case PT_IO:
      error = copyin(uap->addr, &r.piod, sizeof r.piod);
      break;
    default:
      addr = reinterpret_cast<void*>(uap->addr);
  }
  if (error) return fail_at(C_PTRACE_COPYIN, error);

  error = kern_ptrace(td, uap->req, uap->pid, addr, uap->data);
  if (error) return (error);

  switch (uap->req) {
    case PT_IO:
      (void)copyout(&r.piod, uap->addr, sizeof r.piod);
      break;
    case PT_GETREGS:
      error = copyout(&r.reg_, uap->addr, sizeof r.reg_);
      break;
    case PT_GETFPREGS:
      error = copyout(&r.fpreg_, uap->addr, sizeof r.fpreg_);
      break;
    case PT_GETDBREGS:
      error = copyout(&r.dbreg_, uap->addr, sizeof r.dbreg_);
      break;
  }
  if (error) return fail_at(C_PTRACE_COPYOUT, error);
  return (error);
}

// seed 390-742
int Kernel::kern_ptrace(thread* td, int req, pid_t pid, void* addr, int data) {
  uio uio;
  proc *curp, *p, *pp;
  thread* td2;
  ptrace_io_desc* piod;
  int error, write, tmp;
  int proctree_locked = 0;

  curp = td->td_proc;

  /* Lock proctree before locking the process. */
  switch (req) {
    case PT_TRACE_ME:
    case PT_ATTACH:
    case PT_STEP:
    case PT_CONTINUE:
    case PT_DETACH:
      sx_xlock(proctree_lock);
      proctree_locked = 1;
      break;
    default:
      break;
  }

  write = 0;
  if (req == PT_TRACE_ME) {
    p = td->td_proc;
    PROC_LOCK(p);
  } else {
    if ((p = pfind(pid)) == nullptr) {
      if (proctree_locked) sx_xunlock(proctree_lock);
      return fail_at(C_PFIND, BSD_ESRCH);
    }
  }
  // delta wexit_esrch: an exiting target is not found.
  if (delta_on(D_WEXIT_ESRCH) && (p->p_flag & P_WEXIT) != 0) {
    error = fail_at(C_WEXIT_ESRCH, BSD_ESRCH);
    goto fail;
  }
  if ((error = p_cansee(td, p)) != 0) goto fail;

  if ((error = p_candebug(td, p)) != 0) goto fail;

  /*
   * System processes can't be debugged.
   */
  if ((p->p_flag & P_SYSTEM) != 0) {
    error = fail_at(C_SYSTEM, BSD_EINVAL);
    goto fail;
  }

  /*
   * Permissions check
   */
  switch (req) {
    case PT_TRACE_ME:
      /* Always legal. */
      if (delta_on(D_TRACE_ME_REFUSALS)) {  // delta trace_me_refusals: unless a parent could not trace us
        if ((p->p_flag & P_TRACED) != 0) {
          error = fail_at(C_TRACE_ME_TRACED, BSD_EBUSY);
          goto fail;
        }
        if (p->p_pptr == initproc()) {
          error = fail_at(C_TRACE_ME_INIT_PARENT, BSD_EPERM);
          goto fail;
        }
      }
      break;

    case PT_ATTACH:
      /* Self */
      if (p->p_pid == td->td_proc->p_pid) {
        error = fail_at(C_ATTACH_SELF, BSD_EINVAL);
        goto fail;
      }

      /* Already traced */
      if (p->p_flag & P_TRACED) {
        error = fail_at(C_ATTACH_TRACED, BSD_EBUSY);
        goto fail;
      }

      /* Can't trace an ancestor if you're being traced. */
      // (delta attach_ancestor_any: traced or not)
      // (`any` not const: a const bool would be constant-initialised, where delta_on() is false)
      if (bool any = delta_on(D_ATTACH_ANCESTOR_ANY); (curp->p_flag & P_TRACED) || any) {
        // The seed's loop, with a step count: more steps than processes is a cycle.
        int steps = 0;
        std::vector<pid_t> walked;
        for (pp = curp->p_pptr; pp != nullptr; pp = pp->p_pptr) {
          if (pp == p) {
            error = fail_at(any ? C_ATTACH_ANCESTOR_ANY : C_ATTACH_ANCESTOR, BSD_EINVAL);
            goto fail;
          }
          walked.push_back(pp->p_pid);
          if (++steps > nproc()) {
            last_check = any ? C_ATTACH_ANCESTOR_ANY_LOOP : C_ATTACH_ANCESTOR_LOOP;
            throw KernelHang("kern_ptrace: the ancestor walk never ends", walked);
          }
        }
      }

      /* OK */
      break;

    case PT_READ_I:
    case PT_READ_D:
    case PT_WRITE_I:
    case PT_WRITE_D:
    case PT_IO:
    case PT_CONTINUE:
    case PT_KILL:
    case PT_STEP:
    case PT_DETACH:
    case PT_GETREGS:
    case PT_SETREGS:
    case PT_GETFPREGS:
    case PT_SETFPREGS:
    case PT_GETDBREGS:
    case PT_SETDBREGS:
      /* not being traced... */
      if ((p->p_flag & P_TRACED) == 0) {
        error = fail_at(C_NOT_TRACED, BSD_EPERM);
        goto fail;
      }

      /* not being traced by YOU */
      if (p->p_pptr != td->td_proc) {
        error = fail_at(C_NOT_YOURS, BSD_EBUSY);
        goto fail;
      }

      /* not currently stopped */
      if (delta_on(D_TRACE_STOP_REQUIRED)) {  // delta trace_stop_required: a trace stop only
        if ((p->p_flag & P_STOPPED_TRACE) == 0 || (p->p_flag & P_WAITED) == 0) {
          error = fail_at(C_NOT_TRACE_STOPPED, BSD_EBUSY);
          goto fail;
        }
      } else if (!P_SHOULDSTOP(p) || (p->p_flag & P_WAITED) == 0) {
        error = fail_at(C_NOT_STOPPED, BSD_EBUSY);
        goto fail;
      }

      /* OK */
      break;

    default:
      error = fail_at(C_UNKNOWN_REQ, BSD_EINVAL);
      goto fail;
  }

  td2 = FIRST_THREAD_IN_PROC(p);
  /* FIX_SSTEP is not defined on i386. */

  /*
   * Actually do the requests
   */

  td->td_retval[0] = 0;

  switch (req) {
    case PT_TRACE_ME:
      /* set my trace flag and "owner" so it can read/write me */
      if ((p->p_flag & P_TRACED) == 0) p->p_orphan_of = nullptr;  // the real parent is the parent
      p->p_flag |= P_TRACED;
      p->p_oppid = p->p_pptr->p_pid;
      PROC_UNLOCK(p);
      sx_xunlock(proctree_lock);
      return (0);

    case PT_ATTACH:
      /* security check done above */
      p->p_flag |= P_TRACED;
      p->p_oppid = p->p_pptr->p_pid;
      if (p->p_pptr != td->td_proc) {
        p->p_orphan_of = p->p_pptr;  // delta detach_real_parent reads the link; the seed never does
        proc_reparent(p, td->td_proc);
      }
      if (delta_on(D_ATTACH_CLEARS_SIG_STOP) && (p->p_flag & P_STOPPED_SIG) != 0) {
        // delta attach_clears_sig_stop: clear the job-control stop, so sendsig posts SIGSTOP
        p->p_flag &= ~(P_STOPPED_SIG | P_WAITED);
        mtx_lock_spin(sched_lock);
        thread_unsuspend(p);
        mtx_unlock_spin(sched_lock);
      }
      data = BSD_SIGSTOP;
      goto sendsig; /* in PT_CONTINUE below */

    case PT_STEP:
    case PT_CONTINUE:
    case PT_DETACH:
      /* XXX data is used even in the PT_STEP case. */
      if (delta_on(D_RESUME_SIGNAL_RANGE)) {  // delta resume_signal_range: PT_STEP too
        if (data < 0 || data > _SIG_MAXSIG) {
          error = fail_at(C_RESUME_SIGNAL_RANGE, BSD_EINVAL);
          goto fail;
        }
      } else if (req != PT_STEP && static_cast<unsigned>(data) > _SIG_MAXSIG) {
        error = fail_at(C_SIGNAL_RANGE, BSD_EINVAL);
        goto fail;
      }

      _PHOLD(p);

      if (req == PT_STEP) {
        error = ptrace_single_step(td2);
        if (error) {
          _PRELE(p);
          error = fail_at(C_STEP_MD, error);
          goto fail;
        }
      }

      if (addr != reinterpret_cast<void*>(1)) {
        error = ptrace_set_pc(td2, static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(addr)));
        if (error) {
          _PRELE(p);
          error = fail_at(C_SET_PC_MD, error);
          goto fail;
        }
      }
      _PRELE(p);

      if (req == PT_DETACH) {
        /* reset process parent */
        if (delta_on(D_DETACH_REAL_PARENT)) {
          // delta detach_real_parent: the parent linked at PT_ATTACH, or init once it has exited
          proc* pp2 = proc_realparent(p);
          if (pp2 != p->p_pptr) proc_reparent(p, pp2);
        } else if (p->p_oppid != p->p_pptr->p_pid) {
          proc* pp2;

          PROC_UNLOCK(p);
          pp2 = pfind(p->p_oppid);
          if (pp2 == nullptr)
            pp2 = initproc();
          else
            PROC_UNLOCK(pp2);
          PROC_LOCK(p);
          proc_reparent(p, pp2);
        }
        p->p_flag &= ~(P_TRACED | P_WAITED);
        p->p_oppid = 0;
        p->p_orphan_of = nullptr;

        /* should we send SIGCHLD? */
      }

    sendsig:
      if (proctree_locked) sx_xunlock(proctree_lock);
      /* deliver or queue signal */
      if (P_SHOULDSTOP(p)) {
        p->p_xstat = static_cast<std::uint16_t>(data);
        p->p_flag &= ~(P_STOPPED_TRACE | P_STOPPED_SIG);
        mtx_lock_spin(sched_lock);
        thread_unsuspend(p);
        setrunnable(td2); /* XXXKSE */
        mtx_unlock_spin(sched_lock);
      } else if (data) {
        if (data < 1 || data > _SIG_MAXSIG) last_check = C_PSIGNAL_RANGE;
        psignal(p, data);
      }
      PROC_UNLOCK(p);

      return (0);

    case PT_WRITE_I:
    case PT_WRITE_D:
      write = 1;
      /* FALLTHROUGH */
    case PT_READ_I:
    case PT_READ_D:
      PROC_UNLOCK(p);
      tmp = 0;
      /* write = 0 set above */
      uio.iov_base = write ? static_cast<void*>(&data) : static_cast<void*>(&tmp);
      uio.iov_len = sizeof(int);
      uio.uio_offset = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(addr));
      uio.uio_resid = sizeof(int);
      uio.uio_segflg = UIO_SYSSPACE; /* i.e.: the uap */
      uio.uio_rw = write ? UIO_WRITE : UIO_READ;
      uio.uio_td = td;
      mtx_lock(Giant);
      error = proc_rwmem(p, &uio);
      mtx_unlock(Giant);
      if (uio.uio_resid != 0) {
        /*
         * XXX proc_rwmem() doesn't currently return ENOSPC,
         * so I think write() can bogusly return 0.
         */
        if (error == 0 || error == BSD_ENOSPC || error == BSD_EPERM) error = fail_at(C_RW_SHORT, BSD_EINVAL); /* EOF */
      }
      if (!write) td->td_retval[0] = tmp;
      return (error);

    case PT_IO:
      PROC_UNLOCK(p);
      piod = static_cast<ptrace_io_desc*>(addr);
      uio.iov_base = reinterpret_cast<void*>(static_cast<vm_offset_t>(piod->piod_addr));
      uio.iov_len = piod->piod_len;
      uio.uio_offset = static_cast<std::int64_t>(piod->piod_offs);  // (off_t)(uintptr_t), a 32-bit pointer
      uio.uio_resid = static_cast<int>(piod->piod_len);  // size_t to int: 0xffffffff is -1
      uio.uio_segflg = UIO_USERSPACE;
      uio.uio_td = td;
      switch (piod->piod_op) {
        case PIOD_READ_D:
        case PIOD_READ_I:
          uio.uio_rw = UIO_READ;
          break;
        case PIOD_WRITE_D:
        case PIOD_WRITE_I:
          uio.uio_rw = UIO_WRITE;
          break;
        default:
          return fail_at(C_IO_OP, BSD_EINVAL);
      }
      mtx_lock(Giant);
      error = proc_rwmem(p, &uio);
      mtx_unlock(Giant);
      piod->piod_len -= static_cast<std::uint32_t>(uio.uio_resid);  // size_t -= int, modulo 2^32
      return (error);

    case PT_KILL:
      data = BSD_SIGKILL;
      goto sendsig; /* in PT_CONTINUE above */

    case PT_SETREGS:
      _PHOLD(p);
      error = proc_write_regs(td2, static_cast<reg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    case PT_GETREGS:
      _PHOLD(p);
      error = proc_read_regs(td2, static_cast<reg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    case PT_SETFPREGS:
      _PHOLD(p);
      error = proc_write_fpregs(td2, static_cast<fpreg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    case PT_GETFPREGS:
      _PHOLD(p);
      error = proc_read_fpregs(td2, static_cast<fpreg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    case PT_SETDBREGS:
      _PHOLD(p);
      error = proc_write_dbregs(td2, static_cast<dbreg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    case PT_GETDBREGS:
      _PHOLD(p);
      error = proc_read_dbregs(td2, static_cast<dbreg*>(addr));
      _PRELE(p);
      PROC_UNLOCK(p);
      return (error);

    default:
      last_check = C_UNREACHABLE;
      KASSERT(0, "unreachable code\n");
      break;
  }

  last_check = C_UNREACHABLE;
  KASSERT(0, "unreachable code\n");
  return (0);

fail:
  PROC_UNLOCK(p);
  if (proctree_locked) sx_xunlock(proctree_lock);
  return (error);
}

}  // namespace impl
