// The diff for tables of 3 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Report run_3(SemanticsMask a, SemanticsMask b, const Options& opt) { return run_n<3>(a, b, opt); }
}  // namespace ptm::diff
