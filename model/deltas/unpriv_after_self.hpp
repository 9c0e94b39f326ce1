// Delta unpriv_after_self: p_candebug() exempts a process debugging itself
// before it tests security.bsd.unprivileged_proc_debug.
//
// The patch: the seed's p_candebug tests unprivileged_proc_debug first, so with
// the sysctl at 0 an unprivileged PT_TRACE_ME fails with EPERM (the process
// "debugs" itself). With the delta the `p == curproc` exemption comes first; the
// sysctl test (check CANDEBUG_UNPRIV_NOT_SELF replaces CANDEBUG_UNPRIV) applies
// only to another process.
//
// FreeBSD: the priv(9)-era p_candebug still calls priv_check(td,
// PRIV_DEBUG_UNPRIV) before `if (td->td_proc == p) return (0)`; current FreeBSD
// has the exemption first. The revision was not found in the sources available.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::unpriv_after_self {

inline constexpr DeltaInfo info{D_UNPRIV_AFTER_SELF, "unpriv_after_self",
                                "p_candebug: unprivileged_proc_debug is tested after the self exemption",
                                "not in the priv(9)-era kern_prot.c; in current FreeBSD"};

}  // namespace ptm::deltas::unpriv_after_self
