#include "diff/diff.hpp"

#include <stdexcept>
#include <string>

namespace ptm::diff {

Report run_2(SemanticsMask, SemanticsMask, const Options&);
Report run_3(SemanticsMask, SemanticsMask, const Options&);
Report run_4(SemanticsMask, SemanticsMask, const Options&);
Report run_5(SemanticsMask, SemanticsMask, const Options&);

Report run(SemanticsMask a, SemanticsMask b, const Options& opt) {
  switch (opt.procs) {
    case 2: return run_2(a, b, opt);
    case 3: return run_3(a, b, opt);
    case 4: return run_4(a, b, opt);
    case 5: return run_5(a, b, opt);
    default: throw std::invalid_argument("--procs " + std::to_string(opt.procs) + ": expected 2..5");
  }
}

}  // namespace ptm::diff
