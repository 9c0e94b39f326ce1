// What every delta file declares about itself.
#pragma once

#include <string_view>

#include "model/proc.hpp"
#include "model/semantics.hpp"

namespace ptm {

struct DeltaInfo {
  int id;                    // DeltaId
  std::string_view name;     // as `--semantics seed+<name>` spells it
  std::string_view summary;  // one line
  std::string_view history;  // where FreeBSD has it (see the file's comment)
};

}  // namespace ptm
