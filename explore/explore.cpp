#include <stdexcept>
#include <string>

#include "explore/explorer.hpp"

namespace ptm::explore {

Result explore_n2(const Options&);
Result explore_n3(const Options&);
Result explore_n4(const Options&);
Result explore_n5(const Options&);

Result explore(int procs, const Options& opt) {
  switch (procs) {
    case 2: return explore_n2(opt);
    case 3: return explore_n3(opt);
    case 4: return explore_n4(opt);
    case 5: return explore_n5(opt);
    default: throw std::invalid_argument("--procs " + std::to_string(procs) + ": expected 2..5");
  }
}

}  // namespace ptm::explore
