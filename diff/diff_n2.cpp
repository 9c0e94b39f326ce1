// The diff for tables of 2 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Report run_2(SemanticsMask a, SemanticsMask b, const Options& opt) { return run_n<2>(a, b, opt); }
}  // namespace ptm::diff
