#include "impl/trap.hpp"

#include <fmt/format.h>

#include <cstring>

namespace impl {

void reset_held_locks();

using namespace ptm;
using C = Concrete;

namespace {

// The thread can return to user mode and make a call: not stopped, not in
// exit or execve, not still inside issignal() after a trace stop, and in
// memory: a swapped-out thread (PS_INMEM clear) runs only after the swapper
// brings it in (vm_glue.c: its thread is TDI_SWAPPED until faultin).
bool runnable(const proc* p, bool taking_signals) {
  return p && p->p_slot != 0 && p->p_state == PRS_NORMAL && !(p->p_flag & P_KTHREAD) && !P_SHOULDSTOP(p) &&
         !(p->p_flag & (P_WEXIT | P_INEXEC)) && (taking_signals || p->td.td_issignal_sig == 0) &&
         (p->p_sflag & PS_INMEM);
}

// The C conversions of a system call's arguments (i386): the model's values
// are wider; an argument of type uid_t/gid_t/u_int/size_t/caddr_t keeps the
// low 32 bits, an int/pid_t is the low 32 bits as a signed value.
uid_t as_uid(std::int64_t v) { return static_cast<uid_t>(v); }
gid_t as_gid(std::int64_t v) { return static_cast<gid_t>(v); }
int as_int(std::int64_t v) { return static_cast<int>(static_cast<std::uint32_t>(v)); }
std::uint32_t as_u32(std::int64_t v) { return static_cast<std::uint32_t>(v); }
// execve's set-id image owner: the harness's -1 marker, else a uid_t.
std::int64_t as_exec_id(std::int64_t v) { return v == -1 ? -1 : static_cast<std::int64_t>(as_u32(v)); }

ModelOutcome ok(std::int64_t retval = 0, std::int64_t status = 0) { return ModelOutcome::ok(retval, status); }
ModelOutcome err(Kernel& k, int error) {
  return ModelOutcome{K_ERR, error, 0, 0, k.last_check};
}
ModelOutcome result(Kernel& k, int error, std::int64_t retval = 0) {
  return error ? err(k, error) : ok(retval);
}

// What the caller's buffer holds for PT_IO and the PT_SET* requests: the model
// describes it (the descriptor's fields, regs_ok); the harness writes it.
void prepare_buffers(Kernel& k, proc* caller, Req req, const PtraceArgs<C>& a) {
  const auto addr = static_cast<vm_offset_t>(as_u32(a.addr));
  if (req == PT_IO) {
    ptrace_io_desc d{as_int(a.piod_op), as_u32(a.piod_offs), as_u32(a.piod_addr), as_u32(a.piod_len)};
    k.poke(caller, addr, &d, sizeof d);
  } else if (req == PT_SETREGS) {
    // The target's own registers (a round trip of PT_GETREGS), or with IOPL changed.
    reg r{};
    r.r_cs = GUCODE_SEL;
    r.r_eflags = PSL_USER;
    for (int i = 0; i < k.nproc(); ++i)
      if (const proc* p = k.slot(i); p && p->p_pid == as_int(a.pid)) r = p->td.td_frame;
    if (!a.regs_ok) r.r_eflags ^= 0x3000;  // IOPL: not a user-changeable flag
    k.poke(caller, addr, &r, sizeof r);
  } else if (req == PT_SETDBREGS) {
    dbreg d{};
    if (!a.regs_ok) d.dr[7] = 0x00020001;  // L0 enabled, R/W0 = 2 (reserved)
    k.poke(caller, addr, &d, sizeof d);
  } else if (req == PT_SETFPREGS) {
    fpreg f{};
    f.fpr_env[0] = 0x037f;
    k.poke(caller, addr, &f, sizeof f);
  }
}

ModelOutcome run_op(Kernel& k, const Op& op, const Args<C>& a) {
  proc* actor = a.actor >= 0 && a.actor < k.nproc() ? k.slot(static_cast<int>(a.actor)) : nullptr;
  thread* td = actor ? FIRST_THREAD_IN_PROC(actor) : nullptr;
  k.curthread = td;
  if (td) td->td_retval[0] = 0;  // syscall(): td_retval[0] = 0 before the call
  auto target_slot = [&]() -> proc* {
    return a.pid >= 0 && a.pid < k.nproc() ? k.slot(static_cast<int>(a.pid)) : nullptr;
  };
  switch (op.kind) {
    case OP_PTRACE: {
      prepare_buffers(k, actor, op.req, a.pt);
      Kernel::ptrace_args uap{op.req, as_int(a.pt.pid), static_cast<vm_offset_t>(as_u32(a.pt.addr)),
                              as_int(a.pt.data)};
      int error = k.ptrace(td, &uap);
      if (op.req == PT_IO && error == 0) {
        // What the caller sees: the descriptor ptrace() copied back (its piod_len).
        ptrace_io_desc d{};
        if (k.peek(actor, static_cast<vm_offset_t>(as_u32(a.pt.addr)), &d, sizeof d)) return ok(td->td_retval[0], d.piod_len);
      }
      return result(k, error, td->td_retval[0]);
    }
    case OP_SPAWN: {
      ucred c;
      c.cr_uid = as_uid(a.cred.cr_uid);
      c.cr_ruid = as_uid(a.cred.cr_ruid);
      c.cr_svuid = as_uid(a.cred.cr_svuid);
      c.cr_ngroups = static_cast<int>(a.cred.cr_ngroups);
      for (int i = 0; i < NGROUPS; ++i) c.cr_groups[i] = as_gid(a.cred.cr_groups[i]);
      c.cr_rgid = as_gid(a.cred.cr_rgid);
      c.cr_svgid = as_gid(a.cred.cr_svgid);
      c.cr_prison = static_cast<int>(a.cred.cr_prison);
      proc* p = k.spawn(c, a.sugid, a.kernel);
      return p ? ok(p->p_pid) : err(k, BSD_EAGAIN);
    }
    case OP_FORK: {
      proc* child = nullptr;
      int error = k.fork1(td, &child);
      return result(k, error, child ? child->p_pid : 0);
    }
    case OP_EXIT:
      k.exit1_begin(td, static_cast<int>(a.value * 256));
      k.exit1_finish(td);
      return ok();
    case OP_EXIT_BEGIN: return result(k, k.exit1_begin(td, static_cast<int>(a.value * 256)));
    case OP_EXIT_END: k.exit1_finish(td); return ok();
    case OP_WAIT: {
      int status;
      pid_t ret;
      int error = k.wait1(td, as_int(a.pid), &status, as_int(a.options), &ret);
      if (error == -1) return ModelOutcome{K_BLOCKED, 0, 0, 0, C_WAIT_SLEEP};
      return error ? err(k, error) : ok(ret, status);
    }
    case OP_KILL: return result(k, k.kill(td, as_int(a.pid), as_int(a.sig)));
    case OP_TAKESIG: {
      int sig = k.issignal(td);
      // The thread goes on towards user mode: alive, not stopped, not in a
      // trace stop, and no signal left for ast() to take first. With PSL_T in
      // its trapframe, its next user instruction raises the trace trap.
      if (actor->p_state == PRS_NORMAL && !P_SHOULDSTOP(actor) && !(actor->p_flag & P_WEXIT) &&
          td->td_issignal_sig == 0 && SIGISEMPTY(actor->p_siglist) && (td->td_frame.r_eflags & PSL_T)) {
        k.curthread = td;
        k.trap(td, T_TRCTRAP);
      }
      return ok(sig);
    }
    case OP_EXEC:
      k.execve_begin(td, as_exec_id(a.suid), as_exec_id(a.sgid));
      k.execve_finish(td);
      return ok();
    case OP_EXEC_BEGIN: return result(k, k.execve_begin(td, as_exec_id(a.suid), as_exec_id(a.sgid)));
    case OP_EXEC_END: k.execve_finish(td); return ok();
    case OP_SETUID: return result(k, k.setuid(td, as_uid(a.value)));
    case OP_SETEUID: return result(k, k.seteuid(td, as_uid(a.value)));
    case OP_SETGID: return result(k, k.setgid(td, as_gid(a.value)));
    case OP_SETEGID: return result(k, k.setegid(td, as_gid(a.value)));
    case OP_SETGROUPS: {
      gid_t g[NGROUPS];
      for (int i = 0; i < NGROUPS; ++i) g[i] = as_gid(a.groups[i]);
      return result(k, k.setgroups(td, as_int(a.value), g));
    }
    case OP_SETSID: {
      int error = k.setsid(td);
      return result(k, error, td->td_retval[0]);
    }
    case OP_SETPGID: return result(k, k.setpgid(td, as_int(a.pid), as_int(a.value)));
    case OP_JAIL: {
      int error = k.jail(td);
      return result(k, error, td->td_retval[0]);
    }
    case OP_GETPPID: {
      // (delta getppid_real_parent: a traced process's real parent, as proc_realparent() finds it)
      proc* pp = delta_on(D_GETPPID_REAL_PARENT) && (actor->p_flag & P_TRACED) ? k.proc_realparent(actor) : actor->p_pptr;
      return ok(pp ? pp->p_pid : 0);
    }
    case OP_SYSCTL: return result(k, k.sysctl_write(op.knob, as_int(a.value)));
    case OP_SWAPOUT: if (proc* p = target_slot()) k.swapout(p); return ok();
    case OP_SWAPIN_BEGIN: if (proc* p = target_slot()) k.swapin_begin(p); return ok();
    case OP_SWAPIN: if (proc* p = target_slot()) k.swapin(p); return ok();
    case OP_COUNT: break;
  }
  return ok();
}

}  // namespace

ModelOutcome apply(Kernel& k, const Op& op, const Args<C>& a) {
  k.last_check = NO_CHECK;
  // The scheduler: the caller must be able to run (for the second step of
  // exit or execve: be inside it).
  if (has_actor(op.kind)) {
    proc* actor = a.actor >= 0 && a.actor < k.nproc() ? k.slot(static_cast<int>(a.actor)) : nullptr;
    // A swapped-out thread runs only after the swapper has brought it in.
    const bool in_mem = actor && (actor->p_sflag & PS_INMEM);
    bool ok_to_run = op.kind == OP_EXIT_END   ? in_mem && actor->p_state == PRS_NORMAL && (actor->p_flag & P_WEXIT)
                     : op.kind == OP_EXEC_END ? in_mem && actor->p_state == PRS_NORMAL && (actor->p_flag & P_INEXEC)
                                              : runnable(actor, op.kind == OP_TAKESIG);
    if (!ok_to_run) return ModelOutcome{K_BLOCKED, 0, 0, 0, C_ACTOR_CANNOT_RUN};
  }
  ModelOutcome out;
  try {
    out = run_op(k, op, a);
    if (k.holds_any_lock()) {
      reset_held_locks();
      throw KernelFault("a lock is still held at the end of the call");
    }
  } catch (const KernelHang&) {
    reset_held_locks();
    out = ModelOutcome{K_HANG, 0, 0, 0, k.last_check};
  } catch (const KernelFault&) {
    reset_held_locks();
    out = ModelOutcome{K_FAULT, 0, 0, 0, k.last_check};
  }
  k.curthread = nullptr;
  return out;
}

bool same_outcome(const Op& op, const ModelOutcome& m, const ModelOutcome& i, std::string* why, bool word_unspecified,
                  bool io_len_unspecified) {
  const bool value_unspecified =
      word_unspecified && op.kind == OP_PTRACE && (op.req == PT_READ_I || op.req == PT_READ_D);
  const bool status_unspecified = io_len_unspecified && op.kind == OP_PTRACE && op.req == PT_IO;
  bool same = m.kind == i.kind && m.error == i.error && (status_unspecified || m.status == i.status) &&
              m.check == i.check && (value_unspecified || m.retval == i.retval);
  if (!same && why)
    *why = fmt::format("model kind {} errno {} retval {} status {} check {}; impl kind {} errno {} retval {} status {} check {}",
                       m.kind, m.error, m.retval, m.status, m.check, i.kind, i.error, i.retval, i.status, i.check);
  return same;
}

template <int N>
State<C, N> abstract(const Kernel& k, const State<C, N>& ghosts_from) {
  State<C, N> s = ghosts_from;
  for (int i = 0; i < N; ++i) {
    Proc<C> g = ghosts_from.procs[i];
    Proc<C> q = empty_proc<C>();
    const proc* p = i < k.nproc() ? k.slot(i) : nullptr;
    if (p) {
      q.p_state = p->p_state == PRS_ZOMBIE ? ptm::PRS_ZOMBIE : ptm::PRS_NORMAL;
      q.p_pid = p->p_pid;
      q.p_pptr = p->p_pptr ? p->p_pptr->p_slot : NOPROC;
      q.p_oppid = p->p_oppid;
      q.p_pgid = p->p_pgrp ? p->p_pgrp->pg_id : -1;
      q.p_sid = p_session(p) ? p_session(p)->s_sid : -1;
      q.pg_jobc = p->p_pgrp ? p->p_pgrp->pg_jobc : 0;
      q.P_EXEC = p->p_flag & P_EXEC;
      q.P_SYSTEM = p->p_flag & P_SYSTEM;
      q.P_KTHREAD = p->p_flag & P_KTHREAD;
      q.P_TRACED = p->p_flag & P_TRACED;
      q.P_WAITED = p->p_flag & P_WAITED;
      q.P_WEXIT = p->p_flag & P_WEXIT;
      q.P_SUGID = p->p_flag & P_SUGID;
      q.P_INEXEC = p->p_flag & P_INEXEC;
      q.P_STOPPED_SIG = p->p_flag & P_STOPPED_SIG;
      q.P_STOPPED_TRACE = p->p_flag & P_STOPPED_TRACE;
      q.PS_INMEM = p->p_sflag & PS_INMEM;
      q.PS_SWAPPINGIN = p->p_sflag & PS_SWAPPINGIN;
      q.p_xstat = p->p_xstat;
      for (int w = 0; w < _SIG_WORDS; ++w) q.p_siglist[w] = p->p_siglist.__bits[w];
      q.td_sig = p->td.td_issignal_sig;
      q.td_pc = p->td.td_frame.r_eip;
      q.td_sstep = (p->td.td_frame.r_eflags & PSL_T) != 0;
      const ucred& c = *p->p_ucred;
      q.p_ucred.cr_uid = c.cr_uid;
      q.p_ucred.cr_ruid = c.cr_ruid;
      q.p_ucred.cr_svuid = c.cr_svuid;
      q.p_ucred.cr_ngroups = c.cr_ngroups;
      for (int j = 0; j < NGROUPS; ++j) q.p_ucred.cr_groups[j] = c.cr_groups[j];
      q.p_ucred.cr_rgid = c.cr_rgid;
      q.p_ucred.cr_svgid = c.cr_svgid;
      q.p_ucred.cr_prison = c.cr_prison;
      // Position on the parent's list: the head is the largest.
      if (p->p_pptr) {
        const auto& sib = p->p_pptr->p_children;
        std::int64_t pos = static_cast<std::int64_t>(sib.size());
        for (const proc* x : sib) {
          if (x == p) break;
          --pos;
        }
        q.p_listpos = pos;
      }
      q.exit_rv = p->p_exit_rv;
      q.exec_suid = p->p_exec_suid;
      q.exec_sgid = p->p_exec_sgid;
    }
    q.g_oparent = g.g_oparent;
    q.g_waiter = g.g_waiter;
    q.g_exit_reported = g.g_exit_reported;
    q.g_attach_stop_due = g.g_attach_stop_due;
    s.procs[i] = q;
  }
  s.securelevel = k.sysctl.securelevel;
  s.unprivileged_proc_debug = k.sysctl.unprivileged_proc_debug;
  s.see_other_uids = k.sysctl.see_other_uids;
  s.see_other_gids = k.sysctl.see_other_gids;
  s.suser_enabled = k.sysctl.suser_enabled;
  s.lastpid = k.lastpid;
  s.lastprison = k.lastprison;
  return s;
}

namespace {
// The order of each process's children, by list position (head first).
template <int N>
std::vector<int> sibling_order(const State<C, N>& s, int parent) {
  std::vector<int> kids;
  for (int i = 0; i < N; ++i)
    if (s.procs[i].p_state != ptm::PRS_FREE && s.procs[i].p_pptr == parent) kids.push_back(i);
  std::stable_sort(kids.begin(), kids.end(),
                   [&](int a, int b) { return s.procs[a].p_listpos > s.procs[b].p_listpos; });
  return kids;
}
}  // namespace

template <int N>
std::vector<std::string> differences(const State<C, N>& m, const State<C, N>& i) {
  std::vector<std::string> out;
  auto scalar = [&](const std::string& where, std::int64_t a, std::int64_t b) {
    if (a != b) out.push_back(fmt::format("{}: model {}, impl {}", where, a, b));
  };
  for (const auto& k : kSysctls<C, N>) scalar(k.name, m.*k.field, i.*k.field);
  scalar("lastpid", m.lastpid, i.lastpid);
  scalar("lastprison", m.lastprison, i.lastprison);
  for (int s = 0; s < N; ++s) {
    const Proc<C>& a = m.procs[s];
    const Proc<C>& b = i.procs[s];
    std::string where = fmt::format("slot {}", s);
    if (a.p_state != b.p_state) {
      scalar(where + ".p_state", a.p_state, b.p_state);
      continue;
    }
    if (a.p_state == ptm::PRS_FREE) continue;
    hana::for_each(hana::keys(a), [&](auto key) {
      std::string name = hana::to<char const*>(key);
      if (name.rfind("g_", 0) == 0 || name == "p_listpos") return;
      const auto& x = hana::at_key(a, key);
      const auto& y = hana::at_key(b, key);
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, Ucred<C>>) {
        hana::for_each(hana::keys(x), [&](auto k2) {
          std::string n2 = hana::to<char const*>(k2);
          const auto& u = hana::at_key(x, k2);
          const auto& v = hana::at_key(y, k2);
          if constexpr (std::is_same_v<std::decay_t<decltype(u)>, Groups<C>>) {
            for (int g = 0; g < std::min<std::int64_t>(x.cr_ngroups, NGROUPS); ++g)
              scalar(fmt::format("{}.cr_groups[{}]", where, g), u[g], v[g]);
          } else {
            scalar(where + "." + n2, u, v);
          }
        });
      } else if constexpr (std::is_same_v<T, Sigset<C>>) {
        for (int w = 0; w < _SIG_WORDS; ++w) scalar(fmt::format("{}.p_siglist[{}]", where, w), x[w], y[w]);
      } else {
        scalar(where + "." + name, x, y);
      }
    });
  }
  for (int p = 0; p < N; ++p) {
    if (m.procs[p].p_state == ptm::PRS_FREE) continue;
    auto a = sibling_order<N>(m, p), b = sibling_order<N>(i, p);
    if (a != b)
      out.push_back(fmt::format("slot {}: children list order: model {}, impl {}", p, fmt::join(a, ","),
                                fmt::join(b, ",")));
  }
  return out;
}

template <int N>
std::vector<std::string> memory_differences(const Kernel& k, const State<C, N>& model, const Memory<N>& mem) {
  std::vector<std::string> out;
  std::array<std::uint8_t, PAGE_SIZE> got{};
  for (int s = 0; s < N && s < k.nproc(); ++s) {
    const proc* p = k.slot(s);
    const Proc<C>& q = model.procs[s];
    if (!p || !p->p_vmspace || q.p_state != ptm::PRS_NORMAL || q.P_WEXIT) continue;
    for (std::int64_t page = VA_TEXT; page < VA_END; page += PAGE_SIZE) {
      if (!k.peek_page(p, static_cast<vm_offset_t>(page), got.data())) {
        out.push_back(fmt::format("slot {} memory {:#x}: unmapped in the impl", s, page));
        continue;
      }
      const MemPage& want = mem.page_of(s, page);
      if (want.unspecified.none() && std::memcmp(want.byte.data(), got.data(), PAGE_SIZE) == 0) continue;
      for (std::int64_t o = 0; o < PAGE_SIZE; ++o) {
        if (!want.unspecified[o] && want.byte[o] != got[o]) {
          out.push_back(fmt::format("slot {} memory {:#x}: model {:#04x}, impl {:#04x}", s, page + o, want.byte[o], got[o]));
          break;  // the first byte of the page that differs
        }
      }
    }
  }
  return out;
}

template <int N>
std::vector<std::string> lockstep_differences(const Kernel& k, const Op& op, const ModelOutcome& model_out,
                                              const ModelOutcome& impl_out, const State<C, N>& model,
                                              const Memory<N>& mem, MemoryEffect eff) {
  std::vector<std::string> out;
  std::string why;
  if (!same_outcome(op, model_out, impl_out, &why, eff.word_unspecified, eff.io_len_unspecified))
    out.push_back("outcome: " + why);
  for (auto& d : differences<N>(model, abstract<N>(k, model))) out.push_back("state " + d);
  for (auto& d : memory_differences<N>(k, model, mem)) out.push_back(d);
  return out;
}

// The table sizes used by the runner, the tests and the property tests.
template State<C, 2> abstract<2>(const Kernel&, const State<C, 2>&);
template State<C, 3> abstract<3>(const Kernel&, const State<C, 3>&);
template State<C, 4> abstract<4>(const Kernel&, const State<C, 4>&);
template State<C, 5> abstract<5>(const Kernel&, const State<C, 5>&);
template State<C, 6> abstract<6>(const Kernel&, const State<C, 6>&);
template State<C, 7> abstract<7>(const Kernel&, const State<C, 7>&);
template State<C, 8> abstract<8>(const Kernel&, const State<C, 8>&);
template std::vector<std::string> differences<2>(const State<C, 2>&, const State<C, 2>&);
template std::vector<std::string> differences<3>(const State<C, 3>&, const State<C, 3>&);
template std::vector<std::string> differences<4>(const State<C, 4>&, const State<C, 4>&);
template std::vector<std::string> differences<5>(const State<C, 5>&, const State<C, 5>&);
template std::vector<std::string> differences<6>(const State<C, 6>&, const State<C, 6>&);
template std::vector<std::string> differences<7>(const State<C, 7>&, const State<C, 7>&);
template std::vector<std::string> differences<8>(const State<C, 8>&, const State<C, 8>&);

template std::vector<std::string> memory_differences<2>(const Kernel&, const State<C, 2>&, const Memory<2>&);
template std::vector<std::string> lockstep_differences<2>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 2>&, const Memory<2>&, MemoryEffect);
template std::vector<std::string> memory_differences<3>(const Kernel&, const State<C, 3>&, const Memory<3>&);
template std::vector<std::string> lockstep_differences<3>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 3>&, const Memory<3>&, MemoryEffect);
template std::vector<std::string> memory_differences<4>(const Kernel&, const State<C, 4>&, const Memory<4>&);
template std::vector<std::string> lockstep_differences<4>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 4>&, const Memory<4>&, MemoryEffect);
template std::vector<std::string> memory_differences<5>(const Kernel&, const State<C, 5>&, const Memory<5>&);
template std::vector<std::string> lockstep_differences<5>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 5>&, const Memory<5>&, MemoryEffect);
template std::vector<std::string> memory_differences<6>(const Kernel&, const State<C, 6>&, const Memory<6>&);
template std::vector<std::string> lockstep_differences<6>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 6>&, const Memory<6>&, MemoryEffect);
template std::vector<std::string> memory_differences<7>(const Kernel&, const State<C, 7>&, const Memory<7>&);
template std::vector<std::string> lockstep_differences<7>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 7>&, const Memory<7>&, MemoryEffect);
template std::vector<std::string> memory_differences<8>(const Kernel&, const State<C, 8>&, const Memory<8>&);
template std::vector<std::string> lockstep_differences<8>(const Kernel&, const Op&, const ModelOutcome&, const ModelOutcome&,
                                                              const State<C, 8>&, const Memory<8>&, MemoryEffect);

}  // namespace impl
