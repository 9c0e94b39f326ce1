#pragma once
#include <string>

#include "proofs/verify.hpp"

namespace ptm::cli {
// Runs `ptmodel verify`; returns the exit status (0 all proved, 1 a property violated).
int verify_command(const proofs::VerifyOptions& opt, const std::string& semantics, bool json, const std::string& outdir);
// Runs `ptmodel verify --compare A B`: the verdicts of both side by side; 0 none changes, 1 some change, 3 unknown.
int verify_compare(const proofs::VerifyOptions& opt, const std::string& a, const std::string& b, bool json);
}  // namespace ptm::cli
