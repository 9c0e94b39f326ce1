// The abstract state: a process table of capacity N, a small pid space with
// reuse, the credential, flag and signal fields the seed and its callers read,
// and the sysctls. Field names are the kernel's (struct proc, struct ucred,
// struct thread); fields that exist only in the model say why.
#pragma once

#include <array>

#include "model/constants.hpp"
#include "model/domain.hpp"

namespace ptm {

// p_state. The kernel has no "free" state; a model slot that holds no process is PRS_FREE.
enum PState : int { PRS_FREE = 0, PRS_NORMAL = 1, PRS_ZOMBIE = 2 };
inline constexpr int NOPROC = -1;  // a NULL struct proc pointer (proc0's p_pptr)
inline constexpr int NGROUPS = 3;  // cr_groups[0] (the egid) plus two supplementary groups
inline constexpr int SLOT_PROC0 = 0;
inline constexpr int SLOT_INIT = 1;

template <class D>
using Groups = std::array<typename D::Int, NGROUPS>;
template <class D>
using Sigset = std::array<typename D::Int, _SIG_WORDS>;  // sigset_t: __bits[4], 32 signals each

template <class D>
struct Ucred {
  using Int = typename D::Int;
  using GroupsT = Groups<D>;
  BOOST_HANA_DEFINE_STRUCT(Ucred,
                           (Int, cr_uid),       // effective uid
                           (Int, cr_ruid),      // real uid
                           (Int, cr_svuid),     // saved uid
                           (Int, cr_ngroups),   // 1..NGROUPS
                           (GroupsT, cr_groups),  // cr_groups[0] is the effective gid
                           (Int, cr_rgid),      // real gid
                           (Int, cr_svgid),     // saved gid
                           (Int, cr_prison));   // 0: not jailed; k: prison k
};

template <class D>
struct Proc {
  using Int = typename D::Int;
  using Bool = typename D::Bool;
  using SigsetT = Sigset<D>;
  using UcredT = Ucred<D>;
  BOOST_HANA_DEFINE_STRUCT(
      Proc,
      (Int, p_state),  // PState
      (Int, p_pid),
      (Int, p_pptr),   // slot of the current parent, NOPROC for proc0
      (Int, p_oppid),  // "original parent pid, saved for ptrace"
      (Int, p_pgid),   // p_pgrp->pg_id: the process group (a zombie stays in it until reaped)
      (Int, p_sid),    // p_session->s_sid: the session (the pid of its leader)
      (Int, pg_jobc),  // p_pgrp->pg_jobc, the group's counter (each member holds a copy)
      // p_flag, one Bool per bit the seed or its callers read
      (Bool, P_SYSTEM), (Bool, P_KTHREAD), (Bool, P_TRACED), (Bool, P_WAITED), (Bool, P_WEXIT),
      (Bool, P_SUGID), (Bool, P_INEXEC), (Bool, P_STOPPED_SIG), (Bool, P_STOPPED_TRACE),
      (Bool, P_EXEC),  // has called exec since fork (setpgid's EACCES)
      // p_sflag
      (Bool, PS_INMEM), (Bool, PS_SWAPPINGIN),
      (Int, p_xstat),       // u_short in the kernel: stop signal, exit status, resume signal
      (SigsetT, p_siglist),  // pending signals
      // The first (only) thread. td_sig is the `sig` local of issignal() in a thread
      // suspended in a trace stop: on resume issignal() goes on with it (0: none).
      (Int, td_sig), (Int, td_pc), (Bool, td_sstep),  // pc and PSL_T of the trapframe
      (UcredT, p_ucred),
      // Model only: position on the parent's p_children list (LIST_INSERT_HEAD:
      // larger is nearer the head), so wait4(-1) scans children in the kernel's order.
      (Int, p_listpos),
      // Model only: the two-step exit and execve keep their arguments between steps.
      (Int, exit_rv),                     // exit1(td, rv)
      (Int, exec_suid), (Int, exec_sgid),  // owner of a set-uid/set-gid image, -1 if not set-id
      // Ghost fields (model only, never read by a seed rule): the history some
      // properties are about. g_oparent: the slot of the parent the process had
      // when it became traced (NOPROC once untraced or once that slot is freed);
      // the delta detach_real_parent reads it as the kernel's later orphan link;
      // g_waiter: the process whose wait4 reported the current stop;
      // g_exit_reported: a wait4 has reported this zombie's exit; g_attach_stop_due:
      // a PT_ATTACH succeeded and the process has not stopped since.
      (Int, g_oparent), (Int, g_waiter), (Bool, g_exit_reported), (Bool, g_attach_stop_due));
};

// The process table: N processes, slot by slot. A domain may bring its own
// table type: proofs/unbounded.hpp's holds one Z3 array per field, of any size.
template <class D, int N>
struct ProcTableOf {
  using type = std::array<Proc<D>, N>;
};
template <class D, int N>
using ProcTable = typename ProcTableOf<D, N>::type;

template <class D, int N>
struct State {
  using Int = typename D::Int;
  using Procs = ProcTable<D, N>;
  BOOST_HANA_DEFINE_STRUCT(State,
                           (Procs, procs),
                           (Int, securelevel),              // kern.securelevel
                           (Int, unprivileged_proc_debug),  // security.bsd.unprivileged_proc_debug
                           (Int, see_other_uids),           // security.bsd.see_other_uids
                           (Int, see_other_gids),           // security.bsd.see_other_gids
                           (Int, suser_enabled),            // security.bsd.suser_enabled
                           (Int, lastpid),                  // kern.lastpid
                           (Int, lastprison),               // the last prison id jail(2) issued
                           (Int, listclock));               // model only: source of p_listpos
};

// The model's pid space: pids 0 .. pid_max(N)-1. Like the kernel's PID_MAX wrap
// (which skips pids below 100 after the first wrap), a wrap restarts at PID_RESERVED.
template <int N>
inline constexpr int pid_max = 3 * N;
inline constexpr int PID_RESERVED = 2;

template <class D>
constexpr Ucred<D> root_cred() {
  Ucred<D> c{};
  c.cr_uid = c.cr_ruid = c.cr_svuid = D::num(0);
  c.cr_ngroups = D::num(1);
  c.cr_groups = {D::num(0), D::num(0), D::num(0)};
  c.cr_rgid = c.cr_svgid = D::num(0);
  c.cr_prison = D::num(0);
  return c;
}

template <class D>
constexpr Proc<D> empty_proc() {
  Proc<D> p{};
  p.p_state = D::num(PRS_FREE);
  p.p_pid = D::num(-1);
  p.p_pptr = D::num(NOPROC);
  p.p_oppid = D::num(0);
  p.p_pgid = p.p_sid = D::num(-1);
  p.pg_jobc = D::num(0);
  p.P_EXEC = D::lit(false);
  p.P_SYSTEM = p.P_KTHREAD = p.P_TRACED = p.P_WAITED = p.P_WEXIT = D::lit(false);
  p.P_SUGID = p.P_INEXEC = p.P_STOPPED_SIG = p.P_STOPPED_TRACE = D::lit(false);
  p.PS_INMEM = p.PS_SWAPPINGIN = D::lit(false);
  p.p_xstat = D::num(0);
  p.p_siglist = {D::num(0), D::num(0), D::num(0), D::num(0)};
  p.td_sig = D::num(0);
  p.td_pc = D::num(0);
  p.td_sstep = D::lit(false);
  p.p_ucred = root_cred<D>();
  p.p_listpos = D::num(0);
  p.exit_rv = D::num(0);
  p.exec_suid = p.exec_sgid = D::num(-1);
  p.g_oparent = p.g_waiter = D::num(NOPROC);
  p.g_exit_reported = p.g_attach_stop_due = D::lit(false);
  return p;
}

}  // namespace ptm
