// Running scenarios on the model: per step the outcome, the check that decided
// it (id, seed lines, the seed's comment) and what changed in the state;
// expectations checked.
#pragma once

#include <iosfwd>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "scn/scenario.hpp"

namespace ptm::scn {

// The records' process table: 8 slots (proc0, init and six more), pids 0..23.
// A scenario with `procs N` runs on N slots; its records hold its states
// widened to 8 (the extra slots free).
inline constexpr int kRunProcs = kMaxProcs;
using RunState = State<Concrete, kRunProcs>;

// Calls f(std::integral_constant<int, N>{}) for a table size known at run time.
template <class F>
decltype(auto) with_procs(int procs, F&& f) {
  switch (procs) {
    case 2: return f(std::integral_constant<int, 2>{});
    case 3: return f(std::integral_constant<int, 3>{});
    case 4: return f(std::integral_constant<int, 4>{});
    case 5: return f(std::integral_constant<int, 5>{});
    case 6: return f(std::integral_constant<int, 6>{});
    case 7: return f(std::integral_constant<int, 7>{});
    default: return f(std::integral_constant<int, kRunProcs>{});
  }
}

// A state of a table of N, as the records hold it (slots N.. free), and back.
template <int N>
RunState widen(const State<Concrete, N>& s) {
  RunState r = initial_state<Concrete, kRunProcs>();
  for (int i = 0; i < kRunProcs; ++i) r.procs[i] = i < N ? s.procs[i] : empty_proc<Concrete>();
  hana::for_each(hana::keys(r), [&](auto key) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(hana::at_key(r, key))>, typename RunState::Procs>)
      hana::at_key(r, key) = hana::at_key(s, key);
  });
  return r;
}
template <int N>
State<Concrete, N> narrow(const RunState& r) {
  State<Concrete, N> s = initial_state<Concrete, N>();
  for (int i = 0; i < N; ++i) s.procs[i] = r.procs[i];
  hana::for_each(hana::keys(s), [&](auto key) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(hana::at_key(s, key))>, typename State<Concrete, N>::Procs>)
      hana::at_key(s, key) = hana::at_key(r, key);
  });
  return s;
}

struct StepRecord {
  const Line* line = nullptr;
  int procs = kRunProcs;  // the scenario's table; pre and post are widened to kRunProcs
  Args<Concrete> args = default_args<Concrete>();  // as resolved for this step (slots, pids)
  std::vector<std::string> names;                  // the name of the process in each slot, before the step
  Outcome<Concrete> out{};
  RunState pre{}, post{};
  bool expectation_failed = false;
  std::string failure;  // why the expectation failed
  std::vector<std::string> violated;  // properties that do not hold after this step
};

struct RunResult {
  std::vector<StepRecord> steps;  // every line's record (none without RunOptions::keep_records)
  long lines_run = 0;
  int failures = 0;      // expectations that did not hold
  int divergence = 0;    // the line where model and impl first disagreed (0: never)
};

struct RunOptions {
  bool quiet = false;       // print only failures and the summary
  bool properties = false;  // print the properties each step violates
  bool model_only = false;  // do not run the reference implementation alongside
  // Keep every step's record (its states before and after, about 5 KB) in
  // RunResult::steps. Plain `run` needs none, so a long scenario's memory does
  // not grow with its length (docs/hardening.md, "Limits").
  bool keep_records = true;
};

// Runs one scenario on the model and, step by step, on the reference
// implementation (impl/), comparing outcomes and abstract states. Throws InputError for a scenario that cannot
// run (a process used after it was reaped). Prints to `out` unless quiet.
RunResult run_scenario(const Scenario& sc, std::ostream& out, const RunOptions& opt = {});

// Text forms shared by the reports.
std::string outcome_text(const Outcome<Concrete>& o);
std::string check_text(int check);
// What a run-time edit of the semantics in force does to `check`, e.g. " (run-time edit: EPERM instead of EBUSY)"; "" if nothing.
std::string edit_note(int check);

}  // namespace ptm::scn
