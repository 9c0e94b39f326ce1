// Loops over the process table, as table combinators.
//
// A rule that looks at every process (pfind, can_run, the SIGCHLD to a
// parent, the ancestor walk, the invariants and the properties) says so with
// one of these instead of a `for` over 0..N-1. The concrete and the bounded
// symbolic domains unroll them into exactly the loop they replace; a domain
// whose table has no fixed size (D::unbounded_table, proofs/unbounded.hpp)
// turns them into quantified formulas and array lambdas over a table of any
// size n, so that the same rules are proved for every N (docs/proofs.md,
// "For every N").
//
//   read_slot(s, slot, f, dflt)   f(the process at slot), dflt if slot is not a slot of the table
//   all_slots(s, f)               f(slot, p) for every slot          (forall)
//   any_slot(s, f)                f(slot, p) for some slot           (exists)
//   all_slots_of_both(a, b, f)    f(slot, a's p, b's p) for every slot of two tables of one size
//   first_slot(s, f)              the lowest slot with f(slot, p), NOPROC if none
//   last_slot(s, f)               the highest slot with f(slot, p), NOPROC if none
//   best_slot(s, f, key, floor)   the slot with f whose key is largest (above floor; the lowest of equals)
//   count_slots(s, f)             how many slots have f(slot, p)
//   first_in_pid_space(s, f)      the least k in 1..table_pid_max-PID_RESERVED with f(k), 0 if none
//   map_slots(s, f)               the table with every p replaced by f(slot, p)
//   parent_walk(s, start, p)      the p_pptr walk from start looking for p
//   table_pid_max(s)              the model's pid space: pids 0 .. table_pid_max-1
#pragma once

#include "model/state.hpp"

namespace ptm {

template <class D>
using Int = typename D::Int;
template <class D>
using Bool = typename D::Bool;

// Does D's table have a size fixed at compile time (false for proofs/unbounded.hpp)?
template <class D>
inline constexpr bool kUnboundedTable = requires { requires D::unbounded_table; };

template <class D, int N, class F, class T>
constexpr T read_slot(const State<D, N>& s, Int<D> slot, F&& f, T dflt) {
  if constexpr (kUnboundedTable<D>) {
    return D::read_slot(s.procs, slot, f, dflt);
  } else if constexpr (!D::is_symbolic) {
    return slot >= 0 && slot < N ? T(f(s.procs[static_cast<std::size_t>(slot)])) : dflt;
  } else {
    // A constant slot (SLOT_INIT, say) reads its process directly.
    if (auto k = D::as_constant(slot)) return *k >= 0 && *k < N ? T(f(s.procs[static_cast<std::size_t>(*k)])) : dflt;
    T r = dflt;
    for (int i = 0; i < N; ++i) r = ite_value<D>(slot == D::num(i), T(f(s.procs[i])), r);
    return r;
  }
}

template <class D, int N, class F>
constexpr Bool<D> all_slots(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::all_slots(s.procs, f);
  } else {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) all = all && f(D::num(i), s.procs[i]);
    return all;
  }
}

template <class D, int N, class F>
constexpr Bool<D> any_slot(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::any_slot(s.procs, f);
  } else {
    Bool<D> any = D::lit(false);
    for (int i = 0; i < N; ++i) any = any || f(D::num(i), s.procs[i]);
    return any;
  }
}

template <class D, int N, class F>
constexpr Bool<D> all_slots_of_both(const State<D, N>& a, const State<D, N>& b, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::all_slots_of_both(a.procs, b.procs, f);
  } else {
    Bool<D> all = D::lit(true);
    for (int i = 0; i < N; ++i) all = all && f(D::num(i), a.procs[i], b.procs[i]);
    return all;
  }
}

template <class D, int N, class F>
constexpr Int<D> first_slot(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::first_slot(s.procs, f);
  } else {
    Int<D> found = D::num(NOPROC);
    for (int i = N - 1; i >= 0; --i) found = D::ite(f(D::num(i), s.procs[i]), D::num(i), found);
    return found;
  }
}

template <class D, int N, class F>
constexpr Int<D> last_slot(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::last_slot(s.procs, f);
  } else {
    Int<D> found = D::num(NOPROC);
    for (int i = 0; i < N; ++i) found = D::ite(f(D::num(i), s.procs[i]), D::num(i), found);
    return found;
  }
}

template <class D, int N, class F, class K>
constexpr Int<D> best_slot(const State<D, N>& s, F&& f, K&& key, Int<D> floor) {
  if constexpr (kUnboundedTable<D>) {
    return D::best_slot(s.procs, f, key, floor);
  } else {
    Int<D> chosen = D::num(NOPROC), best = floor;
    for (int i = 0; i < N; ++i) {
      const Int<D> k = key(D::num(i), s.procs[i]);
      const Bool<D> better = f(D::num(i), s.procs[i]) && k > best;
      chosen = D::ite(better, D::num(i), chosen);
      best = D::ite(better, k, best);
    }
    return chosen;
  }
}

template <class D, int N, class F>
constexpr Int<D> count_slots(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::count_slots(s.procs, f);
  } else {
    Int<D> n = D::num(0);
    for (int i = 0; i < N; ++i) n = n + D::ite(f(D::num(i), s.procs[i]), D::num(1), D::num(0));
    return n;
  }
}

template <class D, int N, class F>
constexpr Int<D> first_in_pid_space(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::first_in_pid_space(s.procs, f);
  } else {
    Int<D> r = D::num(0);
    for (int k = pid_max<N> - PID_RESERVED; k >= 1; --k) r = D::ite(f(D::num(k)), D::num(k), r);
    return r;
  }
}

template <class D, int N, class F>
constexpr typename State<D, N>::Procs map_slots(const State<D, N>& s, F&& f) {
  if constexpr (kUnboundedTable<D>) {
    return D::map_slots(s.procs, f);
  } else {
    typename State<D, N>::Procs out = s.procs;
    for (int i = 0; i < N; ++i) out[i] = f(D::num(i), s.procs[i]);
    return out;
  }
}

template <class D, int N>
constexpr Bool<D> slot_in_table(const State<D, N>& s, Int<D> slot) {
  if constexpr (kUnboundedTable<D>)
    return slot >= D::num(0) && slot < s.procs.n;
  else
    return slot >= D::num(0) && slot < D::num(N);
}

template <class D, int N>
constexpr Int<D> table_pid_max(const State<D, N>& s) {
  if constexpr (kUnboundedTable<D>)
    return D::pid_max(s.procs);
  else
    return D::num(pid_max<N>);
}

// A walk up p_pptr, as the seed's ancestor loop (seed 464-471) and inferior()
// make it:  for (pp = start; pp != NULL; pp = pp->p_pptr) if (pp == p) ...
// At most N distinct processes can be visited; a walk that has neither reached
// NULL nor p after N+1 steps is in a p_pptr cycle and never terminates.
template <class D>
struct AncestorWalk {
  typename D::Bool found;  // reached p
  typename D::Bool loops;  // never terminates
};
template <class D, int N>
constexpr AncestorWalk<D> parent_walk(const State<D, N>& s, Int<D> start, Int<D> p) {
  if constexpr (kUnboundedTable<D>) {
    return D::parent_walk(s.procs, start, p);
  } else {
    Int<D> pp = start;
    Bool<D> ended = D::lit(false), found = D::lit(false);
    for (int k = 0; k <= N; ++k) {
      ended = ended || pp == D::num(NOPROC);
      found = found || (!ended && pp == p);
      Bool<D> done = ended || found;
      pp = D::branch(done, [&]() { return pp; }, [&]() { return D::at(s.procs, pp).p_pptr; });
    }
    return {found, !ended && !found};
  }
}

// After boot: proc0 (the swapper, pid 0) and init (pid 1), both P_SYSTEM with
// root credentials (kernel-context.md §1: create_init() sets P_SYSTEM on init);
// every other slot free.
template <class D, int N>
constexpr State<D, N> initial_state() {
  static_assert(kUnboundedTable<D> || N >= 2, "the table holds at least proc0 and init");
  State<D, N> s{};
  Proc<D> p0 = empty_proc<D>();
  p0.p_state = D::num(PRS_NORMAL);
  p0.p_pid = D::num(0);
  p0.p_pptr = D::num(NOPROC);
  p0.p_pgid = p0.p_sid = D::num(0);  // pgrp0 and session0 (init_main.c proc0_init)
  p0.P_SYSTEM = D::lit(true);
  p0.PS_INMEM = D::lit(true);
  Proc<D> init = empty_proc<D>();
  init.p_state = D::num(PRS_NORMAL);
  init.p_pid = D::num(1);
  init.p_pptr = D::num(SLOT_PROC0);
  init.p_pgid = init.p_sid = D::num(1);  // init(8) calls setsid() first (docs/environment.md)
  init.P_SYSTEM = D::lit(true);
  init.PS_INMEM = D::lit(true);
  init.p_listpos = D::num(1);
  const Proc<D> empty = empty_proc<D>();
  s.procs = map_slots<D>(s, [&](Int<D> slot, const Proc<D>&) {
    return ite_value<D>(slot == D::num(SLOT_PROC0), p0, ite_value<D>(slot == D::num(SLOT_INIT), init, empty));
  });
  s.securelevel = D::num(-1);
  s.unprivileged_proc_debug = D::num(1);
  s.see_other_uids = D::num(1);
  s.see_other_gids = D::num(1);
  s.suser_enabled = D::num(1);
  s.lastpid = D::num(1);
  s.lastprison = D::num(0);
  s.listclock = D::num(1);
  return s;
}

}  // namespace ptm
