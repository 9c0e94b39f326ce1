// The shipped deltas and the composite `modern` (every delta). The names of
// semantics, run-time edits included, are parsed in model/semantics_names.hpp.
// The shipped deltas touch disjoint checks and effects, so their order in a
// name does not matter; a name lists each delta at most once.
#pragma once

#include "model/deltas/attach_clears_sig_stop.hpp"
#include "model/deltas/detach_real_parent.hpp"
#include "model/deltas/inexec_ebusy.hpp"
#include "model/deltas/resume_signal_range.hpp"
#include "model/deltas/trace_me_refusals.hpp"
#include "model/deltas/trace_stop_required.hpp"
#include "model/deltas/unpriv_after_self.hpp"
#include "model/deltas/wexit_esrch.hpp"

namespace ptm {

inline constexpr DeltaInfo kDeltas[D_COUNT] = {
    deltas::trace_me_refusals::info, deltas::wexit_esrch::info,       deltas::trace_stop_required::info,
    deltas::detach_real_parent::info, deltas::attach_clears_sig_stop::info, deltas::resume_signal_range::info,
    deltas::inexec_ebusy::info,       deltas::unpriv_after_self::info,
};

consteval bool delta_table_is_indexed() {
  for (int i = 0; i < D_COUNT; ++i)
    if (kDeltas[i].id != i) return false;
  return true;
}
static_assert(delta_table_is_indexed(), "kDeltas[i].id must be i");

inline constexpr SemanticsMask kModern = (SemanticsMask{1} << D_COUNT) - 1;

}  // namespace ptm
