// Delta attach_ancestor_any: PT_ATTACH refuses any ancestor of the caller,
// traced or not (the one-line fix of the walk's guard; in no FreeBSD, and not
// enough: see below).
//
// The seed walks the caller's p_pptr chain for the target only when the
// caller is traced ("Can't trace an ancestor if you're being traced.", seed
// 463-471), so an untraced child may attach its own parent: proc_reparent
// then makes the two each other's p_pptr, and the next walk through that
// cycle never ends, with proctree_lock held (TREE_ACYCLIC, WALKS_TERMINATE;
// docs/defect-ancestor-cycle.md). With the delta the walk runs for every
// caller (checks ATTACH_ANCESTOR_ANY and ATTACH_ANCESTOR_ANY_LOOP replace
// the seed's two), so no PT_ATTACH makes a target its caller's child while
// it is on the caller's p_pptr chain.
//
// It is not enough, and the model shows why: a process traced by an
// unrelated debugger has that debugger as its p_pptr, so its walk does not
// pass its real parent, which it may then attach; when the debugger detaches
// it, it goes back to that parent, and the two are each other's parent
// (scenarios/deltas/attach_ancestor_any.scn, second part; under `modern`
// too, whose PT_DETACH returns it to the real parent as today's
// proc_realparent() does). A fix that holds must refuse a target reachable
// from the caller through p_pptr or real-parent links.
//
// init, every process's ancestor, is P_SYSTEM and refused by SYSTEM before
// the walk, so OpenBSD's exemption of init (`tr->ps_pid != 1` in its check
// (7)) does not arise here.
//
// FreeBSD: today's kern_ptrace() keeps the seed's guard (sys_process.c, the
// `curp->p_flag & P_TRACED` test before the walk); OpenBSD's sys_process.c
// refuses a target that is an ancestor of the caller for every caller.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::attach_ancestor_any {

inline constexpr DeltaInfo info{D_ATTACH_ANCESTOR_ANY, "attach_ancestor_any",
                                "PT_ATTACH refuses an ancestor of the caller whether or not the caller is traced",
                                "a proposed fix, in no FreeBSD, shown insufficient; OpenBSD has it (but for init)"};

}  // namespace ptm::deltas::attach_ancestor_any
