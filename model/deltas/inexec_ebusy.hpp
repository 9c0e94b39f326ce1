// Delta inexec_ebusy: p_candebug() refuses a process in the middle of execve()
// with EBUSY instead of the seed's EAGAIN.
//
// The patch: the last test of p_candebug (P_INEXEC) returns EBUSY (check
// CANDEBUG_INEXEC_EBUSY replaces CANDEBUG_INEXEC). Only the errno changes.
//
// FreeBSD: current FreeBSD's p_candebug (kern_prot.c) returns EBUSY, with the
// note that this is a correctness decision, not a security one; so does the
// p_candebug of the priv(9) era (priv_check(td, PRIV_DEBUG_UNPRIV) first). The
// revision that changed EAGAIN to EBUSY was not found in the sources available.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::inexec_ebusy {

inline constexpr DeltaInfo info{D_INEXEC_EBUSY, "inexec_ebusy", "p_candebug: P_INEXEC gives EBUSY instead of EAGAIN",
                                "current FreeBSD and the priv(9)-era kern_prot.c"};

}  // namespace ptm::deltas::inexec_ebusy
