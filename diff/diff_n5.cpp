// The diff for tables of 5 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Stages stages_5() { return stages_n<5>(); }
}  // namespace ptm::diff
