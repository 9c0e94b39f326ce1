// The diff for tables of 2 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Stages stages_2() { return stages_n<2>(); }
}  // namespace ptm::diff
