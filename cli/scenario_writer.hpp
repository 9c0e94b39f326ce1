// Writing scenarios: an operation trace from the initial state, as a scenario
// file a person can read and `ptmodel run` replays (with the model's outcomes
// as expectations, and the properties each step violates). Every
// counterexample the tool prints goes through here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/run.hpp"

namespace ptm::scn {

using Trace = std::vector<std::pair<Op, Args<Concrete>>>;

struct WriteOptions {
  std::string header;            // comment lines at the top (without '#')
  bool expectations = true;      // `-> outcome` on every operation
  bool violations = true;        // `violates PROP...` where a property fails
  int procs = kRunProcs;         // the table the trace ran on (a `procs N` line unless 8)
};

// Throws std::invalid_argument for an operation no scenario line can express
// (a caller or swap target that does not exist at that point).
std::string write_scenario(const Trace& trace, const WriteOptions& opt = {});

// A counterexample as the tool prints it: the scenario, and whether it replays
// (meets its expectations on model and impl, and its last step violates
// `property`); `note` says why not.
struct Witness {
  std::string scenario;
  bool replays = false;
  std::string note;
};
Witness write_witness(const Trace& trace, const std::string& property, const WriteOptions& opt);

}  // namespace ptm::scn
