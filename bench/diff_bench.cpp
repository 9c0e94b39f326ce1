// bazel run //bench:diff_bench [-- PROCS]
//
// `ptmodel diff seed X` for every shipped delta and `modern`: the time Z3
// takes to list the kinds, the time of the three searches (witnesses, and the
// explorer under A and under B), the kinds, the witnessed kinds and the states
// of the witness search. Figures: docs/performance.md.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "diff/diff.hpp"
#include "model/semantics_names.hpp"

using namespace ptm;

int main(int argc, char** argv) {
  diff::Options opt;  // the command's defaults
  opt.max_states = 2'000'000;
  opt.budget_seconds = 300;
  if (argc > 1) opt.procs = std::atoi(argv[1]);
  fmt::print("diff seed X, tables of {}..{} processes, {} threads\n\n", opt.min_procs, opt.procs, opt.threads);
  fmt::print("{:<40} {:>8} {:>10} {:>7} {:>9} {:>12}\n", "B", "Z3 s", "search s", "kinds", "witnessed", "states");
  std::vector<SemanticsMask> all;
  for (int d = 0; d < D_COUNT; ++d) all.push_back(SemanticsMask{1} << d);
  all.push_back(kModern);
  for (SemanticsMask m : all) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = diff::run(0, m, opt);
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    int witnessed = 0;
    for (const auto& k : r.kinds) witnessed += k.witness.has_value();
    long states = 0;
    for (const auto& s : r.searches) states += s.result.states;
    fmt::print("{:<40} {:>8.1f} {:>10.1f} {:>7} {:>9} {:>12}\n", semantics_name(m), r.solve_seconds,
               total - r.solve_seconds, r.kinds.size(), witnessed, states);
  }
  return 0;
}
