#pragma once
#include <string>

#include "proofs/verify.hpp"

namespace ptm::cli {
// Runs `ptmodel verify`; returns the exit status (0 all proved, 1 a property violated).
int verify_command(const proofs::VerifyOptions& opt, const std::string& semantics, bool json, const std::string& outdir);
}  // namespace ptm::cli
