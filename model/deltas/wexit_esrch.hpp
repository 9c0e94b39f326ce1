// Delta wexit_esrch: a target that has begun exiting (P_WEXIT) is not found.
//
// The patch: right after the pfind() (seed 418-427) and before p_cansee()
// (seed 428), kern_ptrace tests P_WEXIT and fails with ESRCH (check
// WEXIT_ESRCH). In the seed an exiting process passes every check and PT_ATTACH
// succeeds on it (scenarios/findings/attach_exiting.scn).
//
// FreeBSD: present in FreeBSD 9.3's sys_process.c (the test sits between
// AUDIT_ARG_PROCESS and p_cansee) and in current FreeBSD, not in the seed.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::wexit_esrch {

inline constexpr DeltaInfo info{D_WEXIT_ESRCH, "wexit_esrch",
                                "a target with P_WEXIT gives ESRCH before the visibility check",
                                "in FreeBSD 9.3 and current FreeBSD (sys_process.c, before p_cansee)"};

template <class D>
constexpr Bool<D> exiting(const Proc<D>& p) {
  return p.P_WEXIT;
}

}  // namespace ptm::deltas::wexit_esrch
