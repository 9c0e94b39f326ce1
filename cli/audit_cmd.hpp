#pragma once
#include <string>
#include <vector>

namespace ptm::cli {
// `ptmodel audit`: returns the exit status.
int audit_command(int procs, int depth, const std::vector<std::string>& checks, bool json, unsigned timeout_ms = 10'000);
}  // namespace ptm::cli
