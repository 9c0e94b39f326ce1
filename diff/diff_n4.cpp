// The diff for tables of 4 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Stages stages_4() { return stages_n<4>(); }
}  // namespace ptm::diff
