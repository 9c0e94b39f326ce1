#pragma once
#include <string>
#include <vector>

namespace ptm::cli {
// `ptmodel audit`: returns the exit status.
int audit_command(int procs, int depth, const std::vector<std::string>& checks, bool json);
}  // namespace ptm::cli
