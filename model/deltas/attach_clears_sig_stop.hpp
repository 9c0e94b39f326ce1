// Delta attach_clears_sig_stop: PT_ATTACH to a process already stopped by a
// stop signal clears that stop and then sends SIGSTOP, so the attach produces a
// trace stop the tracer can wait for.
//
// The patch: in `case PT_ATTACH` (seed 532-546) the seed goes to sendsig with
// SIGSTOP, which for a stopped process only resumes it with p_xstat = SIGSTOP:
// no signal is posted and the attach-stop is lost
// (scenarios/findings/attach_job_stopped.scn). With the delta, a
// process with P_STOPPED_SIG first loses P_STOPPED_SIG and P_WAITED and its
// thread is unsuspended; then SIGSTOP is posted (psignal), which the now
// traced process turns into a trace stop.
//
// FreeBSD: FreeBSD 9.3 still does `data = SIGSTOP; goto sendsig`. Current
// FreeBSD clears the stop ("If already stopped due to a stop signal, clear the
// existing stop before triggering a traced SIGSTOP") and calls
// kern_psignal(p, SIGSTOP). The revision was not found in the sources available.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::attach_clears_sig_stop {

inline constexpr DeltaInfo info{D_ATTACH_CLEARS_SIG_STOP, "attach_clears_sig_stop",
                                "PT_ATTACH to a job-stopped process clears that stop and sends SIGSTOP",
                                "not in FreeBSD 9.3; in current FreeBSD (case PT_ATTACH)"};

// p_flag &= ~(P_STOPPED_SIG | P_WAITED) for a process stopped by a signal; thread_unsuspend(p).
template <class D>
constexpr Proc<D> clear_sig_stop(Proc<D> p) {
  p.P_WAITED = D::ite(p.P_STOPPED_SIG, D::lit(false), p.P_WAITED);
  p.P_STOPPED_SIG = D::lit(false);
  return p;
}

}  // namespace ptm::deltas::attach_clears_sig_stop
