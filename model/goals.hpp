// Attacker goals: what an attacker gains, stated over credentials, sysctls and
// the process tree, not over how the checks are written. The audit (proofs/
// audit.hpp) asks, for each check, which goals become reachable without it
// that the seed does not reach the same way; a goal is *reached* by one step
// (the step that does the damage), so "the same way" is the same goal reached
// by the same operation.
//
// The credential rule of the era is written here from the 5.x sources'
// documented behaviour (kern_prot.c: p_cansee, p_candebug; security(7) on the
// security.bsd sysctls), field by field, without calling the model's check
// functions (only groupmember(), the kernel's own helper): a goal must not
// hold by definition of the check it audits.
#pragma once

#include <string_view>

#include "model/properties.hpp"

namespace ptm {

namespace goal_rules {

// Root in the 5.x sense: effective uid 0 while security.bsd.suser_enabled is
// on. A jailed root is root inside its jail only (the prison test below).
template <class D, int N>
constexpr Bool<D> root(const State<D, N>& s, const Ucred<D>& c) {
  return s.suser_enabled != D::num(0) && c.cr_uid == D::num(0);
}

// Hidden from `a`: `t` is in another jail than a jailed `a`; or, for a non-root
// `a`, see_other_uids is 0 and the real uids differ, or see_other_gids is 0
// and they share no group.
template <class D, int N>
constexpr Bool<D> hidden(const State<D, N>& s, const Ucred<D>& a, const Ucred<D>& t) {
  Bool<D> share = D::lit(false);
  for (int i = 0; i < NGROUPS; ++i) share = share || (D::num(i) < a.cr_ngroups && groupmember<D>(a.cr_groups[i], t));
  const Bool<D> other_jail = a.cr_prison != D::num(0) && a.cr_prison != t.cr_prison;
  const Bool<D> uid_hidden = s.see_other_uids == D::num(0) && a.cr_ruid != t.cr_ruid;
  const Bool<D> gid_hidden = s.see_other_gids == D::num(0) && !share;
  return other_jail || (!root<D>(s, a) && (uid_hidden || gid_hidden));
}

// May the process with credential `a` debug the process `t`, by the rules of
// the era? It must see it; root may then debug it; anyone else only with
// unprivileged_proc_debug on, a target that runs wholly as the caller (its
// effective, real and saved uids are the caller's effective uid; each of its
// gids is one of the caller's groups) and that has not changed credentials
// (P_SUGID). A process may always debug itself.
template <class D, int N>
constexpr Bool<D> may_debug(const State<D, N>& s, const Ucred<D>& a, const Proc<D>& t) {
  const Ucred<D>& c = t.p_ucred;
  Bool<D> gids = groupmember<D>(c.cr_rgid, a) && groupmember<D>(c.cr_svgid, a);
  for (int i = 0; i < NGROUPS; ++i) gids = gids && (D::num(i) >= c.cr_ngroups || groupmember<D>(c.cr_groups[i], a));
  const Bool<D> own = c.cr_uid == a.cr_uid && c.cr_ruid == a.cr_uid && c.cr_svuid == a.cr_uid && gids && !t.P_SUGID;
  return !hidden<D>(s, a, c) && (root<D>(s, a) || (s.unprivileged_proc_debug != D::num(0) && own));
}
// And init at securelevel > 0, which nobody may debug (root included).
template <class D, int N>
constexpr Bool<D> may_debug_slot(const State<D, N>& s, const Ucred<D>& a, Int<D> slot, const Proc<D>& t) {
  return may_debug<D>(s, a, t) && !(slot == D::num(SLOT_INIT) && s.securelevel > D::num(0));
}

// A process tree without a cycle: from every live process, following p_pptr
// reaches proc0 (TREE_ACYCLIC's test).
template <class D, int N>
constexpr Bool<D> tree_ok(const State<D, N>& s) {
  return TREE_ACYCLIC::holds<D, N>(s);
}

// For a ptrace request on another process (not PT_TRACE_ME): pred(target
// slot, target, caller's credential), or `absent` when the pid names no process.
template <class D, int N, class F>
constexpr Bool<D> on_target(const StepCtx<D, N>& c, F pred, Bool<D> absent) {
  if (c.op.kind != OP_PTRACE || c.op.req == PT_TRACE_ME) return D::lit(false);
  const Int<D> t = pfind<D>(c.pre, c.args.pt.pid);
  const Ucred<D>& a = proc_at<D>(c.pre, c.args.actor).p_ucred;
  return field_or<D>(c.pre, t, [&](const Proc<D>& p) { return pred(t, p, a); }, absent);
}

}  // namespace goal_rules

// ---- The goals ----------------------------------------------------------------
// Each: id, statement, why it matters, and reached(step): this step achieves it.

struct GOAL_CONTROL {
  static constexpr std::string_view id = "GOAL_CONTROL";
  static constexpr std::string_view statement =
      "a process gains control of another it may not debug by the era's credential rules: a successful ptrace "
      "request (attach; read or write its memory or registers; resume it, with a signal or not; kill or detach it) "
      "on a process hidden from it, or, for a non-root caller, one that does not run wholly as the caller's uid "
      "and groups, has changed credentials (P_SUGID), or while unprivileged_proc_debug is 0; or init while "
      "securelevel > 0";
  static constexpr std::string_view why =
      "ptrace is the gate between users: who controls a process reads its secrets and runs code as its owner "
      "(as root, for a set-uid program)";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    const Bool<D> may_not = goal_rules::on_target<D>(
        c,
        [&](Int<D> t, const Proc<D>& p, const Ucred<D>& a) {
          return t != c.args.actor && !goal_rules::may_debug_slot<D>(c.pre, a, t, p);
        },
        D::lit(false));
    return succeeded<D>(c) && may_not;
  }
};

struct GOAL_TAKE_TRACEE {
  static constexpr std::string_view id = "GOAL_TAKE_TRACEE";
  static constexpr std::string_view statement =
      "a traced process is taken from its tracer: it is traced by another process afterwards while its tracer "
      "still lives";
  static constexpr std::string_view why =
      "a second debugger hijacks a session it was never given (and the first one's stops and signals go to it)";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    Bool<D> any = D::lit(false);
    for (int i = 0; i < N; ++i) {
      const Proc<D>& a = c.pre.procs[i];
      const Proc<D>& b = c.post.procs[i];
      any = any || (a.p_state == D::num(PRS_NORMAL) && a.P_TRACED && b.p_state == D::num(PRS_NORMAL) && b.P_TRACED &&
                    b.p_pptr != a.p_pptr && is_live<D>(c.post, a.p_pptr));
    }
    return any;
  }
};

struct GOAL_WRONG_PARENT {
  static constexpr std::string_view id = "GOAL_WRONG_PARENT";
  static constexpr std::string_view statement =
      "a live process (not exiting) is left untraced with a parent that is neither the parent it had before it "
      "was traced nor init: when it stops being traced, or when its parent changes while it is untraced";
  static constexpr std::string_view why =
      "the parent collects the exit status, gets SIGCHLD and may wait for and signal the process: a process "
      "handed to an unrelated process is under that process's control";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    // Live processes only, not exiting: exit1 clears P_TRACED first and the
    // link to the parent from before tracing ends with the exit, so who may
    // reap an exiting process or a zombie is not stated here.
    Bool<D> any = D::lit(false);
    for (int i = 0; i < N; ++i) {
      const Proc<D>& a = c.pre.procs[i];
      const Proc<D>& b = c.post.procs[i];
      const Bool<D> live =
          a.p_state == D::num(PRS_NORMAL) && b.p_state == D::num(PRS_NORMAL) && !b.P_WEXIT && !b.P_TRACED;
      const Bool<D> to_init = b.p_pptr == D::num(SLOT_INIT);
      // Untraced by this step: back to its parent from before tracing, or init.
      const Bool<D> untraced = a.P_TRACED && !to_init && b.p_pptr != a.g_oparent;
      // Untraced before and after: a new parent may only be init (its parent exited).
      const Bool<D> moved = !a.P_TRACED && b.p_pptr != a.p_pptr && !to_init;
      any = any || (live && (untraced || moved));
    }
    return any;
  }
};

struct GOAL_HANG {
  static constexpr std::string_view id = "GOAL_HANG";
  static constexpr std::string_view statement =
      "the kernel hangs, or is set to: a system call loops forever over p_pptr (holding proctree_lock), or a step "
      "makes a p_pptr cycle, which the next ancestor walk through it (PT_ATTACH, setpgid's inferior()) never leaves";
  static constexpr std::string_view why =
      "a denial of service of the whole machine: every later fork, exit, wait and ptrace waits for the lock";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    return c.out.kind == D::num(K_HANG) || (goal_rules::tree_ok<D, N>(c.pre) && !goal_rules::tree_ok<D, N>(c.post));
  }
};

struct GOAL_FAULT {
  static constexpr std::string_view id = "GOAL_FAULT";
  static constexpr std::string_view statement =
      "kernel memory is corrupted or an assertion trips, or is set to: an operation faults (a NULL dereference, "
      "a write outside sigset_t), or a step leaves a live process with a p_xstat outside 0.._SIG_MAXSIG, which "
      "issignal() adds to p_siglist when the process next runs";
  static constexpr std::string_view why = "a panic (denial of service) or a kernel write an attacker chooses";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    Bool<D> armed = D::lit(false);
    for (int i = 0; i < N; ++i) {
      const Proc<D>& a = c.pre.procs[i];
      const Proc<D>& b = c.post.procs[i];
      auto bad = [](const Proc<D>& p) {
        return p.p_state == D::num(PRS_NORMAL) && !p.P_WEXIT &&
               (p.p_xstat < D::num(0) || p.p_xstat > D::num(_SIG_MAXSIG));
      };
      armed = armed || (bad(b) && !bad(a));
    }
    // init's own exit panics by design (exit1: "Going nowhere without my
    // init!"); only init can do it, so it is no attacker's.
    return (c.out.kind == D::num(K_FAULT) && c.out.check != D::num(C_EXIT_INIT)) || armed;
  }
};

struct GOAL_DETECT_HIDDEN {
  static constexpr std::string_view id = "GOAL_DETECT_HIDDEN";
  static constexpr std::string_view statement =
      "a process hidden from the caller (another jail; another real uid with see_other_uids 0; no shared group "
      "with see_other_gids 0) answers a ptrace request otherwise than a pid that no process has (another outcome or errno)";
  static constexpr std::string_view why =
      "the sysctls and jails promise that other users' processes cannot be seen; an errno that differs by "
      "existence lets a caller list them";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    const Bool<D> hid = goal_rules::on_target<D>(
        c,
        [&](Int<D> t, const Proc<D>& p, const Ucred<D>& a) {
          return t != c.args.actor && goal_rules::hidden<D>(c.pre, a, p.p_ucred);
        },
        D::lit(false));
    if constexpr (!D::is_symbolic)
      if (!hid) return false;  // the common case, without the second step below
    // The same request for a pid no process has (pid_max is never allocated).
    Args<D> absent = c.args;
    absent.pt.pid = D::num(pid_max<N>);
    const auto other = [&] {
      if constexpr (std::is_same_v<D, Concrete>)
        return step_or_fault<N>(c.pre, c.op, absent);
      else
        return step<D, N>(c.pre, c.op, absent);
    }();
    // A pid no process has that hangs or panics the kernel gives no answer to
    // compare with (that is GOAL_HANG's or GOAL_FAULT's). This also keeps the
    // audit's difference search sound for this goal: the probe is decided by
    // ptrace()'s copyin (which decides the request itself the same way) or by
    // pfind(), whose removal makes it a fault.
    const Bool<D> answers = other.out.kind != D::num(K_HANG) && other.out.kind != D::num(K_FAULT);
    const Bool<D> like_absent = c.out.kind == other.out.kind && c.out.error == other.out.error;
    return hid && answers && !like_absent;
  }
};

struct GOAL_TRACE_SYSTEM {
  static constexpr std::string_view id = "GOAL_TRACE_SYSTEM";
  static constexpr std::string_view statement = "a system process (proc0, init, a kernel process) becomes traced";
  static constexpr std::string_view why =
      "init and the kernel's processes hold the machine together; a tracer can stop them or change their memory";
  template <class D, int N>
  static constexpr Bool<D> reached(const StepCtx<D, N>& c) {
    Bool<D> any = D::lit(false);
    for (int i = 0; i < N; ++i) {
      const Proc<D>& a = c.pre.procs[i];
      const Proc<D>& b = c.post.procs[i];
      any = any || ((a.P_SYSTEM || D::lit(i == SLOT_INIT)) && a.p_state == D::num(PRS_NORMAL) && !a.P_TRACED &&
                    b.P_TRACED);
    }
    return any;
  }
};

inline constexpr auto kGoals = hana::tuple_t<GOAL_CONTROL, GOAL_TAKE_TRACEE, GOAL_WRONG_PARENT, GOAL_HANG, GOAL_FAULT,
                                             GOAL_DETECT_HIDDEN, GOAL_TRACE_SYSTEM>;
inline constexpr int kGoalCount = 7;
static_assert(decltype(hana::length(kGoals))::value == kGoalCount);

// Evaluate every goal on a step; calls f(index, id, reached) for each.
template <class D, int N, class F>
constexpr void for_each_goal(const StepCtx<D, N>& c, F&& f) {
  int k = 0;
  hana::for_each(kGoals, [&](auto t) {
    using G = typename decltype(t)::type;
    f(k++, G::id, G::template reached<D, N>(c));
  });
}

}  // namespace ptm
