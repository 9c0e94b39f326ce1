// `ptmodel oracle`: test cases for test writers. The explorer labels every step
// it takes (oracle/labels.hpp) and keeps, per label, the first step in
// breadth-first order, so each case is a shortest scenario from boot reaching
// what it covers: a check deciding a request, an outcome kind, an effect
// branch. Cases with the same trace are merged. The coverage table lists the
// checks and outcome kinds each operation can have and says, for every one not
// covered, why.
#pragma once

#include <string>
#include <vector>

#include "explore/explorer.hpp"

namespace ptm::oracle {

using Trace = explore::Trace;

struct Case {
  std::string id;                   // "case-007"
  std::vector<std::string> covers;  // labels
  Trace trace;
};

struct CoverageRow {
  std::string label;
  std::string case_id;  // empty: not covered
  std::string reason;   // why not covered
};

struct Options {
  int procs = 4;
  int max_depth = 6;
  long max_states = 20'000'000;
  int threads = 2;
};

struct OracleSet {
  Options opt;
  explore::Result search;
  std::vector<Case> cases;
  std::vector<CoverageRow> coverage;  // checks and outcome kinds of every operation
  std::vector<std::string> effects;   // effect branches covered
};

OracleSet generate(const Options& opt);

}  // namespace ptm::oracle
