// Auxiliary invariants: facts about every reachable state that the proofs of
// the properties need as hypotheses (an induction step assumes them of the
// pre-state). Each is proved inductive itself (proofs/), and checked on every
// state the property tests reach (props/).
#pragma once

#include <string_view>

#include "model/properties.hpp"

namespace ptm {

template <class D, int N>
constexpr Bool<D> is_free(const State<D, N>& s, int i) {
  return s.procs[i].p_state == D::num(PRS_FREE);
}

// proc0 and init sit in their slots, as boot left them.
struct INV_PROC0_INIT {
  static constexpr std::string_view id = "INV_PROC0_INIT";
  static constexpr std::string_view statement =
      "slot 0 is proc0 (pid 0, no parent, P_SYSTEM, untraced) and slot 1 is init (pid 1, child of proc0, "
      "P_SYSTEM, untraced, not exiting)";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    const auto& p0 = s.procs[SLOT_PROC0];
    const auto& in = s.procs[SLOT_INIT];
    return p0.p_state == D::num(PRS_NORMAL) && p0.p_pid == D::num(0) && p0.p_pptr == D::num(NOPROC) && p0.P_SYSTEM &&
           !p0.P_TRACED && !p0.P_WEXIT && !p0.P_INEXEC && !P_SHOULDSTOP<D>(p0) && in.p_state == D::num(PRS_NORMAL) &&
           in.p_pid == D::num(1) && in.p_pptr == D::num(SLOT_PROC0) && in.P_SYSTEM && !in.P_TRACED && !in.P_WEXIT;
  }
};

// Every other process has a pid of the model's range and a parent in the
// table (not itself, not a free slot); pids are unique.
struct INV_TABLE {
  static constexpr std::string_view id = "INV_TABLE";
  static constexpr std::string_view statement =
      "other processes have pids in 2..pid_max-1, all pids distinct, a live parent other than themselves, "
      "and a p_oppid that is not their own pid; lastpid is in range";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = s.lastpid >= D::num(1) && s.lastpid < D::num(pid_max<N>);
    for (int i = 2; i < N; ++i) {
      const auto& p = s.procs[i];
      Bool<D> parent_ok = D::lit(false);
      for (int j = 0; j < N; ++j)
        parent_ok = parent_ok || (p.p_pptr == D::num(j) && D::lit(j != i) && s.procs[j].p_state == D::num(PRS_NORMAL));
      Bool<D> ok = (p.p_state == D::num(PRS_NORMAL) || p.p_state == D::num(PRS_ZOMBIE)) && p.p_pid >= D::num(2) &&
                   p.p_pid < D::num(pid_max<N>) && parent_ok && p.p_oppid != p.p_pid;
      all = all && (is_free<D, N>(s, i) || ok);
      for (int j = 0; j < i; ++j)
        all = all && (is_free<D, N>(s, i) || is_free<D, N>(s, j) || s.procs[j].p_pid != p.p_pid);
    }
    return all;
  }
};

// A free slot holds nothing (what reap() leaves).
struct INV_FREE_EMPTY {
  static constexpr std::string_view id = "INV_FREE_EMPTY";
  static constexpr std::string_view statement = "a free slot's process is traced, stopped, exiting, in execve, or system in no way";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 2; i < N; ++i) {
      const auto& p = s.procs[i];
      all = all && (!is_free<D, N>(s, i) || (!p.P_TRACED && !p.P_SYSTEM && !p.P_KTHREAD && !P_SHOULDSTOP<D>(p) &&
                                             !p.P_WEXIT && !p.P_INEXEC && p.td_sig == D::num(0)));
    }
    return all;
  }
};

// A process inside exit1() is running it: it never stops and holds no trace-stop continuation.
struct INV_EXITING_RUNS {
  static constexpr std::string_view id = "INV_EXITING_RUNS";
  static constexpr std::string_view statement = "a live process with P_WEXIT is not stopped and not inside issignal()";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) {
      const auto& p = s.procs[i];
      all = all && (!(p.p_state == D::num(PRS_NORMAL) && p.P_WEXIT) || (!P_SHOULDSTOP<D>(p) && p.td_sig == D::num(0)));
    }
    return all;
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
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) {
      const auto& p = s.procs[i];
      Bool<D> op = p.g_oparent == D::num(NOPROC), wt = p.g_waiter == D::num(NOPROC);
      for (int j = 0; j < N; ++j) {
        op = op || (p.g_oparent == D::num(j) && !is_free<D, N>(s, j));
        wt = wt || (p.g_waiter == D::num(j) && !is_free<D, N>(s, j));
      }
      all = all && op && wt && p.g_oparent != D::num(i) &&
            (p.g_oparent == D::num(NOPROC) || (p.P_TRACED && p.p_state != D::num(PRS_FREE)));
    }
    return all;
  }
};

// A zombie is not stopped and has no trace-stop continuation. (It may be
// traced: a PT_ATTACH inside exit1's window, docs/environment.md.)
struct INV_ZOMBIE_QUIET {
  static constexpr std::string_view id = "INV_ZOMBIE_QUIET";
  static constexpr std::string_view statement = "a zombie is not stopped and holds no trace-stop continuation";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) {
      const auto& p = s.procs[i];
      all = all && (p.p_state != D::num(PRS_ZOMBIE) || (!P_SHOULDSTOP<D>(p) && p.td_sig == D::num(0)));
    }
    return all;
  }
};

// Kernel processes are P_SYSTEM.
struct INV_KTHREAD_SYSTEM {
  static constexpr std::string_view id = "INV_KTHREAD_SYSTEM";
  static constexpr std::string_view statement = "a P_KTHREAD process is P_SYSTEM";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) all = all && (!s.procs[i].P_KTHREAD || s.procs[i].P_SYSTEM);
    return all;
  }
};

// A traced, stopped process marked waited-for was waited for by its tracer.
struct INV_WAITED_BY_TRACER {
  static constexpr std::string_view id = "INV_WAITED_BY_TRACER";
  static constexpr std::string_view statement =
      "a traced, stopped process with P_WAITED was reported to its current parent (its tracer)";
  template <class D, int N>
  static constexpr Bool<D> holds(const State<D, N>& s) {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) {
      const auto& p = s.procs[i];
      all = all && (!(p.p_state == D::num(PRS_NORMAL) && p.P_TRACED && P_SHOULDSTOP<D>(p) && p.P_WAITED) ||
                    p.g_waiter == p.p_pptr);
    }
    return all;
  }
};

inline constexpr auto kInvariants =
    hana::tuple_t<INV_PROC0_INIT, INV_TABLE, INV_FREE_EMPTY, INV_EXITING_RUNS, INV_GHOSTS, INV_ZOMBIE_QUIET,
                  INV_KTHREAD_SYSTEM, INV_WAITED_BY_TRACER>;

// The conjunction of the auxiliary invariants.
template <class D, int N>
constexpr Bool<D> invariants_hold(const State<D, N>& s) {
  Bool<D> all = D::lit(true);
  hana::for_each(kInvariants, [&](auto t) { all = all && decltype(t)::type::template holds<D, N>(s); });
  return all;
}

}  // namespace ptm
