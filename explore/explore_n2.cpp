#include "explore/explorer.hpp"

namespace ptm::explore {
Result explore_n2(const Options& opt) { return Explorer<2>(opt).run(); }
}  // namespace ptm::explore
