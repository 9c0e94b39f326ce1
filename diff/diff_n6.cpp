// The diff for tables of 6 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Stages stages_6() { return stages_n<6>(); }
}  // namespace ptm::diff
