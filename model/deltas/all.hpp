// The shipped deltas and the composite `modern` (those of today's FreeBSD). The names of
// semantics, run-time edits included, are parsed in model/semantics_names.hpp.
// The shipped deltas touch disjoint checks and effects, so their order in a
// name does not matter; a name lists each delta at most once.
#pragma once

#include <array>

#include "model/deltas/attach_ancestor_any.hpp"
#include "model/deltas/attach_clears_sig_stop.hpp"
#include "model/deltas/detach_real_parent.hpp"
#include "model/deltas/getppid_real_parent.hpp"
#include "model/deltas/inexec_ebusy.hpp"
#include "model/deltas/reap_not_to_self.hpp"
#include "model/deltas/resume_signal_range.hpp"
#include "model/deltas/trace_me_refusals.hpp"
#include "model/deltas/trace_stop_required.hpp"
#include "model/deltas/unpriv_after_self.hpp"
#include "model/deltas/wexit_esrch.hpp"

namespace ptm {

inline constexpr DeltaInfo kDeltas[D_COUNT] = {
    deltas::trace_me_refusals::info, deltas::wexit_esrch::info,       deltas::trace_stop_required::info,
    deltas::detach_real_parent::info, deltas::attach_clears_sig_stop::info, deltas::resume_signal_range::info,
    deltas::inexec_ebusy::info,       deltas::unpriv_after_self::info,     deltas::attach_ancestor_any::info,
    deltas::reap_not_to_self::info,   deltas::getppid_real_parent::info,
};

consteval bool delta_table_is_indexed() {
  for (int i = 0; i < D_COUNT; ++i)
    if (kDeltas[i].id != i) return false;
  return true;
}
static_assert(delta_table_is_indexed(), "kDeltas[i].id must be i");

// `modern`'s membership, explicit: every delta is in exactly one of these two
// lists, so a new delta does not join `modern` by accident (the build fails
// until it is put in one). `modern` is the deltas today's FreeBSD has.
inline constexpr DeltaId kModernDeltas[] = {
    D_TRACE_ME_REFUSALS,   D_WEXIT_ESRCH,         D_TRACE_STOP_REQUIRED, D_DETACH_REAL_PARENT,
    D_ATTACH_CLEARS_SIG_STOP, D_RESUME_SIGNAL_RANGE, D_INEXEC_EBUSY,     D_UNPRIV_AFTER_SELF,
    D_REAP_NOT_TO_SELF,       D_GETPPID_REAL_PARENT,
};
// Deltas kept out of `modern`, with the reason:
inline constexpr std::array<DeltaId, 1> kNotModernDeltas = {
    D_ATTACH_ANCESTOR_ANY,  // a proposed fix (docs/defect-ancestor-cycle.md): no FreeBSD has it
};

consteval SemanticsMask modern_mask() {
  SemanticsMask m = 0;
  for (DeltaId d : kModernDeltas) m |= SemanticsMask{1} << d;
  return m;
}
consteval bool modern_membership_is_explicit() {
  for (int d = 0; d < D_COUNT; ++d) {
    int times = 0;
    for (DeltaId x : kModernDeltas) times += x == d;
    for (DeltaId x : kNotModernDeltas) times += x == d;
    if (times != 1) return false;
  }
  return true;
}
static_assert(modern_membership_is_explicit(),
              "every delta is in exactly one of kModernDeltas and kNotModernDeltas (model/deltas/all.hpp)");
inline constexpr SemanticsMask kModern = modern_mask();

}  // namespace ptm
