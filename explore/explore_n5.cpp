#include "explore/explorer.hpp"

namespace ptm::explore {
Result explore_n5(const Options& opt) { return Explorer<5>(opt).run(); }
}  // namespace ptm::explore
