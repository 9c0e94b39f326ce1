#include "explore/explorer.hpp"

namespace ptm::explore {
Result explore_n3(const Options& opt) { return Explorer<3>(opt).run(); }
}  // namespace ptm::explore
