#include "explore/explorer.hpp"

namespace ptm::explore {
Result explore_n4(const Options& opt) { return Explorer<4>(opt).run(); }
}  // namespace ptm::explore
