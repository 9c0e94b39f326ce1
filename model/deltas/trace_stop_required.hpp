// Delta trace_stop_required: the requests that need a stopped target want a
// trace stop; a job-control stop is not enough.
//
// The patch, in two parts that only make sense together:
// 1. the "not currently stopped" test (seed 504-508) becomes
//      (p_flag & P_STOPPED_TRACE) == 0 || (p_flag & P_WAITED) == 0  -> EBUSY
//    (check NOT_TRACE_STOPPED replaces NOT_STOPPED);
// 2. the trace stop in issignal() sets P_STOPPED_TRACE instead of P_STOPPED_SIG,
//    as the ptracestop() of later kernels does. In the seed's kernel nothing
//    sets P_STOPPED_TRACE (kernel-context.md: both kinds of stop set
//    P_STOPPED_SIG), so part 1 alone would refuse every request forever.
// In this model a traced process never takes a job-control stop (a stop signal
// of a traced process goes to its tracer, and PT_ATTACH ends a job-control
// stop), so from reachable states no outcome changes: only the flag a trace
// stop sets (scenarios/deltas/trace_stop_required.scn, docs/semantics-changes.md).
//
// FreeBSD: FreeBSD 9.3 still accepts either stop bit (and prints
// "P_STOPPED_TRACE not set." once when only P_STOPPED_SIG is set); current
// FreeBSD tests P_STOPPED_TRACE alone. The revision of the change was not found
// in the sources available to this project.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::trace_stop_required {

inline constexpr DeltaInfo info{D_TRACE_STOP_REQUIRED, "trace_stop_required",
                                "the stop test requires P_STOPPED_TRACE: a job-control stop is not enough",
                                "not in FreeBSD 9.3 (it warns instead); in current FreeBSD"};

template <class D>
constexpr Bool<D> not_trace_stopped(const Proc<D>& p) {
  return !p.P_STOPPED_TRACE || !p.P_WAITED;
}

// The stop() of a trace stop: P_STOPPED_TRACE where the seed's kernel sets P_STOPPED_SIG.
template <class D>
constexpr Proc<D> as_trace_stop(Proc<D> p) {
  p.P_STOPPED_SIG = D::lit(false);
  p.P_STOPPED_TRACE = D::lit(true);
  return p;
}

}  // namespace ptm::deltas::trace_stop_required
