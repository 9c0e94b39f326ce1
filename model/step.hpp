// Operations: every ptrace request and every environment operation, as one
// `step(state, op, args)`. The kind of operation (and the ptrace request) is a
// plain value: the proof matrix enumerates them; everything else is a domain value.
#pragma once

#include <string_view>

#include "model/env.hpp"
#include "model/kern_ptrace.hpp"
#include "model/deltas/getppid_real_parent.hpp"

namespace ptm {

enum OpKind : int {
  OP_PTRACE,
  OP_SPAWN,
  OP_FORK,
  OP_EXIT,        // both steps of exit1() at once
  OP_EXIT_BEGIN,  // exit1() up to P_WEXIT
  OP_EXIT_END,    // the rest of exit1()
  OP_WAIT,
  OP_KILL,
  OP_TAKESIG,
  OP_EXEC,        // both steps of execve() at once
  OP_EXEC_BEGIN,  // execve() up to P_INEXEC
  OP_EXEC_END,
  OP_SETUID,
  OP_SETEUID,
  OP_SETGID,
  OP_SETEGID,
  OP_SETGROUPS,
  OP_JAIL,
  OP_GETPPID,
  OP_SYSCTL,
  OP_SWAPOUT,
  OP_SWAPIN_BEGIN,
  OP_SWAPIN,
  OP_SETSID,
  OP_SETPGID,
  OP_COUNT
};

inline constexpr std::string_view kOpNames[OP_COUNT] = {
    "ptrace",  "spawn",  "fork",   "exit",   "exit-begin", "exit-end", "wait",    "kill",
    "takesig", "exec",   "exec-begin", "exec-end", "setuid", "seteuid",  "setgid",  "setegid",
    "setgroups", "jail", "getppid", "sysctl", "swapout",    "swapin-begin", "swapin",
    "setsid", "setpgid",
};

// An operation: its kind, and for OP_PTRACE the request, for OP_SYSCTL the knob.
struct Op {
  OpKind kind = OP_PTRACE;
  Req req = PT_TRACE_ME;
  Sysctl knob = KERN_SECURELEVEL;
};

// The domain-valued arguments of any operation; each operation reads the ones it needs.
template <class D>
struct Args {
  using Int = typename D::Int;
  using Bool = typename D::Bool;
  using PtraceArgsT = PtraceArgs<D>;
  using UcredT = Ucred<D>;
  using GroupsT = Groups<D>;
  BOOST_HANA_DEFINE_STRUCT(Args,
                           (Int, actor),  // the calling process's slot (curthread)
                           (PtraceArgsT, pt),
                           (Int, pid),      // wait4 / kill / setpgid target pid; the swapper's target slot
                           (Int, sig),      // kill
                           (Int, options),  // wait4
                           (Int, value),    // exit status, set*id value, sysctl value, ngroups, setpgid's pgid
                           (Int, suid),     // execve of a set-uid image: its owner, else -1
                           (Int, sgid),     // execve of a set-gid image: its group, else -1
                           (UcredT, cred),  // spawn
                           (GroupsT, groups),  // setgroups
                           (Bool, sugid),   // spawn: P_SUGID
                           (Bool, kernel)); // spawn: a kernel process
};

template <class D>
constexpr Args<D> default_args() {
  Args<D> a{};
  a.actor = D::num(SLOT_INIT);
  a.pt = PtraceArgs<D>{D::num(0), D::num(1), D::num(0), D::num(0), D::num(0), D::num(0), D::num(0), D::lit(true)};
  a.pid = a.sig = a.options = a.value = D::num(0);
  a.suid = a.sgid = D::num(-1);
  a.cred = root_cred<D>();
  a.groups = {D::num(0), D::num(0), D::num(0)};
  a.sugid = a.kernel = D::lit(false);
  return a;
}

// Does the operation run as a process (so that process must be able to run)?
constexpr bool has_actor(OpKind k) {
  return !(k == OP_SPAWN || k == OP_SYSCTL || k == OP_SWAPOUT || k == OP_SWAPIN_BEGIN || k == OP_SWAPIN);
}

// The arguments as the kernel receives them: i386's 32-bit types (uid_t,
// gid_t, size_t and pointers unsigned; pid_t, int signed), converted from the
// model's wider values as C converts an argument (docs/environment.md, "Widths").
template <class D>
constexpr Args<D> kernel_args(const Op& op, Args<D> a) {
  auto& pt = a.pt;
  pt.pid = D::to_i32(pt.pid);
  pt.addr = D::to_u32(pt.addr);
  pt.data = D::to_i32(pt.data);
  pt.piod_op = D::to_i32(pt.piod_op);
  pt.piod_offs = D::to_u32(pt.piod_offs);
  pt.piod_addr = D::to_u32(pt.piod_addr);
  pt.piod_len = D::to_u32(pt.piod_len);
  a.pid = D::to_i32(a.pid);
  a.sig = D::to_i32(a.sig);
  a.options = D::to_i32(a.options);
  const bool id_value = op.kind == OP_SETUID || op.kind == OP_SETEUID || op.kind == OP_SETGID || op.kind == OP_SETEGID;
  a.value = id_value ? D::to_u32(a.value) : D::to_i32(a.value);
  // -1: the image is not set-id (the model's own marker, not a kernel value).
  a.suid = D::ite(a.suid == D::num(-1), a.suid, D::to_u32(a.suid));
  a.sgid = D::ite(a.sgid == D::num(-1), a.sgid, D::to_u32(a.sgid));
  auto& c = a.cred;
  c.cr_uid = D::to_u32(c.cr_uid);
  c.cr_ruid = D::to_u32(c.cr_ruid);
  c.cr_svuid = D::to_u32(c.cr_svuid);
  c.cr_rgid = D::to_u32(c.cr_rgid);
  c.cr_svgid = D::to_u32(c.cr_svgid);
  for (auto& g : c.cr_groups) g = D::to_u32(g);
  for (auto& g : a.groups) g = D::to_u32(g);
  return a;
}

template <class D, int N>
constexpr StepOf<D, N> step(const State<D, N>& s, const Op& op, const Args<D>& raw) {
  const Args<D> a = kernel_args<D>(op, raw);
  const Int<D> td = a.actor;
  // Who must be able to run: the caller; for the second step of exit or execve,
  // the process inside it.
  Bool<D> actor_ok = D::lit(true);
  if (has_actor(op.kind)) {
    if (op.kind == OP_EXIT_END || op.kind == OP_EXEC_END) {
      actor_ok = read_slot<D>(s, td, [&](const Proc<D>& p) {
        return p.p_state == D::num(PRS_NORMAL) && p.PS_INMEM && (op.kind == OP_EXIT_END ? p.P_WEXIT : p.P_INEXEC);
      }, D::lit(false));
    } else if (op.kind == OP_TAKESIG) {
      // Taking signals is what a resumed thread does first: stopped no, in issignal() yes.
      actor_ok = read_slot<D>(s, td, [&](const Proc<D>& p) { return can_take_signals<D>(td, p); }, D::lit(false));
    } else {
      actor_ok = can_run<D>(s, td);
    }
  }
  return first_failing<D>(s, hana::make_tuple(check_if(has_actor(op.kind), C_ACTOR_CANNOT_RUN, [&] { return !actor_ok; })), [&]() {
    switch (op.kind) {
      case OP_PTRACE: return ptrace<D>(s, td, op.req, a.pt);
      case OP_EXIT_BEGIN: return exit1_begin<D>(s, td, D::to_i32(a.value * D::num(256)));
      case OP_KILL: return kill<D>(s, td, a.pid, a.sig);
      case OP_EXEC: return execve_finish<D>(execve_begin<D>(s, td, a.suid, a.sgid).next, td);
      case OP_EXEC_BEGIN: return execve_begin<D>(s, td, a.suid, a.sgid);
      case OP_EXEC_END: return execve_finish<D>(s, td);
      case OP_SETUID: return set_id<D>(s, td, SET_UID, a.value);
      case OP_SETEUID: return set_id<D>(s, td, SET_EUID, a.value);
      case OP_SETGID: return set_id<D>(s, td, SET_GID, a.value);
      case OP_SETEGID: return set_id<D>(s, td, SET_EGID, a.value);
      case OP_SETGROUPS: return setgroups<D>(s, td, a.value, a.groups);
      case OP_JAIL: return jail<D>(s, td);
      case OP_GETPPID: {
        // (delta getppid_real_parent: a traced process's real parent)
        bool real = delta_on(D_GETPPID_REAL_PARENT);  // not const: model/semantics.hpp
        const Proc<D> p = proc_at<D>(s, td);
        return ok_step<D>(s, pid_of<D>(s, real ? deltas::getppid_real_parent::parent<D>(s, p) : p.p_pptr));
      }
      case OP_SYSCTL: return sysctl_write<D>(s, op.knob, a.value);
      case OP_SWAPOUT: return swap<D>(s, a.pid, SWAP_OUT);
      case OP_SWAPIN_BEGIN: return swap<D>(s, a.pid, SWAP_IN_BEGIN);
      case OP_SWAPIN: return swap<D>(s, a.pid, SWAP_IN);
      case OP_SPAWN: return spawn<D>(s, a.cred, a.sugid, a.kernel);
      case OP_FORK: return fork1<D>(s, td);
      case OP_EXIT: {
        auto r = exit1_begin<D>(s, td, D::to_i32(a.value * D::num(256)));  // exit(2): W_EXITCODE(rval, 0), an int
        return D::branch(r.out.kind == D::num(K_OK), [&] { return ok_step<D>(exit1_finish<D>(r.next, td)); },
                         [&] { return r; });
      }
      case OP_EXIT_END: return ok_step<D>(exit1_finish<D>(s, td));
      case OP_WAIT: return wait4<D>(s, td, a.pid, a.options);
      case OP_TAKESIG: return issignal<D>(s, td);
      case OP_SETSID: return setsid<D>(s, td);
      case OP_SETPGID: return setpgid<D>(s, td, a.pid, a.value);
      case OP_COUNT: break;
    }
    return ok_step<D>(s);
  });
}

inline bool any_check_removed() {
  for (int i = 0; i < C_COUNT; ++i)
    if (check_removed(i)) return true;
  return false;
}

// step<Concrete, N> as an ordinary function: the tools call it (and
// step_or_fault) at run time, and their many files would each compile the
// rules again for every table size they use (about 2 s of g++ -O2 per size,
// more under the sanitizers). Both are compiled once per table size, in
// model/concrete_step.cpp; the declarations below tell every other file so.
// The rules stay the templates above: the constant-expression sweeps and the
// symbolic and recording domains instantiate them directly.
template <int N>
StepOf<Concrete, N> concrete_step(const State<Concrete, N>& s, const Op& op, const Args<Concrete>& a) {
  return step<Concrete, N>(s, op, a);
}

// step() for tools that may run a mutant (a check removed): without its check a
// rule can index outside the table, where the kernel would dereference a bad
// pointer and panic; that is the outcome `fault`, state unchanged. For the
// seed an index outside the table is a bug in the model, and stays an exception.
template <int N>
StepOf<Concrete, N> step_or_fault(const State<Concrete, N>& s, const Op& op, const Args<Concrete>& a) {
  if (!any_check_removed()) return concrete_step<N>(s, op, a);
  try {
    return concrete_step<N>(s, op, a);
  } catch (const char*) {
    return {Outcome<Concrete>::of_kind(K_FAULT, 0, NO_CHECK), s};
  }
}

// The table sizes the tools use: 2..8 (the scenario runner's largest, kRunProcs).
extern template StepOf<Concrete, 2> concrete_step<2>(const State<Concrete, 2>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 3> concrete_step<3>(const State<Concrete, 3>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 4> concrete_step<4>(const State<Concrete, 4>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 5> concrete_step<5>(const State<Concrete, 5>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 6> concrete_step<6>(const State<Concrete, 6>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 7> concrete_step<7>(const State<Concrete, 7>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 8> concrete_step<8>(const State<Concrete, 8>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 2> step_or_fault<2>(const State<Concrete, 2>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 3> step_or_fault<3>(const State<Concrete, 3>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 4> step_or_fault<4>(const State<Concrete, 4>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 5> step_or_fault<5>(const State<Concrete, 5>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 6> step_or_fault<6>(const State<Concrete, 6>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 7> step_or_fault<7>(const State<Concrete, 7>&, const Op&, const Args<Concrete>&);
extern template StepOf<Concrete, 8> step_or_fault<8>(const State<Concrete, 8>&, const Op&, const Args<Concrete>&);

}  // namespace ptm
