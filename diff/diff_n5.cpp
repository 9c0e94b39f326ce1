// The diff for tables of 5 processes (the symbolic rules are large to compile).
#include "diff/diff_impl.hpp"

namespace ptm::diff {
Report run_5(SemanticsMask a, SemanticsMask b, const Options& opt) { return run_n<5>(a, b, opt); }
}  // namespace ptm::diff
