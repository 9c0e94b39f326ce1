// Delta trace_me_refusals: PT_TRACE_ME refuses a caller that is already traced
// (EBUSY) and a caller whose parent is init (EPERM).
//
// The patch: in kern_ptrace's permission switch, `case PT_TRACE_ME` (seed
// 445-450, "Always legal.") gains two tests before its `break`, in this order:
//   P_TRACED set          -> EBUSY   (check TRACE_ME_TRACED)
//   p_pptr == initproc    -> EPERM   (check TRACE_ME_INIT_PARENT)
// The seed lets a traced process call PT_TRACE_ME again, which overwrites
// p_oppid with its tracer's pid (scenarios/findings/trace_me_when_traced.scn).
//
// FreeBSD: FreeBSD 9.3's sys_process.c still has "Always legal." there; the
// current sys_process.c (freebsd-src main) has both tests, under the comment
// that PT_TRACE_ME is legal "when there is a parent process which could trace
// us". The revision that added them was not found in the sources available to
// this project (docs/semantics-changes.md).
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::trace_me_refusals {

inline constexpr DeltaInfo info{D_TRACE_ME_REFUSALS, "trace_me_refusals",
                                "PT_TRACE_ME: EBUSY when already traced, EPERM when the parent is init",
                                "not in FreeBSD 9.3; in current FreeBSD (sys_process.c, case PT_TRACE_ME)"};

template <class D>
constexpr Bool<D> already_traced(const Proc<D>& p) {
  return p.P_TRACED;
}
template <class D>
constexpr Bool<D> parent_is_init(const Proc<D>& p) {
  return p.p_pptr == D::num(SLOT_INIT);
}

}  // namespace ptm::deltas::trace_me_refusals
