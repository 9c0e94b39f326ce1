// The diff for tables of 3 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Stages stages_3() { return stages_n<3>(); }
}  // namespace ptm::diff
