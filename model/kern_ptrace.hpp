// ptrace(2) as the seed implements it: ptrace() (seed 328-388), kern_ptrace()
// (seed 390-742), proc_rwmem() (seed 147-311) and PROC_ACTION (seed 83-92).
//
// Each phase is an ordered check list (first_failing) followed by its effect,
// in the seed's order; the line numbers are the seed's. The lines marked
// `delta <name>` are the changes of model/deltas/<name>.hpp: a delta's checks
// are in the lists only when it is on (and the seed checks it replaces only when
// it is off; the check table says which), its effects ask delta_on().
#pragma once

#include "model/check.hpp"
#include "model/cred.hpp"
#include "model/deltas/all.hpp"
#include "model/signals.hpp"
#include "model/vm_layout.hpp"

namespace ptm {

// The arguments of ptrace(req, pid, addr, data), plus what the call's user
// buffers hold where the model needs it: the struct ptrace_io_desc that `addr`
// points to for PT_IO, and whether the register set passed to PT_SETREGS /
// PT_SETDBREGS passes the machine-dependent checks (regs_ok).
template <class D>
struct PtraceArgs {
  using Int = typename D::Int;
  using Bool = typename D::Bool;
  BOOST_HANA_DEFINE_STRUCT(PtraceArgs, (Int, pid), (Int, addr), (Int, data), (Int, piod_op), (Int, piod_offs),
                           (Int, piod_addr), (Int, piod_len), (Bool, regs_ok));
};

constexpr bool is_resume_req(Req r) { return r == PT_STEP || r == PT_CONTINUE || r == PT_DETACH; }
constexpr bool is_rw_req(Req r) { return r == PT_READ_I || r == PT_READ_D || r == PT_WRITE_I || r == PT_WRITE_D; }
constexpr bool is_regs_req(Req r) {
  return r == PT_GETREGS || r == PT_SETREGS || r == PT_GETFPREGS || r == PT_SETFPREGS || r == PT_GETDBREGS ||
         r == PT_SETDBREGS;
}
constexpr bool is_get_req(Req r) { return r == PT_GETREGS || r == PT_GETFPREGS || r == PT_GETDBREGS; }
// The requests of the seed's second permission case (seed 477-491).
constexpr bool needs_tracer_req(Req r) { return is_rw_req(r) || is_regs_req(r) || is_resume_req(r) || r == PT_IO || r == PT_KILL; }
constexpr bool locks_proctree(Req r) { return r == PT_TRACE_ME || r == PT_ATTACH || is_resume_req(r); }
// The size ptrace() copies in (before kern_ptrace) or out (after), 0 if none.
constexpr int copyin_size(Req r) {
  return r == PT_SETREGS ? SIZEOF_REG : r == PT_SETFPREGS ? SIZEOF_FPREG : r == PT_SETDBREGS ? SIZEOF_DBREG
       : r == PT_IO ? SIZEOF_PIOD : 0;
}
constexpr int copyout_size(Req r) {
  return r == PT_GETREGS ? SIZEOF_REG : r == PT_GETFPREGS ? SIZEOF_FPREG : r == PT_GETDBREGS ? SIZEOF_DBREG : 0;
}

// For a report: the processes (slots) of the p_pptr cycle the walk from
// `start` enters, in walk order; empty when the walk reaches NULL.
template <int N>
constexpr std::array<int, N + 1> ancestor_cycle(const State<Concrete, N>& s, int start) {
  std::array<int, N + 1> out{};
  out.fill(NOPROC);
  int seen_at[N];
  for (int& x : seen_at) x = -1;
  int pp = start;
  for (int k = 0; pp != NOPROC && k <= N; ++k) {
    if (seen_at[pp] >= 0) {
      int j = 0;
      for (int q = pp;; q = static_cast<int>(s.procs[q].p_pptr)) {
        out[j++] = q;
        if (static_cast<int>(s.procs[q].p_pptr) == pp) break;
      }
      return out;
    }
    seen_at[pp] = k;
    pp = static_cast<int>(s.procs[pp].p_pptr);
  }
  return out;
}

// _PHOLD(p): if the process is swapped out, faultin() brings it in; if a
// swap-in is already under way, faultin() sleeps until that one has finished
// (5.x vm/vm_glue.c faultin(), docs/environment.md). Either way PS_INMEM is
// set when _PHOLD returns, so PROC_ACTION's EIO cannot fire.
template <class D>
constexpr Proc<D> _PHOLD(Proc<D> p) {
  p.PS_INMEM = D::lit(true);
  p.PS_SWAPPINGIN = D::lit(false);
  return p;
}

// proc_rwmem(p, uio) (seed 147-311), for a transfer of `len` bytes at the target's
// `offs`, to or from the caller's buffer at `uaddr` when the uio is
// UIO_USERSPACE (PT_IO) or a kernel int when UIO_SYSSPACE (PT_READ_*/PT_WRITE_*).
// Pages are moved in order; each page is faulted before its bytes are copied, so
// the first failure decides which check fires.
// The bytes proc_rwmem() moves for `len` at `offs` when nothing faults.
// uio_resid is an int: a length above INT_MAX is negative there. The
// do { } while runs once, and its chunk `min(PAGE_SIZE - page_offset,
// uio_resid)` is libkern's u_int min: the rest of the first page (seed 210).
// uiomove()'s `uio_resid -= cnt` then wraps (an int) when the length was
// within one page of INT_MIN: the loop goes on with a large positive residue.
template <class D>
constexpr Int<D> rwmem_length(Int<D> offs, Int<D> len) {
  const Int<D> resid = D::to_i32(len);
  const Int<D> first = D::num(PAGE_SIZE) - D::bit_and(offs, D::num(PAGE_SIZE - 1));
  const Int<D> after = D::to_i32(resid - first);
  return D::ite(resid < D::num(0), D::ite(after > D::num(0), first + after, first), resid);
}

template <class D, int N, class Done>
constexpr auto proc_rwmem(const State<D, N>& s, const Proc<D>& p, Bool<D> writing, Int<D> offs, Int<D> len,
                          bool userspace, Int<D> uaddr, Done&& done) {
  len = rwmem_length<D>(offs, len);
  Int<D> touched = D::ite(len > D::num(0), len, D::num(1));  // do { ... } while: at least one page
  Int<D> t = D::ite(writing, accessible_run<D>(kTargetWrite, offs), accessible_run<D>(kTargetRead, offs));
  Bool<D> t_fails = t < touched;
  // Reading the target copies out to the caller; writing it copies in from the caller.
  Int<D> c = D::ite(writing, accessible_run<D>(kCallerCopyin, uaddr), accessible_run<D>(kCallerCopyout, uaddr));
  Bool<D> c_fails = D::lit(userspace) && c < len;
  return first_failing<D>(
      s,
      hana::make_tuple(
          check(C_RWMEM_WEXIT, [&] { return p.P_WEXIT; }),
          // vm_refcnt < 1 only after exit1() released the vmspace, with P_WEXIT set.
          check(C_RWMEM_VMSPACE, [&] { return D::lit(false); }),
          check(C_RWMEM_FAULT, [&] { return t_fails && !(c_fails && c < t); }),
          check(C_RWMEM_LOOKUP, [&] { return D::lit(false); }),
          check(C_RWMEM_NOPAGE, [&] { return D::lit(false); }),
          check_if(userspace, C_RWMEM_UIOMOVE, [&] { return c_fails; })),
      done);
}

// sendsig: (seed 598-614), the tail shared by PT_ATTACH, PT_STEP, PT_CONTINUE,
// PT_DETACH and PT_KILL: resume a stopped process with `data` in p_xstat, else
// post `data` as a signal.
template <class D, int N>
constexpr Step<D, State<D, N>> sendsig(const State<D, N>& s, Int<D> slot, Int<D> data) {
  const Proc<D> p = proc_at<D>(s, slot);
  const Bool<D> stopped = P_SHOULDSTOP<D>(p);
  return first_failing<D>(
      s, hana::make_tuple(check(C_PSIGNAL_RANGE, [&] { return !stopped && data != D::num(0) && !sig_valid<D>(data); })),
      [&] {
        Proc<D> resumed = p;
        resumed.p_xstat = D::to_u16(data);  // p_xstat is a u_short
        resumed.P_STOPPED_TRACE = resumed.P_STOPPED_SIG = D::lit(false);
        // thread_unsuspend(p) and setrunnable(td2): the thread runs again.
        State<D, N> next = D::branch(
            stopped, [&] { return with_proc<D>(s, slot, resumed); },
            [&] { return D::branch(data != D::num(0), [&] { return psignal<D>(s, slot, data); }, [&] { return s; }); });
        return Step<D, State<D, N>>{Outcome<D>::ok(), next};
      });
}

// kern_ptrace(td, req, pid, addr, data) (seed 390-742), for the caller at slot `td`.
template <class D, int N>
constexpr Step<D, State<D, N>> kern_ptrace(const State<D, N>& s, Int<D> td, Req req, const PtraceArgs<D>& a) {
  using S = State<D, N>;
  const Proc<D> curp = proc_at<D>(s, td);
  // seed 418-427: PT_TRACE_ME acts on the caller, everything else on pfind(pid).
  const Int<D> slot = req == PT_TRACE_ME ? td : pfind<D>(s, a.pid);
  const Bool<D> found = slot != D::num(NOPROC);
  const Proc<D> p = D::branch(found, [&] { return proc_at<D>(s, slot); }, [] { return empty_proc<D>(); });
  const Ucred<D>& tc = curp.p_ucred;
  const Ucred<D>& pc = p.p_ucred;
  const Bool<D> self = slot == td;  // p_candebug: `p == curproc` returns 0 early
  const Bool<D> priv = suser_prison_root<D>(s, tc);
  const bool attach = req == PT_ATTACH;
  const bool tracer_req = needs_tracer_req(req);
  const bool known_req = req == PT_TRACE_ME || attach || tracer_req;
  AncestorWalk<D> walk{D::lit(false), D::lit(false)};
  if (attach) walk = ancestor_walk<D>(s, curp.p_pptr, slot);

  auto checks = hana::make_tuple(
      check_if(req != PT_TRACE_ME, C_PFIND, [&] { return !found; }),
      // delta wexit_esrch
      check(C_WEXIT_ESRCH, [&] { return deltas::wexit_esrch::exiting<D>(p); }),
      // p_cansee(td, p) (seed 428-429)
      check(C_CANSEE_PRISON, [&] { return prison_check_fails<D>(tc, pc); }),
      check(C_CANSEE_UIDS, [&] { return seeotheruids_fails<D>(s, tc, pc); }),
      check(C_CANSEE_GIDS, [&] { return seeothergids_fails<D>(s, tc, pc); }),
      // p_candebug(td, p) (seed 431-432)
      check(C_CANDEBUG_UNPRIV, [&] { return s.unprivileged_proc_debug == D::num(0) && !priv; }),
      // delta unpriv_after_self: the same test, after `p == curproc` returned 0
      check(C_CANDEBUG_UNPRIV_NOT_SELF, [&] { return !self && s.unprivileged_proc_debug == D::num(0) && !priv; }),
      check(C_CANDEBUG_PRISON, [&] { return !self && prison_check_fails<D>(tc, pc); }),
      check(C_CANDEBUG_UIDS, [&] { return !self && seeotheruids_fails<D>(s, tc, pc); }),
      check(C_CANDEBUG_GIDS, [&] { return !self && seeothergids_fails<D>(s, tc, pc); }),
      check(C_CANDEBUG_CRED, [&] { return !self && (!candebug_cred_ok<D>(tc, pc) || p.P_SUGID) && !priv; }),
      check(C_CANDEBUG_INIT_SECURE, [&] { return !self && slot == D::num(SLOT_INIT) && securelevel_gt<D>(s, 0); }),
      check(C_CANDEBUG_INEXEC, [&] { return !self && p.P_INEXEC; }),
      // delta inexec_ebusy: the same test, EBUSY
      check(C_CANDEBUG_INEXEC_EBUSY, [&] { return !self && p.P_INEXEC; }),
      /* System processes can't be debugged. */
      check(C_SYSTEM, [&] { return p.P_SYSTEM; }),
      // case PT_TRACE_ME: "Always legal." (delta trace_me_refusals: unless traced, or a child of init)
      check_if(req == PT_TRACE_ME, C_TRACE_ME_TRACED, [&] { return deltas::trace_me_refusals::already_traced<D>(p); }),
      check_if(req == PT_TRACE_ME, C_TRACE_ME_INIT_PARENT, [&] { return deltas::trace_me_refusals::parent_is_init<D>(p); }),
      // case PT_ATTACH:
      /* Self */
      check_if(attach, C_ATTACH_SELF, [&] { return p.p_pid == curp.p_pid; }),
      /* Already traced */
      check_if(attach, C_ATTACH_TRACED, [&] { return p.P_TRACED; }),
      /* Can't trace an ancestor if you're being traced. */
      check_if(attach, C_ATTACH_ANCESTOR_LOOP, [&] { return curp.P_TRACED && walk.loops; }),
      check_if(attach, C_ATTACH_ANCESTOR, [&] { return curp.P_TRACED && walk.found; }),
      // delta attach_ancestor_any: the same walk for every caller
      check_if(attach, C_ATTACH_ANCESTOR_ANY_LOOP, [&] { return walk.loops; }),
      check_if(attach, C_ATTACH_ANCESTOR_ANY, [&] { return walk.found; }),
      // case PT_READ_I ... PT_SETDBREGS:
      /* not being traced... */
      check_if(tracer_req, C_NOT_TRACED, [&] { return !p.P_TRACED; }),
      /* not being traced by YOU */
      check_if(tracer_req, C_NOT_YOURS, [&] { return p.p_pptr != td; }),
      /* not currently stopped */
      check_if(tracer_req, C_NOT_STOPPED, [&] { return !P_SHOULDSTOP<D>(p) || !p.P_WAITED; }),
      // delta trace_stop_required
      check_if(tracer_req, C_NOT_TRACE_STOPPED, [&] { return deltas::trace_stop_required::not_trace_stopped<D>(p); }),
      // default:
      check_if(!known_req, C_UNKNOWN_REQ, [&] { return D::lit(true); }));

  return first_failing<D>(s, checks, [&]() -> Step<D, S> {
    // seed 532-735: actually do the requests.
    switch (req) {
      case PT_TRACE_ME: {
        /* set my trace flag and "owner" so it can read/write me */
        Proc<D> q = p;
        q.P_TRACED = D::lit(true);
        q.p_oppid = pid_of<D>(s, p.p_pptr);
        q.g_oparent = D::ite(p.P_TRACED, p.g_oparent, p.p_pptr);
        return {Outcome<D>::ok(), with_proc<D>(s, slot, q)};
      }
      case PT_ATTACH: {
        /* security check done above */
        Proc<D> q = p;
        q.P_TRACED = D::lit(true);
        q.p_oppid = pid_of<D>(s, p.p_pptr);
        // Ghost: the parent from before tracing. A process attached while
        // already traced (only a mutant without ATTACH_TRACED can) keeps the
        // one it had before the first tracer, so a takeover shows (OPPID_REAL).
        q.g_oparent = D::ite(p.P_TRACED, p.g_oparent, p.p_pptr);
        q.g_attach_stop_due = D::lit(true);
        // delta attach_clears_sig_stop: a job-control stop is cleared, so SIGSTOP is posted below
        if (delta_on(D_ATTACH_CLEARS_SIG_STOP)) q = deltas::attach_clears_sig_stop::clear_sig_stop<D>(q);
        S s1 = with_proc<D>(s, slot, q);
        s1 = proc_reparent<D>(s1, slot, td);  // a no-op when the caller is already the parent
        return sendsig<D>(s1, slot, D::num(BSD_SIGSTOP));
      }
      case PT_STEP:
      case PT_CONTINUE:
      case PT_DETACH: {
        /* XXX data is used even in the PT_STEP case. */
        auto range = hana::make_tuple(
            check_if(req != PT_STEP, C_SIGNAL_RANGE, [&] { return D::ugt32(a.data, D::num(_SIG_MAXSIG)); }),
            // delta resume_signal_range: every resuming request
            check(C_RESUME_SIGNAL_RANGE, [&] { return deltas::resume_signal_range::bad_signal<D>(a.data); }),
            check_if(req == PT_STEP, C_STEP_MD, [&] { return D::lit(false); }),
            check(C_SET_PC_MD, [&] { return a.addr != D::num(1) && D::lit(false); }));
        // The range check comes before _PHOLD; the MD hooks after it cannot fail on i386.
        return first_failing<D>(s, range, [&]() -> Step<D, S> {
          Proc<D> q = _PHOLD<D>(p);
          if (req == PT_STEP) q.td_sstep = D::lit(true);  // ptrace_single_step(td2)
          q.td_pc = D::ite(a.addr != D::num(1), a.addr, q.td_pc);  // ptrace_set_pc(td2, addr)
          S s1 = with_proc<D>(s, slot, q);
          if (req == PT_DETACH) {
            /* reset process parent */
            Bool<D> reset = q.p_oppid != pid_of<D>(s1, q.p_pptr);
            Int<D> pp = pfind<D>(s1, q.p_oppid);
            pp = D::ite(pp == D::num(NOPROC), D::num(SLOT_INIT), pp);  // initproc
            if (delta_on(D_DETACH_REAL_PARENT)) {  // delta detach_real_parent: by link, not by pid
              pp = deltas::detach_real_parent::real_parent<D>(s1, q);
              reset = pp != q.p_pptr;
            }
            s1 = D::branch(reset, [&] { return proc_reparent<D>(s1, slot, pp); }, [&] { return s1; });
            Proc<D> r = proc_at<D>(s1, slot);
            r.P_TRACED = r.P_WAITED = D::lit(false);
            r.p_oppid = D::num(0);
            r.g_oparent = D::num(NOPROC);
            r.g_attach_stop_due = D::lit(false);
            /* should we send BSD_SIGCHLD? */
            s1 = with_proc<D>(s1, slot, r);
          }
          return sendsig<D>(s1, slot, a.data);
        });
      }
      case PT_WRITE_I:
      case PT_WRITE_D:
      case PT_READ_I:
      case PT_READ_D: {
        const bool write = req == PT_WRITE_I || req == PT_WRITE_D;
        return proc_rwmem<D>(s, p, D::lit(write), a.addr, D::num(SIZEOF_INT), false, D::num(0), [&]() -> Step<D, S> {
          // uio_resid is 0 whenever proc_rwmem() returned 0, so the EINVAL
          // conversion of seed 637-649 never applies (RW_SHORT is unreachable).
          return first_failing<D>(s, hana::make_tuple(check(C_RW_SHORT, [&] { return D::lit(false); })), [&] {
            // td_retval[0] = the word read (seed 651): memory.hpp fills it in.
            return Step<D, S>{Outcome<D>::ok(), s};
          });
        });
      }
      case PT_IO: {
        Bool<D> op_read = a.piod_op == D::num(PIOD_READ_D) || a.piod_op == D::num(PIOD_READ_I);
        Bool<D> op_write = a.piod_op == D::num(PIOD_WRITE_D) || a.piod_op == D::num(PIOD_WRITE_I);
        return first_failing<D>(s, hana::make_tuple(check(C_IO_OP, [&] { return !op_read && !op_write; })), [&] {
          // seed 680: piod_len -= uio_resid; the descriptor is copied back on
          // success (368-375). The outcome's status is that piod_len: all of
          // it, or for a length above INT_MAX the rest of the first page.
          const Int<D> resid = D::to_i32(a.piod_len);
          const Int<D> moved = D::num(PAGE_SIZE) - D::bit_and(a.piod_offs, D::num(PAGE_SIZE - 1));
          const Bool<D> one_chunk = resid < D::num(0) && !(D::to_i32(resid - moved) > D::num(0));
          const Int<D> piod_len_out = D::ite(one_chunk, moved, a.piod_len);
          return proc_rwmem<D>(s, p, op_write, a.piod_offs, a.piod_len, true, a.piod_addr,
                               [&] { return Step<D, S>{Outcome<D>::ok(D::num(0), piod_len_out), s}; });
        });
      }
      case PT_KILL:
        return sendsig<D>(s, slot, D::num(BSD_SIGKILL));
      case PT_SETREGS:
      case PT_GETREGS:
      case PT_SETFPREGS:
      case PT_GETFPREGS:
      case PT_SETDBREGS:
      case PT_GETDBREGS: {
        S s1 = with_proc<D>(s, slot, _PHOLD<D>(p));
        const Proc<D> held = proc_at<D>(s1, slot);
        auto action = hana::make_tuple(
            check(C_PROC_ACTION_EIO, [&] { return !held.PS_INMEM; }),
            check_if(req == PT_SETREGS, C_SET_REGS_MD, [&] { return !a.regs_ok; }),
            check_if(req == PT_SETDBREGS, C_SET_DBREGS_MD, [&] { return !a.regs_ok; }));
        return first_failing<D>(s1, action, [&] { return Step<D, S>{Outcome<D>::ok(), s1}; });
      }
      default:
        return first_failing<D>(s, hana::make_tuple(check(C_UNREACHABLE, [&] { return D::lit(true); })),
                                [&] { return Step<D, S>{Outcome<D>::ok(), s}; });
    }
  });
}

// ptrace(td, uap) (seed 328-388): copyin of the request's buffer, kern_ptrace,
// then copyout of the result. PT_IO's descriptor is copied back with its error
// ignored (seed 374), so no check follows it.
template <class D, int N>
constexpr Step<D, State<D, N>> ptrace(const State<D, N>& s, Int<D> td, Req req, const PtraceArgs<D>& a) {
  using S = State<D, N>;
  const int in = copyin_size(req), out = copyout_size(req);
  auto copyin = hana::make_tuple(check_if(in > 0, C_PTRACE_COPYIN, [&] {
    return accessible_run<D>(kCallerCopyin, a.addr) < D::num(in);
  }));
  return first_failing<D>(s, copyin, [&]() -> Step<D, S> {
    Step<D, S> r = kern_ptrace<D>(s, td, req, a);
    if (out == 0) return r;
    return D::branch(
        r.out.kind == D::num(K_OK),
        [&] {
          auto copyout = hana::make_tuple(check(C_PTRACE_COPYOUT, [&] {
            return accessible_run<D>(kCallerCopyout, a.addr) < D::num(out);
          }));
          return first_failing<D>(r.next, copyout, [&] { return r; });
        },
        [&] { return r; });
  });
}

}  // namespace ptm
