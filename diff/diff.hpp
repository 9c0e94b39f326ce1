// `ptmodel diff A B`: every kind of difference between two semantics in one
// step, found with Z3 (complete for N processes over the states that satisfy
// the auxiliary invariants), each with a shortest witness from boot found by a
// breadth-first search along steps where A and B agree, and the property
// verdicts of both (the explorer, N processes). docs/semantics-changes.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explore/explorer.hpp"

namespace ptm::diff {

using Trace = explore::Trace;

struct Options {
  int procs = 3;
  unsigned timeout_ms = 60'000;  // Z3, per query
  long max_states = 10'000'000;  // each search
  int oracle_depth = 6;
  bool searches = true;          // false: the kinds only (no witnesses, no property verdicts)          // the second witness search (the oracle's alphabet) goes this deep
  int threads = 2;
};

// One kind of difference. Outcome kinds: the step's outcome (kind and errno)
// under A and under B differ. Field kinds: the outcome is the same, and the
// next state (or the return value or wait status) differs in `field` (for
// process fields, in some process).
struct Kind {
  std::string op;  // as all_operations() names it
  int op_index = 0;
  bool outcome = true;
  int kind_a = 0, err_a = 0, kind_b = 0, err_b = 0;
  std::string field;
  std::optional<Trace> witness;  // its last step is the first that differs
};

struct PropertyRow {
  std::string id;
  bool violated_a = false, violated_b = false;
};

struct Report {
  SemanticsMask a = 0, b = 0;
  int procs = 0;
  std::vector<Kind> kinds;
  std::vector<std::string> unknown;  // operations where Z3 gave up: the list may miss kinds there
  explore::Result search;            // the search for witnesses (the explorer's alphabet)
  std::optional<explore::Result> oracle_search;  // the second, for kinds the first did not witness
  std::optional<Trace> unexpected;   // a step differing in a way Z3 did not list (a bug; never expected)
  explore::Result explore_a, explore_b;  // the property verdicts
  std::vector<PropertyRow> properties;
  double solve_seconds = 0;
};

Report run(SemanticsMask a, SemanticsMask b, const Options& opt);

}  // namespace ptm::diff
