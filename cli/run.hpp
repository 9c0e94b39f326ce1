// Running scenarios on the model: per step the outcome, the check that decided
// it (id, seed lines, the seed's comment) and what changed in the state;
// expectations checked.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "cli/scenario.hpp"

namespace ptm::scn {

// The runner's process table: 8 slots (proc0, init and six more), pids 0..23.
inline constexpr int kRunProcs = 8;
using RunState = State<Concrete, kRunProcs>;

struct StepRecord {
  const Line* line = nullptr;
  Args<Concrete> args = default_args<Concrete>();  // as resolved for this step (slots, pids)
  std::vector<std::string> names;                  // the name of the process in each slot, before the step
  Outcome<Concrete> out{};
  RunState pre{}, post{};
  bool expectation_failed = false;
  std::string failure;  // why the expectation failed
  std::vector<std::string> violated;  // properties that do not hold after this step
};

struct RunResult {
  std::vector<StepRecord> steps;
  int failures = 0;      // expectations that did not hold
  int divergence = 0;    // the line where model and impl first disagreed (0: never)
};

struct RunOptions {
  bool quiet = false;       // print only failures and the summary
  bool properties = false;  // print the properties each step violates
  bool model_only = false;  // do not run the reference implementation alongside
};

// Runs one scenario on the model and, step by step, on the reference
// implementation (impl/), comparing outcomes and abstract states. Throws InputError for a scenario that cannot
// run (a process used after it was reaped). Prints to `out` unless quiet.
RunResult run_scenario(const Scenario& sc, std::ostream& out, const RunOptions& opt = {});

// Text forms shared by the reports.
std::string outcome_text(const Outcome<Concrete>& o);
std::string check_text(int check);

}  // namespace ptm::scn
