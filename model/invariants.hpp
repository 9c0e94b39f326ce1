// Auxiliary invariants: facts about every reachable state that the proofs of
// the properties need as hypotheses (an induction step assumes them of the
// pre-state). Each is proved inductive itself (proofs/), and checked on every
// state the property tests reach (props/).
#pragma once

#include <string_view>

#include "model/properties.hpp"

namespace ptm {

template <class D>
constexpr Bool<D> is_free(const Proc<D>& p) {
  return p.p_state == D::num(PRS_FREE);
}
// `slot` is a slot of the table and its process passes f (false for NOPROC).
template <class D, int N, class F>
constexpr Bool<D> slot_where(const State<D, N>& s, Int<D> slot, F&& f) {
  return read_slot<D>(s, slot, f, D::lit(false));
}

// proc0 and init sit in their slots, as boot left them.
struct INV_PROC0_INIT {
  static constexpr std::string_view id = "INV_PROC0_INIT";
  static constexpr std::string_view statement =
      "slot 0 is proc0 (pid 0, no parent, P_SYSTEM, untraced) and slot 1 is init (pid 1, child of proc0, "
      "P_SYSTEM, untraced, not exiting)";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return read_slot<D>(s, D::num(SLOT_PROC0), [&](const Proc<D>& p0) {
      return read_slot<D>(s, D::num(SLOT_INIT), [&](const Proc<D>& in) { return procs_ok(p0, in); }, D::lit(false));
    }, D::lit(false));
  }
  template <class D>
  static constexpr Bool<D> procs_ok(const Proc<D>& p0, const Proc<D>& in) {
    return p0.p_state == D::num(PRS_NORMAL) && p0.p_pid == D::num(0) && p0.p_pptr == D::num(NOPROC) && p0.P_SYSTEM &&
           !p0.P_TRACED && !p0.P_WEXIT && !p0.P_INEXEC && !P_SHOULDSTOP<D>(p0) && in.p_state == D::num(PRS_NORMAL) &&
           in.p_pid == D::num(1) && in.p_pptr == D::num(SLOT_PROC0) && in.P_SYSTEM && !in.P_TRACED && !in.P_WEXIT;
  }
};

// Every other process has a pid of the model's range and a parent in the
// table (not itself, not a free slot).
struct INV_TABLE {
  static constexpr std::string_view id = "INV_TABLE";
  static constexpr std::string_view statement =
      "other processes have pids in 2..pid_max-1, a live parent other than themselves, and a p_oppid that is not "
      "their own pid; lastpid is in range";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    const Int<D> pid_max = table_pid_max<D>(s);
    return s.lastpid >= D::num(1) && s.lastpid < pid_max && all_slots<D>(s, [&](Int<D> i, const Proc<D>& p) {
      const Bool<D> parent_ok =
          p.p_pptr != i && slot_where<D>(s, p.p_pptr, [](const Proc<D>& q) { return q.p_state == D::num(PRS_NORMAL); });
      const Bool<D> ok = (p.p_state == D::num(PRS_NORMAL) || p.p_state == D::num(PRS_ZOMBIE)) &&
                         p.p_pid >= D::num(2) && p.p_pid < pid_max && parent_ok && p.p_oppid != p.p_pid;
      return i < D::num(2) || is_free<D>(p) || ok;
    });
  }
};

// No two processes have one pid.
struct INV_PIDS_DISTINCT {
  static constexpr std::string_view id = "INV_PIDS_DISTINCT";
  static constexpr std::string_view statement = "no two processes (live or zombie) have the same pid";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [&](Int<D> i, const Proc<D>& p) {
      return all_slots<D>(s, [&](Int<D> j, const Proc<D>& q) {
        return !(j < i) || i < D::num(2) || is_free<D>(p) || is_free<D>(q) || q.p_pid != p.p_pid;
      });
    });
  }
};

// A free slot holds nothing (what reap() leaves).
struct INV_FREE_EMPTY {
  static constexpr std::string_view id = "INV_FREE_EMPTY";
  static constexpr std::string_view statement = "a free slot's process is traced, stopped, exiting, in execve, or system in no way";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D> i, const Proc<D>& p) {
      return i < D::num(2) || !is_free<D>(p) ||
             (!p.P_TRACED && !p.P_SYSTEM && !p.P_KTHREAD && !P_SHOULDSTOP<D>(p) && !p.P_WEXIT && !p.P_INEXEC &&
              p.td_sig == D::num(0));
    });
  }
};

// A process inside exit1() is running it: it never stops and holds no trace-stop continuation.
struct INV_EXITING_RUNS {
  static constexpr std::string_view id = "INV_EXITING_RUNS";
  static constexpr std::string_view statement = "a live process with P_WEXIT is not stopped and not inside issignal()";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) {
      return !(p.p_state == D::num(PRS_NORMAL) && p.P_WEXIT) || (!P_SHOULDSTOP<D>(p) && p.td_sig == D::num(0));
    });
  }
};

// The ghost fields name processes that exist (reap() clears references to a freed slot).
struct INV_GHOSTS {
  static constexpr std::string_view id = "INV_GHOSTS";
  static constexpr std::string_view statement =
      "g_oparent and g_waiter are NOPROC or an occupied slot, and g_oparent is set only while traced";
  // (A zombie may be traced: 5.x exit1() untraces before its first sleep, and a
  // PT_ATTACH in the window traces the exiting process again.)
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    auto occupied = [](const Proc<D>& q) { return !is_free<D>(q); };
    return all_slots<D>(s, [&](Int<D> i, const Proc<D>& p) {
      const Bool<D> op = p.g_oparent == D::num(NOPROC) || slot_where<D>(s, p.g_oparent, occupied);
      const Bool<D> wt = p.g_waiter == D::num(NOPROC) || slot_where<D>(s, p.g_waiter, occupied);
      return op && wt && p.g_oparent != i &&
             (p.g_oparent == D::num(NOPROC) || (p.P_TRACED && p.p_state != D::num(PRS_FREE)));
    });
  }
};

// A zombie is not stopped and has no trace-stop continuation. (It may be
// traced: a PT_ATTACH inside exit1's window, docs/environment.md.)
struct INV_ZOMBIE_QUIET {
  static constexpr std::string_view id = "INV_ZOMBIE_QUIET";
  static constexpr std::string_view statement = "a zombie is not stopped and holds no trace-stop continuation";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) {
      return p.p_state != D::num(PRS_ZOMBIE) || (!P_SHOULDSTOP<D>(p) && p.td_sig == D::num(0));
    });
  }
};

// Kernel processes are P_SYSTEM.
struct INV_KTHREAD_SYSTEM {
  static constexpr std::string_view id = "INV_KTHREAD_SYSTEM";
  static constexpr std::string_view statement = "a P_KTHREAD process is P_SYSTEM";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) { return !p.P_KTHREAD || p.P_SYSTEM; });
  }
};

// A traced, stopped process marked waited-for was waited for by its tracer.
struct INV_WAITED_BY_TRACER {
  static constexpr std::string_view id = "INV_WAITED_BY_TRACER";
  static constexpr std::string_view statement =
      "a traced, stopped process with P_WAITED was reported to its current parent (its tracer)";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    return all_slots<D>(s, [](Int<D>, const Proc<D>& p) {
      return !(p.p_state == D::num(PRS_NORMAL) && p.P_TRACED && P_SHOULDSTOP<D>(p) && p.P_WAITED) ||
             p.g_waiter == p.p_pptr;
    });
  }
};

inline constexpr auto kInvariants =
    hana::tuple_t<INV_PROC0_INIT, INV_TABLE, INV_PIDS_DISTINCT, INV_FREE_EMPTY, INV_EXITING_RUNS, INV_GHOSTS, INV_ZOMBIE_QUIET,
                  INV_KTHREAD_SYSTEM, INV_WAITED_BY_TRACER>;

// The conjunction of the auxiliary invariants.
template <class D, int N>
constexpr Bool<D> invariants_hold(const State<D, N>& s) {
  Bool<D> all = D::lit(true);
  hana::for_each(kInvariants, [&](auto t) { all = all && decltype(t)::type::template holds<D, N>(s); });
  return all;
}

}  // namespace ptm
