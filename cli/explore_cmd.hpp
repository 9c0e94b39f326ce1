#pragma once
#include <string>

#include "explore/explorer.hpp"

namespace ptm::cli {
// Runs `ptmodel explore`; returns the exit status: 0 the whole space explored
// and no property violated, 1 a property violated, 3 a limit was reached
// before the space was exhausted and nothing was violated (inconclusive).
int explore_command(int procs, const explore::Options& opt, const std::string& semantics, bool json,
                    const std::string& outdir);
}  // namespace ptm::cli
