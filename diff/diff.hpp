// `ptmodel diff A B`: every kind of difference between two semantics in one
// step, found with Z3 (complete for N processes over the states that satisfy
// the auxiliary invariants), then per operation whether the list is complete
// for a table of any size (the every-N domain, proofs/unbounded.hpp), each
// kind with a shortest witness from boot found by a breadth-first search along
// steps where A and B agree, and the property verdicts of both (the explorer,
// N processes). docs/semantics-changes.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explore/explorer.hpp"

namespace ptm::diff {

using Trace = explore::Trace;

struct Options {
  // Kinds are listed at every table size min_procs..procs (Z3, each complete
  // for its size), witnesses searched at the smallest size each kind needs,
  // growing, and the property verdicts explored at property_procs.
  int procs = 4;
  int min_procs = 2;
  int property_procs = 3;
  unsigned timeout_ms = 60'000;  // Z3, per query
  long max_states = 10'000'000;  // each search
  double budget_seconds = 0;     // > 0: the witness searches together stop after this long
  int oracle_depth = 6;          // the second witness search (the complete alphabet) goes this deep
  bool searches = true;          // false: the kinds only (no witnesses, no property verdicts)
  int threads = 2;               // the searches' threads, and the Z3 stages' processes
  bool every_n = true;           // whether the list is complete for a table of any size
  unsigned every_n_timeout_ms = 3'000;  // Z3, per every-N query
};

// One kind of difference. Outcome kinds: the step's outcome (kind and errno)
// under A and under B differ. Field kinds: the outcome is the same, and the
// next state (or the return value or wait status) differs in `field` (for
// process fields, in some process). Goal kinds: the step reaches an attacker
// goal (model/goals.hpp) under one semantics and not under the other.
struct Kind {
  std::string op;  // as all_operations() names it
  int op_index = 0;
  bool outcome = true;
  int kind_a = 0, err_a = 0, kind_b = 0, err_b = 0;
  std::string field;
  std::string goal;        // a goal kind: the goal's id (outcome is false, field empty)
  bool goal_under_b = false;  // a goal kind: reached under B and not A (else A and not B)
  int procs = 0;           // the smallest table size at which Z3 finds it
  std::optional<Trace> witness;  // its last step is the first that differs
  int witness_procs = 0;         // the table size of the witness
};

// One witness search: at a table size, with an alphabet.
struct SearchRun {
  int procs = 0;
  bool complete_alphabet = false;
  explore::Result result;
};

// For every N: whether one operation can differ, at a table of any size
// (2 <= n <= kMaxSlots), in a way the kinds above do not list.
struct EveryNRow {
  std::string op;
  int op_index = 0;
  enum Verdict { SAME_RULES, COMPLETE, OPEN } verdict = OPEN;
  // OPEN: what may differ unlisted ("outcome", or a field), and why it is
  // open: Z3 gave up, a counterexample through an over-approximation, or a
  // state of n = found_at (exact) where it does.
  std::vector<std::string> open;
  std::string reason;
  int found_at = 0;
  bool contradicts = false;  // found_at is a size the kinds were listed completely at: a ptmodel bug
};

struct PropertyRow {
  std::string id;
  bool violated_a = false, violated_b = false;
};

struct Report {
  SemanticsMask a = 0, b = 0;
  int procs = 0;      // the largest table size listed
  int min_procs = 0;  // the smallest
  std::vector<Kind> kinds;
  std::vector<std::string> unknown;  // operations where Z3 gave up ("op at N = k"): the list may miss kinds there
  std::vector<int> unknown_procs;    // the table size of each
  std::vector<SearchRun> searches;   // the witness searches, in the order run
  std::vector<EveryNRow> every_n;     // per operation, when Options::every_n
  double every_n_seconds = 0;
  std::optional<Trace> unexpected;   // a step differing in a way Z3 did not list (a bug; never expected)
  int unexpected_procs = 0;
  int property_procs = 0;
  explore::Result explore_a, explore_b;  // the property verdicts
  std::vector<PropertyRow> properties;
  double solve_seconds = 0, search_seconds = 0;
};

// Two kinds are the same kind (at any table size).
inline bool same_kind(const Kind& x, const Kind& y) {
  return x.op_index == y.op_index && x.outcome == y.outcome && x.field == y.field && x.goal == y.goal &&
         x.goal_under_b == y.goal_under_b &&
         (!x.outcome || (x.kind_a == y.kind_a && x.err_a == y.err_a && x.kind_b == y.kind_b && x.err_b == y.err_b));
}
inline void add_kind(Report& rep, Kind k) {
  for (const auto& o : rep.kinds)
    if (same_kind(o, k)) return;  // found at a smaller table already
  rep.kinds.push_back(std::move(k));
}

// Every kind at table sizes opt.min_procs..opt.procs, witnesses growing the
// table, the property verdicts at opt.property_procs.
Report run(SemanticsMask a, SemanticsMask b, const Options& opt);

// The three stages at one table size (one translation unit per N, diff_nK.cpp:
// the symbolic rules are large to compile). The kinds of one operation
// (all_operations()'s index) at a time.
struct Stages {
  void (*kinds)(Report&, const Options&, std::size_t op);
  void (*witnesses)(Report&, const Options&, double seconds_left);
  void (*properties)(Report&, const Options&);
};

// The every-N row of one operation (diff_every_n.cpp), given the kinds listed
// at N = min_procs..procs.
EveryNRow every_n_row(const Report& rep, const Options& opt, std::size_t op);

}  // namespace ptm::diff
