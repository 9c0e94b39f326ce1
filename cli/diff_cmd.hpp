#pragma once

#include <string>

#include "diff/diff.hpp"

namespace ptm::cli {

// `ptmodel diff A B`. Exit 0: no difference; 1: differences; 3: Z3 gave up on
// some operation (the list may be incomplete); 2: bad input.
int diff_command(const std::string& a, const std::string& b, const diff::Options& opt, bool json,
                 const std::string& outdir);

}  // namespace ptm::cli
