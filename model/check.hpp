// Checks: the permission and validity tests of the seed and its callers, as data.
//
// Each check has a stable id, the function and seed lines it encodes, the
// seed's own comment (or the kernel function's test, for callers of the seed),
// the outcome it decides (an errno, hang or fault) and whether it can fire in
// this model at all. The guard of a check lives next to its use in the rule
// that evaluates it (kern_ptrace.hpp and friends), in the seed's order; this
// table is what explain, coverage and the audit read.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/constants.hpp"
#include "model/domain.hpp"
#include "model/outcome.hpp"
#include "model/semantics.hpp"

namespace ptm {

struct CheckInfo {
  int index;
  std::string_view id;
  std::string_view where;  // the kernel function that makes the test
  int seed_first;          // seed line range; 0 when the test is outside the seed
  int seed_last;
  std::string_view comment;  // the seed's comment, or the test as the kernel writes it
  int kind;                  // K_ERR, K_HANG, K_FAULT or K_BLOCKED
  int err;                   // errno for K_ERR
  bool reachable;            // false: cannot fire in this model (see `why`)
  std::string_view why;      // for an unreachable check: why not
  int added_by = -1;         // a delta's check: in the lists only when that delta is on
  int removed_by = -1;       // a seed check that this delta takes out (or replaces)
  // What the kernel does when this check is taken out (an audit mutant) and
  // its test would have held: false, it runs the code after the check (the
  // rules go on); true, that code dereferences the NULL the check tested
  // (pfind() returned NULL: `p->p_ucred` in p_cansee), a kernel fault.
  bool null_after = false;
};

// clang-format off
enum CheckId : int {
  // ptrace(): copyin of the request's buffer (seed 345-366)
  C_PTRACE_COPYIN,
  // kern_ptrace(): lookup and permission (seed 418-440)
  C_PFIND, C_CANSEE_PRISON, C_CANSEE_UIDS, C_CANSEE_GIDS,
  C_CANDEBUG_UNPRIV, C_CANDEBUG_PRISON, C_CANDEBUG_UIDS, C_CANDEBUG_GIDS,
  C_CANDEBUG_CRED, C_CANDEBUG_INIT_SECURE, C_CANDEBUG_INEXEC,
  C_SYSTEM,
  // kern_ptrace(): per-request permission (seed 445-516)
  C_ATTACH_SELF, C_ATTACH_TRACED, C_ATTACH_ANCESTOR_LOOP, C_ATTACH_ANCESTOR,
  C_NOT_TRACED, C_NOT_YOURS, C_NOT_STOPPED, C_UNKNOWN_REQ,
  // kern_ptrace(): doing the request (seed 532-735)
  C_SIGNAL_RANGE, C_STEP_MD, C_SET_PC_MD, C_IO_OP,
  C_RWMEM_WEXIT, C_RWMEM_VMSPACE, C_RWMEM_FAULT, C_RWMEM_LOOKUP, C_RWMEM_NOPAGE, C_RWMEM_UIOMOVE,
  C_RW_SHORT, C_PROC_ACTION_EIO, C_SET_REGS_MD, C_SET_DBREGS_MD, C_PSIGNAL_RANGE, C_UNREACHABLE,
  // ptrace(): copyout of the result (seed 372-385)
  C_PTRACE_COPYOUT,
  // the environment around kern_ptrace
  C_ACTOR_CANNOT_RUN, C_FORK_NOPROC, C_EXIT_INIT,
  C_WAIT_ECHILD, C_WAIT_SLEEP,
  C_KILL_SIGRANGE, C_KILL_PFIND, C_CANSIGNAL_PRISON, C_CANSIGNAL_UIDS, C_CANSIGNAL_GIDS,
  C_CANSIGNAL_SUGID, C_CANSIGNAL_IDS,
  C_ISSIGNAL_XSTAT_RANGE,
  C_SETUID_PERM, C_SETEUID_PERM, C_SETGID_PERM, C_SETEGID_PERM, C_SETGROUPS_PERM,
  C_JAIL_PERM, C_SECURELEVEL_RAISE_ONLY,
  C_SETSID_PERM,
  C_SETPGID_EINVAL, C_SETPGID_ESRCH, C_SETPGID_INFERIOR_LOOP, C_SETPGID_NOT_INFERIOR, C_SETPGID_CANSEE, C_SETPGID_SESSION, C_SETPGID_EXEC, C_SETPGID_LEADER,
  C_SETPGID_PGRP,
  // checks that deltas add (model/deltas/): absent from the seed's lists
  C_WEXIT_ESRCH, C_CANDEBUG_UNPRIV_NOT_SELF, C_CANDEBUG_INEXEC_EBUSY,
  C_TRACE_ME_TRACED, C_TRACE_ME_INIT_PARENT, C_NOT_TRACE_STOPPED, C_RESUME_SIGNAL_RANGE,
  C_ATTACH_ANCESTOR_ANY_LOOP, C_ATTACH_ANCESTOR_ANY,
  C_COUNT
};

inline constexpr CheckInfo kChecks[C_COUNT] = {
  {C_PTRACE_COPYIN, "PTRACE_COPYIN", "ptrace", 350, 366,
   "error = copyin(uap->addr, &r.reg/fpreg/dbreg/piod, sizeof ...)", K_ERR, BSD_EFAULT, true, ""},

  {C_PFIND, "PFIND", "kern_ptrace", 421, 426,
   "if ((p = pfind(pid)) == NULL) return (ESRCH)", K_ERR, BSD_ESRCH, true, "", -1, -1, true},
  {C_CANSEE_PRISON, "CANSEE_PRISON", "p_cansee", 428, 429,
   "cr_cansee: prison_check(td cred, p cred): caller jailed and p in another prison", K_ERR, BSD_ESRCH, true, ""},
  {C_CANSEE_UIDS, "CANSEE_UIDS", "p_cansee", 428, 429,
   "cr_cansee: cr_seeotheruids: see_other_uids == 0, real uids differ, caller unprivileged", K_ERR, BSD_ESRCH, true, ""},
  {C_CANSEE_GIDS, "CANSEE_GIDS", "p_cansee", 428, 429,
   "cr_cansee: cr_seeothergids: see_other_gids == 0, no group shared, caller unprivileged", K_ERR, BSD_ESRCH, true, ""},

  {C_CANDEBUG_UNPRIV, "CANDEBUG_UNPRIV", "p_candebug", 431, 432,
   "unprivileged_proc_debug == 0 and the caller is unprivileged (tested before the self exemption)", K_ERR, BSD_EPERM, true, "",
   -1, D_UNPRIV_AFTER_SELF},
  {C_CANDEBUG_PRISON, "CANDEBUG_PRISON", "p_candebug", 431, 432,
   "p != curproc: prison_check fails", K_ERR, BSD_ESRCH, false,
   "p_cansee() made the same prison_check test just before (seed 428 runs before 431)"},
  {C_CANDEBUG_UIDS, "CANDEBUG_UIDS", "p_candebug", 431, 432,
   "p != curproc: cr_seeotheruids fails", K_ERR, BSD_ESRCH, false,
   "p_cansee() made the same cr_seeotheruids test just before (seed 428 runs before 431)"},
  {C_CANDEBUG_GIDS, "CANDEBUG_GIDS", "p_candebug", 431, 432,
   "p != curproc: cr_seeothergids fails", K_ERR, BSD_ESRCH, false,
   "p_cansee() made the same cr_seeothergids test just before (seed 428 runs before 431)"},
  {C_CANDEBUG_CRED, "CANDEBUG_CRED", "p_candebug", 431, 432,
   "p != curproc: p's groups not a subset of the caller's, or the caller's euid is not p's "
   "euid, svuid and ruid, or p is P_SUGID; and the caller is unprivileged", K_ERR, BSD_EPERM, true, ""},
  {C_CANDEBUG_INIT_SECURE, "CANDEBUG_INIT_SECURE", "p_candebug", 431, 432,
   "p != curproc: p == initproc and securelevel > 0 (root included)", K_ERR, BSD_EPERM, true, ""},
  {C_CANDEBUG_INEXEC, "CANDEBUG_INEXEC", "p_candebug", 431, 432,
   "p != curproc: p has P_INEXEC", K_ERR, BSD_EAGAIN, true, "", -1, D_INEXEC_EBUSY},

  {C_SYSTEM, "SYSTEM", "kern_ptrace", 434, 440,
   "System processes can't be debugged.", K_ERR, BSD_EINVAL, true, ""},

  {C_ATTACH_SELF, "ATTACH_SELF", "kern_ptrace", 451, 455, "Self", K_ERR, BSD_EINVAL, true, ""},
  {C_ATTACH_TRACED, "ATTACH_TRACED", "kern_ptrace", 457, 461, "Already traced", K_ERR, BSD_EBUSY, true, ""},
  {C_ATTACH_ANCESTOR_LOOP, "ATTACH_ANCESTOR_LOOP", "kern_ptrace", 463, 471,
   "Can't trace an ancestor if you're being traced. (the p_pptr walk never reaches NULL or p)",
   K_HANG, 0, true, "", -1, D_ATTACH_ANCESTOR_ANY},
  {C_ATTACH_ANCESTOR, "ATTACH_ANCESTOR", "kern_ptrace", 463, 471,
   "Can't trace an ancestor if you're being traced.", K_ERR, BSD_EINVAL, true, "", -1, D_ATTACH_ANCESTOR_ANY},

  {C_NOT_TRACED, "NOT_TRACED", "kern_ptrace", 492, 496, "not being traced...", K_ERR, BSD_EPERM, true, ""},
  {C_NOT_YOURS, "NOT_YOURS", "kern_ptrace", 498, 502, "not being traced by YOU", K_ERR, BSD_EBUSY, true, ""},
  {C_NOT_STOPPED, "NOT_STOPPED", "kern_ptrace", 504, 508,
   "not currently stopped (!P_SHOULDSTOP(p) || (p->p_flag & P_WAITED) == 0)", K_ERR, BSD_EBUSY, true, "",
   -1, D_TRACE_STOP_REQUIRED},
  {C_UNKNOWN_REQ, "UNKNOWN_REQ", "kern_ptrace", 513, 515, "default: error = EINVAL", K_ERR, BSD_EINVAL, true, ""},

  {C_SIGNAL_RANGE, "SIGNAL_RANGE", "kern_ptrace", 553, 557,
   "XXX data is used even in the PT_STEP case. (req != PT_STEP && (unsigned)data > _SIG_MAXSIG)",
   K_ERR, BSD_EINVAL, true, "", -1, D_RESUME_SIGNAL_RANGE},
  {C_STEP_MD, "STEP_MD", "kern_ptrace", 561, 567, "error = ptrace_single_step(td2)", K_ERR, BSD_EINVAL, false,
   "i386 ptrace_single_step() always returns 0 (kernel-context.md §10)"},
  {C_SET_PC_MD, "SET_PC_MD", "kern_ptrace", 569, 575, "error = ptrace_set_pc(td2, addr)", K_ERR, BSD_EINVAL, false,
   "i386 ptrace_set_pc() always returns 0 (kernel-context.md §10)"},
  {C_IO_OP, "IO_OP", "kern_ptrace", 665, 676, "switch (piod->piod_op) default: return (EINVAL)", K_ERR, BSD_EINVAL, true, ""},

  {C_RWMEM_WEXIT, "RWMEM_WEXIT", "proc_rwmem", 160, 167,
   "if the vmspace is in the midst of being deallocated or the process is exiting, don't try to grab anything.",
   K_ERR, BSD_EFAULT, false,
   "the seed reaches proc_rwmem() only for a stopped target (seed 504-508), and a process with P_WEXIT never "
   "stops: it is running exit1() and takes no more signals (single-threaded processes)"},
  {C_RWMEM_VMSPACE, "RWMEM_VMSPACE", "proc_rwmem", 168, 169, "if (vm->vm_refcnt < 1) return (EFAULT)",
   K_ERR, BSD_EFAULT, false,
   "a vmspace is released only in exit1(), after P_WEXIT is set, so RWMEM_WEXIT fires first"},
  {C_RWMEM_FAULT, "RWMEM_FAULT", "proc_rwmem", 212, 219, "Fault the page on behalf of the process",
   K_ERR, BSD_EFAULT, true, ""},
  {C_RWMEM_LOOKUP, "RWMEM_LOOKUP", "proc_rwmem", 221, 241, "vm_map_lookup() fails after vm_fault() succeeded",
   K_ERR, BSD_EFAULT, false,
   "needs another thread to change the map between vm_fault() and vm_map_lookup(); the model's processes are single-threaded"},
  {C_RWMEM_NOPAGE, "RWMEM_NOPAGE", "proc_rwmem", 242, 267, "no page after the lookup (m == NULL)",
   K_ERR, BSD_EFAULT, false,
   "vm_fault() has just made the page resident and nothing runs in between in this model"},
  {C_RWMEM_UIOMOVE, "RWMEM_UIOMOVE", "proc_rwmem", 286, 289,
   "uiomove() to or from the caller's PT_IO buffer faults", K_ERR, BSD_EFAULT, true, ""},
  {C_RW_SHORT, "RW_SHORT", "kern_ptrace", 637, 649,
   "XXX proc_rwmem() doesn't currently return ENOSPC ... uio_resid != 0 with error 0, ENOSPC or EPERM",
   K_ERR, BSD_EINVAL, false, "proc_rwmem() leaves uio_resid non-zero only together with EFAULT"},
  {C_PROC_ACTION_EIO, "PROC_ACTION_EIO", "PROC_ACTION", 83, 92,
   "if ((td->td_proc->p_sflag & PS_INMEM) == 0) error = EIO", K_ERR, BSD_EIO, false,
   "_PHOLD's faultin() returns only with the process in memory, and the 5.x swapper never swaps out a traced process"},
  {C_SET_REGS_MD, "SET_REGS_MD", "set_regs", 687, 692,
   "i386 set_regs(): EFL_SECURE / CS_SECURE refuse privileged eflags bits or a non-user %cs", K_ERR, BSD_EINVAL, true, ""},
  {C_SET_DBREGS_MD, "SET_DBREGS_MD", "set_dbregs", 715, 720,
   "i386 set_dbregs(): reserved DR7 field or a breakpoint at or above VM_MAXUSER_ADDRESS", K_ERR, BSD_EINVAL, true, ""},
  {C_PSIGNAL_RANGE, "PSIGNAL_RANGE", "psignal", 610, 611,
   "psignal(p, data) with data outside 1.._SIG_MAXSIG panics", K_FAULT, 0, false,
   "every psignal() reached from kern_ptrace has a range-checked or constant signal"},
  {C_UNREACHABLE, "UNREACHABLE", "kern_ptrace", 729, 735, "KASSERT(0, (\"unreachable code\\n\"))", K_FAULT, 0, false,
   "every request that passes the permission switch has a case in the action switch"},

  {C_PTRACE_COPYOUT, "PTRACE_COPYOUT", "ptrace", 376, 384,
   "error = copyout(&r.reg/fpreg/dbreg, uap->addr, sizeof ...)", K_ERR, BSD_EFAULT, true, ""},

  {C_ACTOR_CANNOT_RUN, "ACTOR_CANNOT_RUN", "(scheduler)", 0, 0,
   "the calling process is not running: stopped, a zombie, a kernel process, inside exit or execve, swapped out, or still in issignal() after a trace stop",
   K_BLOCKED, 0, true, ""},
  {C_FORK_NOPROC, "FORK_NOPROC", "fork1", 0, 0, "no free process slot or pid (nprocs >= maxproc)",
   K_ERR, BSD_EAGAIN, true, ""},
  {C_EXIT_INIT, "EXIT_INIT", "exit1", 0, 0, "panic(\"Going nowhere without my init!\")", K_FAULT, 0, true, ""},
  {C_WAIT_ECHILD, "WAIT_ECHILD", "wait1", 0, 0, "no child matches the pid", K_ERR, BSD_ECHILD, true, ""},
  {C_WAIT_SLEEP, "WAIT_SLEEP", "wait1", 0, 0, "nothing to report and no WNOHANG: the caller sleeps",
   K_BLOCKED, 0, true, ""},
  {C_KILL_SIGRANGE, "KILL_SIGRANGE", "kill", 0, 0, "(u_int)signum > _SIG_MAXSIG", K_ERR, BSD_EINVAL, true, ""},
  {C_KILL_PFIND, "KILL_PFIND", "kill", 0, 0, "(p = pfind(pid)) == NULL", K_ERR, BSD_ESRCH, true, "", -1, -1, true},
  {C_CANSIGNAL_PRISON, "CANSIGNAL_PRISON", "p_cansignal", 0, 0, "prison_check fails", K_ERR, BSD_ESRCH, true, ""},
  {C_CANSIGNAL_UIDS, "CANSIGNAL_UIDS", "p_cansignal", 0, 0, "cr_seeotheruids fails", K_ERR, BSD_ESRCH, true, ""},
  {C_CANSIGNAL_GIDS, "CANSIGNAL_GIDS", "p_cansignal", 0, 0, "cr_seeothergids fails", K_ERR, BSD_ESRCH, true, ""},
  {C_CANSIGNAL_SUGID, "CANSIGNAL_SUGID", "p_cansignal", 0, 0,
   "p is P_SUGID and the signal is not one an unprivileged caller may send it", K_ERR, BSD_EPERM, true, ""},
  {C_CANSIGNAL_IDS, "CANSIGNAL_IDS", "p_cansignal", 0, 0,
   "neither the caller's ruid nor euid is p's ruid or svuid, and the caller is unprivileged", K_ERR, BSD_EPERM, true, ""},
  {C_ISSIGNAL_XSTAT_RANGE, "ISSIGNAL_XSTAT_RANGE", "issignal", 0, 0,
   "resuming from a trace stop, SIGADDSET(siglist, p_xstat) with p_xstat > _SIG_MAXSIG writes outside sigset_t",
   K_FAULT, 0, true, ""},
  {C_SETUID_PERM, "SETUID_PERM", "setuid", 0, 0, "uid is not the ruid or the euid, and the caller is unprivileged",
   K_ERR, BSD_EPERM, true, ""},
  {C_SETEUID_PERM, "SETEUID_PERM", "seteuid", 0, 0, "euid is not the ruid or the svuid, and the caller is unprivileged",
   K_ERR, BSD_EPERM, true, ""},
  {C_SETGID_PERM, "SETGID_PERM", "setgid", 0, 0, "gid is not the rgid or the egid, and the caller is unprivileged",
   K_ERR, BSD_EPERM, true, ""},
  {C_SETEGID_PERM, "SETEGID_PERM", "setegid", 0, 0, "egid is not the rgid or the svgid, and the caller is unprivileged",
   K_ERR, BSD_EPERM, true, ""},
  {C_SETGROUPS_PERM, "SETGROUPS_PERM", "setgroups", 0, 0, "suser_cred(cred, PRISON_ROOT) fails", K_ERR, BSD_EPERM, true, ""},
  {C_JAIL_PERM, "JAIL_PERM", "jail", 0, 0, "suser(td) fails (jailed root fails it too)", K_ERR, BSD_EPERM, true, ""},
  {C_SECURELEVEL_RAISE_ONLY, "SECURELEVEL_RAISE_ONLY", "sysctl_kern_securelvl", 0, 0,
   "a new kern.securelevel below the current one", K_ERR, BSD_EPERM, true, ""},
  {C_SETSID_PERM, "SETSID_PERM", "setsid", 0, 0,
   "p->p_pgid == p->p_pid || pgfind(p->p_pid) != NULL: already a group leader, or its pid names a group", K_ERR, BSD_EPERM, true, ""},
  {C_SETPGID_EINVAL, "SETPGID_EINVAL", "setpgid", 0, 0, "uap->pgid < 0", K_ERR, BSD_EINVAL, true, ""},
  {C_SETPGID_ESRCH, "SETPGID_ESRCH", "setpgid", 0, 0, "(targp = pfind(uap->pid)) == NULL", K_ERR, BSD_ESRCH, true, "",
   -1, -1, true},
  {C_SETPGID_INFERIOR_LOOP, "SETPGID_INFERIOR_LOOP", "inferior", 0, 0,
   "for (; p != curproc; p = p->p_pptr) if (p->p_pid == 0) return (0): a p_pptr cycle without the caller never ends",
   K_HANG, 0, true, ""},
  {C_SETPGID_NOT_INFERIOR, "SETPGID_NOT_INFERIOR", "setpgid", 0, 0, "!inferior(targp): not the caller's descendant",
   K_ERR, BSD_ESRCH, true, ""},
  {C_SETPGID_CANSEE, "SETPGID_CANSEE", "setpgid", 0, 0, "p_cansee(td, targp) fails", K_ERR, BSD_ESRCH, true, ""},
  {C_SETPGID_SESSION, "SETPGID_SESSION", "setpgid", 0, 0,
   "targp->p_pgrp == NULL || targp->p_session != curp->p_session", K_ERR, BSD_EPERM, true, ""},
  {C_SETPGID_EXEC, "SETPGID_EXEC", "setpgid", 0, 0, "targp->p_flag & P_EXEC: the child has exec'd", K_ERR, BSD_EACCES, true, ""},
  {C_SETPGID_LEADER, "SETPGID_LEADER", "setpgid", 0, 0, "SESS_LEADER(targp)", K_ERR, BSD_EPERM, true, ""},
  {C_SETPGID_PGRP, "SETPGID_PGRP", "setpgid", 0, 0,
   "(pgrp = pgfind(uap->pgid)) == NULL || pgrp->pg_session != curp->p_session", K_ERR, BSD_EPERM, true, ""},

  {C_WEXIT_ESRCH, "WEXIT_ESRCH", "kern_ptrace", 0, 0,
   "(p->p_flag & P_WEXIT) != 0: ESRCH, before p_cansee", K_ERR, BSD_ESRCH, true, "", D_WEXIT_ESRCH},
  {C_CANDEBUG_UNPRIV_NOT_SELF, "CANDEBUG_UNPRIV_NOT_SELF", "p_candebug", 0, 0,
   "p != curproc, then unprivileged_proc_debug == 0 and the caller is unprivileged", K_ERR, BSD_EPERM, true, "",
   D_UNPRIV_AFTER_SELF},
  {C_CANDEBUG_INEXEC_EBUSY, "CANDEBUG_INEXEC_EBUSY", "p_candebug", 0, 0,
   "Can't trace a process that's currently exec'ing: P_INEXEC gives EBUSY", K_ERR, BSD_EBUSY, true, "",
   D_INEXEC_EBUSY},
  {C_TRACE_ME_TRACED, "TRACE_ME_TRACED", "kern_ptrace", 0, 0,
   "case PT_TRACE_ME: the caller is already traced (P_TRACED): EBUSY", K_ERR, BSD_EBUSY, true, "",
   D_TRACE_ME_REFUSALS},
  {C_TRACE_ME_INIT_PARENT, "TRACE_ME_INIT_PARENT", "kern_ptrace", 0, 0,
   "case PT_TRACE_ME: no parent that could trace us (p_pptr == initproc): EPERM", K_ERR, BSD_EPERM, true, "",
   D_TRACE_ME_REFUSALS},
  {C_NOT_TRACE_STOPPED, "NOT_TRACE_STOPPED", "kern_ptrace", 0, 0,
   "not currently stopped ((p_flag & P_STOPPED_TRACE) == 0 || (p_flag & P_WAITED) == 0)", K_ERR, BSD_EBUSY, true, "",
   D_TRACE_STOP_REQUIRED},
  {C_RESUME_SIGNAL_RANGE, "RESUME_SIGNAL_RANGE", "kern_ptrace", 0, 0,
   "Zero means do not send any signal (data < 0 || data > _SIG_MAXSIG), for PT_STEP too", K_ERR, BSD_EINVAL, true, "",
   D_RESUME_SIGNAL_RANGE},
  {C_ATTACH_ANCESTOR_ANY_LOOP, "ATTACH_ANCESTOR_ANY_LOOP", "kern_ptrace", 0, 0,
   "Can't trace an ancestor, traced or not (the p_pptr walk never reaches NULL or p)", K_HANG, 0, true, "",
   D_ATTACH_ANCESTOR_ANY},
  {C_ATTACH_ANCESTOR_ANY, "ATTACH_ANCESTOR_ANY", "kern_ptrace", 0, 0,
   "Can't trace an ancestor, traced or not: p is on the caller's p_pptr chain", K_ERR, BSD_EINVAL, true, "",
   D_ATTACH_ANCESTOR_ANY},
};

// clang-format on

constexpr Concrete::Bool Concrete::observe(const CheckInfo& c, Bool fires) {
  if (!std::is_constant_evaluated() && check_removed(c.index)) return false;
  return fires;
}

// Removes checks from the rules while alive (the audit's mutants), process-wide.
struct RemoveCheck {
  int check;
  explicit RemoveCheck(int c) : check(c) { g_removed_checks[c] = true; }
  ~RemoveCheck() { g_removed_checks[check] = false; }
  RemoveCheck(const RemoveCheck&) = delete;
  RemoveCheck& operator=(const RemoveCheck&) = delete;
};

// Is the check in the lists under the semantics in force? (Seed checks are,
// unless a delta in force removes them; a delta's checks only with it.)
constexpr bool check_active(const CheckInfo& c) {
  return (c.added_by < 0 || delta_on(c.added_by)) && (c.removed_by < 0 || !delta_on(c.removed_by));
}

consteval bool check_table_is_indexed() {
  for (int i = 0; i < C_COUNT; ++i)
    if (kChecks[i].index != i) return false;
  return true;
}
static_assert(check_table_is_indexed(), "kChecks[i].index must be i");
static_assert(C_COUNT <= static_cast<int>(sizeof g_removed_checks), "g_removed_checks is too small");

// One entry of a check list: the check and its guard (a nullary callable giving
// D::Bool, true when the check fires).
template <class G>
struct Guarded {
  int check;
  bool on;  // false: the check does not apply to this request (a concrete fact, not a domain value)
  G fires;
};
template <class G>
constexpr Guarded<G> check(int id, G g) {
  return Guarded<G>{id, true, g};
}
template <class G>
constexpr Guarded<G> check_if(bool on, int id, G g) {
  return Guarded<G>{id, on, g};
}

// The check lists a run met (a census: model/applicable.hpp collects them to
// validate run-time moves, which stay inside one list). nullptr: not counting.
inline thread_local std::vector<std::vector<int>>* t_list_census = nullptr;

// The errno a check gives under the semantics in force (a run-time edit may change it).
inline int check_err(const CheckInfo& info) {
  const EditSet* e = current_edits();
  return e && e->err[info.index] ? e->err[info.index] : info.err;
}

// One entry of a list: when the check fires, its outcome with the state as it
// was; otherwise `rest()`, the checks after it.
template <class D, class S, class C, class Rest>
constexpr Step<D, S> first_failing_one(const S& s, const C& c, Rest&& rest) {
  if (!c.on || !check_active(kChecks[c.check])) return rest();
  const auto& info = kChecks[c.check];
  if (info.null_after && !std::is_constant_evaluated() && check_removed(info.index))
    // A mutant without a NULL test: where the test would have held, the
    // code after it dereferences NULL (CheckInfo::null_after).
    return D::branch(
        c.fires(), [&]() { return Step<D, S>{Outcome<D>::of_kind(K_FAULT, 0, info.index), s}; }, rest);
  auto fires = D::observe(info, c.fires());
  const int err = std::is_constant_evaluated() ? info.err : check_err(info);
  return D::branch(
      fires, [&]() { return Step<D, S>{Outcome<D>::of_kind(info.kind, err, info.index), s}; }, rest);
}

// The list in the order the run-time moves of `e` give it (positions into the tuple).
template <std::size_t L>
std::array<int, L> edited_order(const std::array<int, L>& ids, const EditSet& e) {
  std::vector<int> pos(L);
  for (std::size_t k = 0; k < L; ++k) pos[k] = static_cast<int>(k);
  auto at = [&](int check) {
    for (std::size_t k = 0; k < pos.size(); ++k)
      if (ids[static_cast<std::size_t>(pos[k])] == check) return static_cast<int>(k);
    return -1;
  };
  for (int i = 0; i < e.count; ++i) {
    const Edit& m = e.edits[i];
    if (m.kind != E_BEFORE && m.kind != E_AFTER) continue;
    const int from = at(m.check);
    if (from < 0 || at(m.other) < 0) continue;  // not this list
    const int moved = pos[static_cast<std::size_t>(from)];
    pos.erase(pos.begin() + from);
    const int to = at(m.other) + (m.kind == E_AFTER ? 1 : 0);
    pos.insert(pos.begin() + to, moved);
  }
  std::array<int, L> out{};
  for (std::size_t k = 0; k < L; ++k) out[k] = pos[k];
  return out;
}

// The list from position k of `order` on (a run-time order).
template <class D, class S, class Checks, std::size_t L, class Pass>
Step<D, S> first_failing_ordered(const S& s, const Checks& checks, const std::array<int, L>& order, std::size_t k,
                                 Pass& pass) {
  if (k == L) return pass();
  std::optional<Step<D, S>> out;
  hana::for_each(hana::make_range(hana::size_c<0>, hana::size_c<L>), [&](auto i) {
    if (static_cast<int>(decltype(i)::value) != order[k]) return;
    out.emplace(first_failing_one<D, S>(s, hana::at(checks, i), [&]() {
      return first_failing_ordered<D, S>(s, checks, order, k + 1, pass);
    }));
  });
  return std::move(*out);
}

// Evaluate a check list in order: the first check that fires decides (its
// errno, hang or fault, with the state as it was); when none fires, `pass()`
// runs. `pass` returns a Step; so does the whole call. One call per check,
// each taking the list by reference: kern_ptrace's list has 27 checks, and a
// chain of closures, each holding a copy of the rest, cost more to build
// than the checks themselves (over half of the explorer's time).
// Under run-time moves (EditSet::moves) the list runs in its edited order.
template <class D, class S, std::size_t I = 0, class Checks, class Pass>
constexpr Step<D, S> first_failing(const S& s, const Checks& checks, Pass&& pass) {
  constexpr std::size_t L = decltype(hana::length(checks))::value;
  if constexpr (I == 0) {
    if (!std::is_constant_evaluated()) {
      const EditSet* e = current_edits();
      if (t_list_census || (e && e->moves)) {
        std::array<int, L> ids{};
        std::size_t n = 0;
        hana::for_each(checks, [&](const auto& c) { ids[n++] = c.check; });
        if (t_list_census) t_list_census->push_back(std::vector<int>(ids.begin(), ids.end()));
        if (e && e->moves) {
          const std::array<int, L> order = edited_order<L>(ids, *e);
          bool identity = true;
          for (std::size_t k = 0; k < L; ++k) identity = identity && order[k] == static_cast<int>(k);
          if (!identity) return first_failing_ordered<D, S>(s, checks, order, 0, pass);
        }
      }
    }
  }
  if constexpr (I == L) {
    return pass();
  } else {
    return first_failing_one<D, S>(s, hana::at_c<I>(checks),
                                   [&]() { return first_failing<D, S, I + 1>(s, checks, pass); });
  }
}

}  // namespace ptm
