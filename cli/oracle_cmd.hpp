#pragma once
#include <string>

#include "oracle/oracle.hpp"

namespace ptm::cli {
// Runs `ptmodel oracle`; returns the exit status (0; 2 for bad input or a case that does not replay).
int oracle_command(const oracle::Options& opt, const std::string& semantics, const std::string& format,
                   const std::string& outdir, bool json);
}  // namespace ptm::cli
