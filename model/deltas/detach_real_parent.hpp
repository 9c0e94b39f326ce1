// Delta detach_real_parent: PT_DETACH gives the process back to the parent it
// had before PT_ATTACH, found through a link kept from the attach (no pid
// lookup), or to init when that parent has exited.
//
// The patch: "reset process parent" (seed 583-592) compares and looks up by pid:
// when the original parent has exited and its pid was issued again, the
// detached process goes to the new owner of the pid
// (scenarios/findings/detach_to_pid_reuser.scn). With the delta the real parent
// is the one linked at PT_ATTACH (p_oppid still holds its pid); when that
// process has exited (it is a zombie or gone) the real parent is init.
//
// The link is the model's g_oparent (model/proc.hpp), which the seed never
// reads; this delta reads it, standing for the kernel's orphan list. The impl
// keeps its own link (impl: p_orphan_of), set at PT_ATTACH and moved to init
// when the old parent exits.
//
// FreeBSD: FreeBSD 9.3 still uses pfind(p->p_oppid). Current FreeBSD keeps the
// traced process on its real parent's orphan list (p_orphans, P_TREE_ORPHANED)
// and detaches to proc_realparent(p); exit1() moves the orphans of an exiting
// parent to the reaper. The revision was not found in the sources available.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::detach_real_parent {

inline constexpr DeltaInfo info{D_DETACH_REAL_PARENT, "detach_real_parent",
                                "PT_DETACH returns the process to its real parent, linked without a pid, or to init",
                                "not in FreeBSD 9.3 (pfind(p_oppid)); current FreeBSD: proc_realparent()"};

// The slot the process goes back to.
template <class D, int N>
constexpr Int<D> real_parent(const State<D, N>& s, const Proc<D>& p) {
  const Bool<D> alive =
      read_slot<D>(s, p.g_oparent, [](const Proc<D>& q) { return q.p_state == D::num(PRS_NORMAL); }, D::lit(false));
  return D::ite(alive, p.g_oparent, D::num(SLOT_INIT));
}

}  // namespace ptm::deltas::detach_real_parent
