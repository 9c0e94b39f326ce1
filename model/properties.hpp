// The properties the tool checks (DESIGN.md), as a list of named predicates.
// A state property holds of one state; a step property of (pre-state,
// operation, arguments, outcome, post-state). Each is generic over the domain,
// so the same predicate is evaluated concretely (scenarios, tests, search) and
// symbolically (proofs). Whether the seed keeps each one is what the tool
// reports; the model is never changed to make one hold.
#pragma once

#include <string_view>

#include "model/step.hpp"

namespace ptm {

template <class D, int N>
struct StepCtx {
  const State<D, N>& pre;
  const Op& op;
  const Args<D>& args;
  const Outcome<D>& out;
  const State<D, N>& post;
};

// The slot a ptrace request acted on, judged in the pre-state: pfind() of the
// pid as the kernel reads it (an int: model/step.hpp kernel_args).
template <class D, int N>
constexpr Int<D> ptrace_target(const StepCtx<D, N>& c) {
  return c.op.req == PT_TRACE_ME ? c.args.actor : pfind<D>(c.pre, D::to_i32(c.args.pt.pid));
}
template <class D, int N>
constexpr Bool<D> succeeded(const StepCtx<D, N>& c) {
  return c.out.kind == D::num(K_OK);
}
template <class D, int N>
constexpr Bool<D> is_live(const State<D, N>& s, Int<D> slot) {
  return field_or<D>(s, slot, [](const Proc<D>& p) { return p.p_state == D::num(PRS_NORMAL); }, D::lit(false));
}

// ---- State properties -------------------------------------------------------

struct TREE_ACYCLIC {
  static constexpr std::string_view id = "TREE_ACYCLIC";
  static constexpr std::string_view statement =
      "following p_pptr from any live process reaches proc0 without revisiting a process";
  static constexpr bool is_step = false;
  // A walk of up to N steps from every slot: not stated for a table of any
  // size (that needs the p_pptr reachability as ghost state; docs/proofs.md).
  static constexpr bool every_n = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 1; i < N; ++i) {
      // N steps visit at most N distinct processes: proc0 must come up by then.
      Int<D> pp = D::num(i);
      Bool<D> reached = D::lit(false);
      for (int k = 0; k < N; ++k) {
        reached = reached || pp == D::num(SLOT_PROC0);
        pp = D::branch(reached || pp == D::num(NOPROC), [&] { return pp; },
                       [&] { return proc_at<D>(s, pp).p_pptr; });
      }
      all = all && (s.procs[i].p_state != D::num(PRS_NORMAL) || reached);
    }
    return all;
  }
};

struct TRACER_LIVE {
  static constexpr std::string_view id = "TRACER_LIVE";
  static constexpr std::string_view statement = "a traced process's p_pptr is a live process other than itself";
  static constexpr bool is_step = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [&](Int<D> i, const Proc<D>& p) {
      Bool<D> traced = p.p_state == D::num(PRS_NORMAL) && p.P_TRACED;
      return !traced || (p.p_pptr != i && is_live<D>(s, p.p_pptr));
    });
  }
};

struct OPPID_REAL {
  static constexpr std::string_view id = "OPPID_REAL";
  static constexpr std::string_view statement =
      "a traced process's p_oppid is the pid of the parent it had before it was traced";
  static constexpr bool is_step = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [&](Int<D>, const Proc<D>& p) {
      Bool<D> applies = p.p_state == D::num(PRS_NORMAL) && p.P_TRACED && p.g_oparent != D::num(NOPROC);
      return !applies || p.p_oppid == pid_of<D>(s, p.g_oparent);
    });
  }
};

struct XSTAT_VALID {
  static constexpr std::string_view id = "XSTAT_VALID";
  static constexpr std::string_view statement =
      "a live process's p_xstat is 0 or a valid signal number (1.._SIG_MAXSIG)";
  static constexpr bool is_step = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) {
      return p.p_state != D::num(PRS_NORMAL) || p.P_WEXIT ||
             (p.p_xstat >= D::num(0) && p.p_xstat <= D::num(_SIG_MAXSIG));
    });
  }
};

struct SYSTEM_UNTRACED {
  static constexpr std::string_view id = "SYSTEM_UNTRACED";
  static constexpr std::string_view statement = "a P_SYSTEM process is never traced";
  static constexpr bool is_step = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) { return !(p.P_SYSTEM && p.P_TRACED); });
  }
};

struct NO_ORPHAN {
  static constexpr std::string_view id = "NO_ORPHAN";
  static constexpr std::string_view statement = "every live process other than proc0 has a live parent";
  static constexpr bool is_step = false;
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [&](Int<D> i, const Proc<D>& p) {
      return i < D::num(1) || p.p_state != D::num(PRS_NORMAL) || is_live<D>(s, p.p_pptr);
    });
  }
};

// ---- Step properties --------------------------------------------------------

struct WALKS_TERMINATE {
  static constexpr std::string_view id = "WALKS_TERMINATE";
  static constexpr std::string_view statement =
      "every kernel loop over processes terminates (no operation's outcome is hang)";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    return c.out.kind != D::num(K_HANG);
  }
};

struct NO_FAULT {
  static constexpr std::string_view id = "NO_FAULT";
  static constexpr std::string_view statement = "no operation corrupts kernel state or trips a kernel assertion";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    return c.out.kind != D::num(K_FAULT);
  }
};

struct DETACH_RESTORES {
  static constexpr std::string_view id = "DETACH_RESTORES";
  static constexpr std::string_view statement =
      "after PT_DETACH the process's parent is its parent from before tracing if that process is still "
      "alive, else init; never any other process";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    if (c.op.kind != OP_PTRACE || c.op.req != PT_DETACH) return D::lit(true);
    const Int<D> t = ptrace_target<D>(c);
    const Int<D> orig = field_or<D>(c.pre, t, [](const Proc<D>& p) { return p.g_oparent; }, D::num(NOPROC));
    const Int<D> want = D::ite(is_live<D>(c.pre, orig), orig, D::num(SLOT_INIT));
    const Int<D> got = field_or<D>(c.post, t, [](const Proc<D>& p) { return p.p_pptr; }, D::num(NOPROC));
    return !succeeded<D>(c) || got == want;
  }
};

struct CONTROL_BY_TRACER {
  static constexpr std::string_view id = "CONTROL_BY_TRACER";
  static constexpr std::string_view statement =
      "any successful request other than PT_TRACE_ME / PT_ATTACH is made by the target's tracer";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    if (c.op.kind != OP_PTRACE || c.op.req == PT_TRACE_ME || c.op.req == PT_ATTACH) return D::lit(true);
    const Int<D> t = ptrace_target<D>(c);
    const Bool<D> by_tracer =
        field_or<D>(c.pre, t, [&](const Proc<D>& p) { return p.P_TRACED && p.p_pptr == c.args.actor; }, D::lit(false));
    return !succeeded<D>(c) || by_tracer;
  }
};

struct STOPPED_WAITED {
  static constexpr std::string_view id = "STOPPED_WAITED";
  static constexpr std::string_view statement =
      "a successful request that reads or changes the tracee's state finds it stopped and waited for by its "
      "tracer since that stop";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    if (c.op.kind != OP_PTRACE || !needs_tracer_req(c.op.req)) return D::lit(true);
    const Int<D> t = ptrace_target<D>(c);
    const Bool<D> ok = field_or<D>(
        c.pre, t,
        [&](const Proc<D>& p) { return P_SHOULDSTOP<D>(p) && p.P_WAITED && p.g_waiter == c.args.actor; },
        D::lit(false));
    return !succeeded<D>(c) || ok;
  }
};

struct DEBUG_ALLOWED {
  static constexpr std::string_view id = "DEBUG_ALLOWED";
  static constexpr std::string_view statement =
      "every successful request satisfies p_cansee and p_candebug of the caller over the target at that moment";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    if (c.op.kind != OP_PTRACE) return D::lit(true);
    const State<D, N>& s = c.pre;
    const Int<D> t = ptrace_target<D>(c);
    const Ucred<D> tc = proc_at<D>(s, c.args.actor).p_ucred;
    const Bool<D> self = t == c.args.actor;
    const Bool<D> priv = suser_prison_root<D>(s, tc);
    const Bool<D> allowed = field_or<D>(
        s, t,
        [&](const Proc<D>& p) {
          const Ucred<D>& pc = p.p_ucred;
          Bool<D> cansee = !prison_check_fails<D>(tc, pc) && !seeotheruids_fails<D>(s, tc, pc) &&
                           !seeothergids_fails<D>(s, tc, pc);
          Bool<D> candebug =
              (s.unprivileged_proc_debug != D::num(0) || priv) &&
              (self || (!prison_check_fails<D>(tc, pc) && !seeotheruids_fails<D>(s, tc, pc) &&
                        !seeothergids_fails<D>(s, tc, pc) && ((candebug_cred_ok<D>(tc, pc) && !p.P_SUGID) || priv) &&
                        !(t == D::num(SLOT_INIT) && securelevel_gt<D>(s, 0)) && !p.P_INEXEC));
          return cansee && candebug;
        },
        D::lit(false));
    return !succeeded<D>(c) || allowed;
  }
};

struct ATTACH_STOPS {
  static constexpr std::string_view id = "ATTACH_STOPS";
  static constexpr std::string_view statement =
      "after a successful PT_ATTACH the target is stopped for its tracer or will stop before it runs user code "
      "again";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    // Will stop: traced with a signal pending, which issignal() turns into a trace stop.
    auto will_stop = [](const Proc<D>& p) {
      return P_SHOULDSTOP<D>(p) || (p.P_TRACED && sig_lowest<D>(p.p_siglist) != D::num(0));
    };
    if (c.op.kind == OP_PTRACE && c.op.req == PT_ATTACH) {
      const Int<D> t = ptrace_target<D>(c);
      return !succeeded<D>(c) || field_or<D>(c.post, t, will_stop, D::lit(false));
    }
    if (c.op.kind == OP_TAKESIG) {
      // The target takes its signals without having stopped since the attach,
      // and is left running with nothing pending: it goes back to user code.
      const Int<D> t = c.args.actor;
      const Bool<D> due = field_or<D>(c.pre, t, [](const Proc<D>& p) { return p.g_attach_stop_due; }, D::lit(false));
      const Bool<D> returns = field_or<D>(
          c.post, t,
          [&](const Proc<D>& p) {
            return p.p_state == D::num(PRS_NORMAL) && !will_stop(p) && p.td_sig == D::num(0);
          },
          D::lit(false));
      return !(succeeded<D>(c) && due && returns);
    }
    return D::lit(true);
  }
};

struct NO_TRACE_OF_EXITING {
  static constexpr std::string_view id = "NO_TRACE_OF_EXITING";
  static constexpr std::string_view statement =
      "a process that has begun exiting is never newly traced, nor reparented other than to init when its "
      "parent exits";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    return all_slots_of_both<D>(c.pre, c.post, [](Int<D>, const Proc<D>& a, const Proc<D>& b) {
      Bool<D> exiting = a.p_state == D::num(PRS_NORMAL) && a.P_WEXIT;
      return !exiting ||
             ((!b.P_TRACED || a.P_TRACED) && (b.p_pptr == a.p_pptr || b.p_pptr == D::num(SLOT_INIT)));
    });
  }
};

struct EXIT_REPORTED_ONCE {
  static constexpr std::string_view id = "EXIT_REPORTED_ONCE";
  static constexpr std::string_view statement = "a process's exit status is collected by exactly one wait";
  static constexpr bool is_step = true;
  template <class D, int N>
  static constexpr Bool<D> holds(const StepCtx<D, N>& c) {
    if (c.op.kind != OP_WAIT) return D::lit(true);
    // A wait that reports a zombie: its pid is the return value.
    return all_slots<D>(c.pre, [&](Int<D>, const Proc<D>& z) {
      Bool<D> reported = succeeded<D>(c) && z.p_state == D::num(PRS_ZOMBIE) && c.out.retval == z.p_pid &&
                         z.p_pptr == c.args.actor;
      return !reported || !z.g_exit_reported;
    });
  }
};

// The list. The proof matrix, the coverage table and the reports iterate it.
inline constexpr auto kProperties =
    hana::tuple_t<TREE_ACYCLIC, WALKS_TERMINATE, TRACER_LIVE, OPPID_REAL, DETACH_RESTORES, XSTAT_VALID,
                  SYSTEM_UNTRACED, CONTROL_BY_TRACER, STOPPED_WAITED, DEBUG_ALLOWED, ATTACH_STOPS,
                  NO_TRACE_OF_EXITING, EXIT_REPORTED_ONCE, NO_ORPHAN, NO_FAULT>;
inline constexpr int kPropertyCount = 15;

// Is the property stated for a table of any size (it is, unless it says otherwise)?
template <class P>
inline constexpr bool kStatedForEveryN = [] {
  if constexpr (requires { P::every_n; })
    return P::every_n;
  else
    return true;
}();

// Evaluate every property on a step; calls f(id, statement, holds) for each.
template <class D, int N, class F>
constexpr void for_each_property(const StepCtx<D, N>& c, F&& f) {
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if constexpr (P::is_step)
      f(P::id, P::statement, P::template holds<D, N>(c));
    else
      f(P::id, P::statement, P::template holds<D, N>(c.post));
  });
}

}  // namespace ptm
