// `ptmodel explain FILE[:LINE]`: for a step, every check evaluated in order
// with its value, the one that decided, its seed lines and comment, and the
// facts of the state it read.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "scn/run.hpp"

namespace ptm::scn {
struct Explained {
  struct Check {
    int check;
    bool fired;
    std::string facts;  // the state it read, in words (may be empty)
    bool removed = false;  // taken out by a run-time edit: the rules went on past it
  };
  std::vector<Check> checks;  // in evaluation order
  Outcome<Concrete> out{};
};
Explained explain(const StepRecord& rec);

// Explains the step recorded in `rec` (a step of run_scenario's result).
void explain_step(const StepRecord& rec, std::ostream& out);
}  // namespace ptm::scn
