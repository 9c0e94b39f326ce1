// Process-table primitives the rules are written with: pfind(), proc_reparent(),
// field access at a domain index, and the predicates of <sys/proc.h>.
#pragma once

#include "model/table.hpp"

namespace ptm {

// The process at a domain index: a reference in the concrete domain, a value
// (an ite over the table) in a symbolic one.
template <class D, int N>
constexpr decltype(auto) proc_at(const State<D, N>& s, Int<D> slot) {
  return D::at(s.procs, slot);
}
template <class D, int N>
constexpr State<D, N> with_proc(State<D, N> s, Int<D> slot, const Proc<D>& p) {
  s.procs = D::put(s.procs, slot, p);
  return s;
}
// Read a field of the process at `slot`, or `dflt` when slot is NOPROC.
template <class D, int N, class F, class T>
constexpr T field_or(const State<D, N>& s, Int<D> slot, F field, T dflt) {
  return D::branch(
      slot == D::num(NOPROC), [&]() -> T { return dflt; }, [&]() -> T { return field(proc_at<D>(s, slot)); });
}

// P_SHOULDSTOP(p): any P_STOPPED_* bit (P_STOPPED_SINGLE is not modelled: one thread).
template <class D>
constexpr Bool<D> P_SHOULDSTOP(const Proc<D>& p) {
  return p.P_STOPPED_SIG || p.P_STOPPED_TRACE;
}

// pfind(pid): a process on allproc with that pid. Zombies are on zombproc and
// are never found; an exiting (P_WEXIT) process still is (kernel-context.md §2).
template <class D, int N>
constexpr Int<D> pfind(const State<D, N>& s, Int<D> pid) {
  return first_slot<D>(s, [&](Int<D>, const Proc<D>& p) { return p.p_state == D::num(PRS_NORMAL) && p.p_pid == pid; });
}

// proc_reparent(child, parent): a no-op if parent is already the parent;
// otherwise the child moves to the head of the new parent's children list.
// p_oppid is not touched.
template <class D, int N>
constexpr State<D, N> proc_reparent(State<D, N> s, Int<D> child, Int<D> parent) {
  auto c = proc_at<D>(s, child);
  auto moved = c;
  moved.p_pptr = parent;
  moved.p_listpos = s.listclock + D::num(1);
  auto same = c.p_pptr == parent;
  s.listclock = D::ite(same, s.listclock, s.listclock + D::num(1));
  return with_proc<D>(s, child, ite_value<D>(same, c, moved));
}

// The pid of the process at `slot` (0 for NOPROC, which the seed never reads).
template <class D, int N>
constexpr Int<D> pid_of(const State<D, N>& s, Int<D> slot) {
  return field_or<D>(s, slot, [](const Proc<D>& p) { return p.p_pid; }, D::num(0));
}

// A process that can take signals now: what a thread resumed from a trace
// stop does first (it is inside issignal()). Not proc0, not a kernel process,
// not stopped, not inside exit1() or execve(), in memory.
template <class D>
constexpr Bool<D> can_take_signals(Int<D> slot, const Proc<D>& p) {
  return slot != D::num(SLOT_PROC0) && p.p_state == D::num(PRS_NORMAL) && !p.P_KTHREAD && !P_SHOULDSTOP<D>(p) &&
         !p.P_WEXIT && !p.P_INEXEC && p.PS_INMEM;
}

// A process that can make a system call now. A thread resumed from a trace
// stop is still inside issignal() (td_sig != 0): it returns to user mode, and
// can make calls, only after `takesig` has finished that pass. A swapped-out
// process runs only once the swapper has brought it back (PS_INMEM).
template <class D, int N>
constexpr Bool<D> can_run(const State<D, N>& s, Int<D> slot) {
  return read_slot<D>(s, slot, [&](const Proc<D>& p) { return can_take_signals<D>(slot, p) && p.td_sig == D::num(0); },
                      D::lit(false));
}

// The seed's ancestor walk (seed 464-471):
//   for (pp = curp->p_pptr; pp != NULL; pp = pp->p_pptr) if (pp == p) ...
template <class D, int N>
constexpr AncestorWalk<D> ancestor_walk(const State<D, N>& s, Int<D> start, Int<D> p) {
  return parent_walk<D>(s, start, p);
}

}  // namespace ptm
