// Writing scenarios: an operation trace from the initial state, as a scenario
// file a person can read and `ptmodel run` replays (with the model's outcomes
// as expectations, and the properties each step violates). Every
// counterexample the tool prints goes through here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scn/run.hpp"

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

// An output directory written as a whole: the files go to a fresh directory
// beside it, every write and close checked, then replace what an earlier run
// of ptmodel left there (the files its MANIFEST names, and the MANIFEST);
// files ptmodel did not write are kept. `manifest` is the first line of
// DIR/MANIFEST (the command and semantics); the file names follow, one per line.
// A failure throws InputError naming the path.
void publish_dir(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files,
                 const std::string& manifest);
// One output file written as a whole: to a fresh name beside it, checked, then
// renamed over PATH, so PATH is either the old file or the complete new one.
// A failure (a missing directory, a full device) throws InputError naming PATH.
void publish_file(const std::string& path, const std::string& text);
// Checks up front that DIR is, or can be made, a directory (so that a long
// run does not end with nowhere to write).
void prepare_dir(const std::string& dir);

}  // namespace ptm::scn
