// Delta getppid_real_parent: getppid() of a traced process returns its real
// parent's pid, not its tracer's.
//
// The patch: the seed's getppid returns p->p_pptr->p_pid, and PT_ATTACH makes
// the tracer p_pptr, so a process traced by a debugger other than its parent
// sees the debugger (FreeBSD's ptrace__getppid expects the parent:
// scenarios/freebsd/, cause R3). With the delta a traced process gets the
// parent it would go back to, as proc_realparent() finds it: the parent
// linked at PT_ATTACH while that one lives, else init (the same link as delta
// detach_real_parent, model/deltas/detach_real_parent.hpp).
//
// FreeBSD: up to 10.4 getppid returns the current parent; head by 2016 has
// kern_getppid() asking proc_realparent() for a traced process, and since
// about 2018 (12.x) getppid returns p_oppid, kept from fork as the real
// parent's pid (docs/history-wait-getppid.md; commits not identified).
#pragma once

#include "model/deltas/delta.hpp"
#include "model/deltas/detach_real_parent.hpp"

namespace ptm::deltas::getppid_real_parent {

inline constexpr DeltaInfo info{D_GETPPID_REAL_PARENT, "getppid_real_parent",
                                "getppid() of a traced process returns its real parent's pid, not its tracer's",
                                "not in 10.4; head by 2016 (proc_realparent), current (p_oppid)"};

// The slot whose pid getppid() returns.
template <class D, int N>
constexpr Int<D> parent(const State<D, N>& s, const Proc<D>& p) {
  return D::ite(p.P_TRACED, detach_real_parent::real_parent<D>(s, p), p.p_pptr);
}

}  // namespace ptm::deltas::getppid_real_parent
