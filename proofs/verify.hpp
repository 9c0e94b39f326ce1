// `ptmodel verify`: the proof matrix at every table size from 2 to --procs,
// the initial state, and, for every property that is not proved, a witness
// search that grows the table and the depth by itself within a time budget:
// a reachable violation through each operation whose induction fails, printed
// as a scenario that replays on model and impl.
//
// Then the same obligations for a table of any size (proofs/every_n.hpp), for
// the operations whose rules are lifted to it. A verdict says what it covers:
// "proved" is for every table size (every operation and every hypothesis
// proved for every N); "holds for N <= K" is bounded: every obligation proved
// at each table size 2..K, not for every N (docs/proofs.md).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "proofs/every_n.hpp"
#include "proofs/matrix.hpp"
#include "proofs/reach.hpp"

namespace ptm::proofs {

struct VerifyOptions {
  int procs = 5;        // the proofs run at every N = 2..procs; the matrix printed is N = procs
  int search_procs = 6;  // the witness search grows the table up to this
  int depth = 20;        // the witness search's depth cap
  long max_states = 1'000'000;  // the witness search's state budget, per table size and alphabet
  double budget_seconds = 300;  // the witness search's time budget (both legs, run side by side)
  unsigned timeout_ms = 10'000;
  bool every_n = true;                 // also prove for a table of any size
  unsigned every_n_timeout_ms = 3'000;  // per every-N query
  bool recheck_cvc5 = false;           // cvc5 checks every every-N proof again (Result::second)
  unsigned max_memory_mb = 4096;  // Z3's memory_max_size
  std::string smt2_dir;            // the obligations at N = procs, as SMT-LIB2
  int shard = 0, shards = 1;       // run obligations i with i % shards == shard
  bool shard_operations = false;   // ... operations i of all_operations() instead (every obligation of each)
  int threads = 2;                 // the proofs side by side: in this many processes, each with its own Z3 (proofs/verify.cpp)
  std::function<void(const std::string& what)> progress;
};

// Where the witness search went: one leg per alphabet and table size.
struct SearchLeg {
  std::string alphabet;  // "search" or "complete"
  int procs = 0;
  int depth_done = 0;  // every state within this many steps was explored
  long states = 0;
  std::string stopped;  // "exhausted", "state budget", "time budget", "depth cap", "all found"
  double seconds = 0;
};

struct Found {
  Trace trace;
  int procs = 0;
  // Smallest table first, then fewest steps, then a digest of the trace: the
  // choice does not depend on which leg of the search found it first.
  std::uint64_t key() const {
    std::uint64_t h = 0;
    for (const auto& [op, a] : trace) {
      digest(static_cast<int>(op.kind) * 10000 + static_cast<int>(op.req) * 10 + static_cast<int>(op.knob), h);
      digest(a, h);
    }
    return h;
  }
  bool better_than(const Found& o) const {
    if (procs != o.procs) return procs < o.procs;
    if (trace.size() != o.trace.size()) return trace.size() < o.trace.size();
    return key() < o.key();
  }
};

// One table size's column of the matrix, for one property.
struct Column {
  int proved = 0, cti = 0, unknown = 0;
  std::vector<std::string> cti_ops, unknown_ops;
};

// The obligations of one property for a table of any size.
struct EveryNColumn {
  bool stated = true;               // kStatedForEveryN
  bool run = false;                 // the every-N proofs ran (VerifyOptions::every_n)
  std::optional<Verdict> initial;   // of the initial state; none for a step property (vacuous)
  int proved = 0, cti = 0, unknown = 0;
  std::vector<std::string> cti_ops, unknown_ops;
  int operations = 0;               // every operation of the model
  // Proved for every N, given hypotheses that are themselves proved for every N.
  bool holds(bool hypotheses_proved) const {
    return run && stated && (!initial || *initial == PROVED) && proved == operations && hypotheses_proved;
  }
};

struct PropertyVerdict {
  std::string id, statement;
  bool invariant = false;
  EveryNColumn every_n;
  bool initial_holds = true;        // at every N
  int initial_fails_at = 0;         // the smallest N whose initial state breaks it (0: none)
  std::map<int, Column> at;         // per table size
  std::vector<std::string> cti_ops;  // at any N, each once
  std::optional<Found> witness;     // the shortest reachable violation found (smallest N first)
  std::map<std::string, Found> through;  // per operation: a reachable violation whose last step is that operation
  bool any_cti() const {
    for (const auto& [n, c] : at)
      if (c.cti) return true;
    return false;
  }
  // The largest K such that every obligation is proved at each N = 2..K (0: none).
  int proved_up_to() const {
    int k = 0;
    for (const auto& [n, c] : at) {
      if (c.cti || c.unknown || !initial_holds) break;
      k = n;
    }
    return k;
  }
  bool any_unknown() const {
    for (const auto& [n, c] : at)
      if (c.unknown) return true;
    return false;
  }
};

struct VerifyReport {
  VerifyOptions opt;
  std::map<int, std::vector<Result>> results;  // per table size
  std::vector<PropertyVerdict> verdicts;
  std::vector<SearchLeg> search;
  std::vector<Result> every_n, every_n_initial;  // for a table of any size
  double prove_seconds = 0, search_seconds = 0, every_n_seconds = 0;
  // The two kinds of proof checked against each other: an obligation proved
  // for every N has no counterexample to induction at any N = 2..procs, and
  // an initial state proved to keep a property for every N keeps it at each
  // N (the unbounded step contains the bounded one: every_n_agreement_test).
  // A disagreement is a bug in ptmodel; verify exits 2.
  int cross_checked = 0;
  std::vector<std::string> disagreements;
};

VerifyReport verify(const VerifyOptions& opt);
// Fills rep.cross_checked and rep.disagreements from rep's proofs, with
// `broken` the properties each N's initial state breaks.
void cross_check(VerifyReport& rep, const std::map<int, std::vector<std::string>>& broken);

// The witness search, shared by verify and audit: breadth-first from the
// initial state, each table size from 2 until its space is exhausted, the
// depth cap, the state budget or the time budget; the search alphabet up to
// search_procs and the complete alphabet up to complete_procs, side by side.
// For each property and each (property, operation) the best witness found:
// smallest table, then fewest steps.
struct SearchLimits {
  int search_procs = 6, complete_procs = 4;
  int depth = 20;
  long max_states = 1'000'000;   // per table size and alphabet
  double budget_seconds = 300;  // both legs; 0: no search
  std::function<void(const std::string& what)> progress;
  // false: the complete alphabet only after the search alphabet, and only for
  // what it did not find (the audit: most witnesses need no more than that).
  bool side_by_side = true;
};
struct WitnessSearch {
  std::map<std::string, Found> best;
  std::map<Cell, Found> through;
  std::vector<SearchLeg> legs;
};
WitnessSearch search_witnesses(const std::vector<std::string>& props, const std::vector<Cell>& cells,
                               const SearchLimits& lim);

// The pieces, per table size (verify_n*.cpp instantiate them for N = 2..6).
std::vector<Result> prove_matrix(int n, const VerifyOptions& opt);
ReachResult reach_at(int n, const std::vector<std::string>& wanted, const std::vector<Cell>& cells,
                     const ReachOptions& o);
// The initial state at N: the ids of the properties and invariants it breaks.
std::vector<std::string> initially_broken(int n);

template <int N>
std::vector<Result> prove_matrix_n(const VerifyOptions& opt) {
  std::vector<Result> out;
  const auto obs = all_obligations();
  std::map<std::pair<std::string, std::string>, int> index;
  for (std::size_t i = 0; i < obs.size(); ++i) index[{obs[i].op_name, obs[i].property}] = static_cast<int>(i);
  for (const auto& [op, name] : all_operations()) {
    auto keep = [&](const Obligation& ob) {
      return index.at({ob.op_name, ob.property}) % opt.shards == opt.shard;
    };
    auto res = prove_seed_operation<N>(op, name, keep, opt.timeout_ms, N == opt.procs ? opt.smt2_dir : "");
    out.insert(out.end(), res.begin(), res.end());
    if (opt.progress) opt.progress("proving at N = " + std::to_string(N) + ": " + name);
  }
  return out;
}

template <int N>
std::vector<std::string> initially_broken_n() {
  std::vector<std::string> out;
  const auto init = initial_state<Concrete, N>();
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if constexpr (!P::is_step)  // a step property holds of the initial state vacuously
      if (!P::template holds<Concrete, N>(init)) out.emplace_back(P::id);
  });
  hana::for_each(kInvariants, [&](auto t) {
    using I = typename decltype(t)::type;
    if (!I::template holds<Concrete, N>(init)) out.emplace_back(I::id);
  });
  return out;
}

}  // namespace ptm::proofs
