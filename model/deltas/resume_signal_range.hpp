// Delta resume_signal_range: the signal-number check covers every resuming
// request, PT_STEP included.
//
// The patch: the seed's range test (seed 553-557) skips PT_STEP ("XXX data is
// used even in the PT_STEP case."), so PT_STEP resumes a stopped process with
// any p_xstat, which issignal() later uses as a signal number
// (scenarios/findings/step_unchecked_signal.scn). With the delta the test
// `data < 0 || data > _SIG_MAXSIG` (EINVAL; check RESUME_SIGNAL_RANGE replaces
// SIGNAL_RANGE) runs for PT_STEP, PT_CONTINUE and PT_DETACH alike. For a 32-bit
// int it is the seed's `(unsigned)data > _SIG_MAXSIG`.
//
// FreeBSD: present in FreeBSD 9.3 ("Zero means do not send any signal") and in
// current FreeBSD.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::resume_signal_range {

inline constexpr DeltaInfo info{D_RESUME_SIGNAL_RANGE, "resume_signal_range",
                                "the signal-number check covers every resuming request, PT_STEP included",
                                "in FreeBSD 9.3 and current FreeBSD"};

template <class D>
constexpr Bool<D> bad_signal(Int<D> data) {
  return D::ugt32(data, D::num(_SIG_MAXSIG));  // data < 0 || data > _SIG_MAXSIG
}

}  // namespace ptm::deltas::resume_signal_range
