#pragma once
#include <string>
#include <vector>

namespace ptm::cli {
// The attacker-goal search of the audit (docs/audit.md).
struct AuditGoalOptions {
  int complete_procs = 3;  // complete alphabet: tables 2..min(complete_procs, --procs)
  long max_states = 300'000;    // the seed's, per table size and alphabet
  long mutant_states = 50'000;  // each mutant's own, per table size and alphabet
  long witness_states = 300'000;  // the property witness search on a mutant, per table size and alphabet
  std::string semantics = "seed";
};
// `ptmodel audit`: returns the exit status.
int audit_command(int procs, int depth, const std::vector<std::string>& checks, bool json, unsigned timeout_ms = 10'000,
                  const AuditGoalOptions& goals = {});
}  // namespace ptm::cli
