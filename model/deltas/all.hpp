// The shipped deltas, the composite `modern`, and semantics names:
//   seed                the seed as it is
//   seed+a+b            the seed with deltas a and b
//   modern              the seed with every delta (modern+... and seed+modern too)
// The shipped deltas touch disjoint checks and effects, so their order in a
// name does not matter; a name lists each delta at most once.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// The mask a semantics name stands for, or an error message.
struct ParsedSemantics {
  std::optional<SemanticsMask> mask;
  std::string error;
};
inline ParsedSemantics parse_semantics(const std::string& name) {
  auto known = [] {
    std::string k = "seed, modern, seed+DELTA... with DELTA one of";
    for (const auto& d : kDeltas) k += " " + std::string(d.name);
    return k;
  };
  ParsedSemantics r;
  SemanticsMask m = 0;
  std::size_t pos = 0;
  bool first = true;
  while (true) {
    std::size_t plus = name.find('+', pos);
    std::string part = name.substr(pos, plus == std::string::npos ? std::string::npos : plus - pos);
    if (first && part == "seed") {
      // the base: nothing to add
    } else if (part == "modern") {
      m |= kModern;
    } else {
      int found = -1;
      for (const auto& d : kDeltas)
        if (!first && d.name == part) found = d.id;
      if (found < 0 || (m >> found) & 1u) {
        r.error = found < 0 ? "unknown semantics `" + name + "` (known: " + known() + ")"
                            : "semantics `" + name + "` names delta `" + part + "` twice";
        return r;
      }
      m |= SemanticsMask{1} << found;
    }
    first = false;
    if (plus == std::string::npos) break;
    pos = plus + 1;
  }
  r.mask = m;
  return r;
}

// The canonical name of a mask: seed, modern, or seed+... in table order.
inline std::string semantics_name(SemanticsMask m) {
  if (m == 0) return "seed";
  if (m == kModern) return "modern";
  std::string s = "seed";
  for (const auto& d : kDeltas)
    if ((m >> d.id) & 1u) s += "+" + std::string(d.name);
  return s;
}

}  // namespace ptm
