// `ptmodel verify`: the proof matrix, the initial state, and for every
// property with a counterexample to induction a bounded search for a
// reachable violation, printed as a scenario that replays on model and impl.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "proofs/matrix.hpp"
#include "proofs/reach.hpp"

namespace ptm::proofs {

struct VerifyOptions {
  int procs = 4;
  int depth = 7;
  long max_states = 2'000'000;
  unsigned timeout_ms = 10'000;
  unsigned max_memory_mb = 4096;  // Z3's memory_max_size
  std::string smt2_dir;
  int shard = 0, shards = 1;  // run obligations i with i % shards == shard
  std::function<void(int done, int total)> progress;
};

struct PropertyVerdict {
  std::string id, statement;
  bool invariant = false;
  bool initial_holds = true;
  int proved = 0, cti = 0, unknown = 0;
  std::vector<std::string> cti_ops, unknown_ops;
  std::optional<Trace> witness;  // a reachable violation, shortest found
};

struct VerifyReport {
  VerifyOptions opt;
  std::vector<Result> results;
  std::vector<PropertyVerdict> verdicts;
  ReachResult reach;
  double prove_seconds = 0, reach_seconds = 0;
  bool any_violated() const {
    for (const auto& v : verdicts)
      if (v.witness || !v.initial_holds) return true;
    return false;
  }
};

// Implemented per table size (verify_n*.cpp), all with the seed's rules.
VerifyReport verify(const VerifyOptions& opt);

template <int N>
VerifyReport verify_n(const VerifyOptions& opt) {
  VerifyReport rep;
  rep.opt = opt;
  auto t0 = std::chrono::steady_clock::now();
  const auto ops = all_operations();
  const auto obs = all_obligations();
  std::map<std::pair<std::string, std::string>, int> index;
  for (std::size_t i = 0; i < obs.size(); ++i) index[{obs[i].op_name, obs[i].property}] = static_cast<int>(i);
  int done = 0;
  for (const auto& [op, name] : ops) {
    auto keep = [&](const Obligation& ob) {
      return index.at({ob.op_name, ob.property}) % opt.shards == opt.shard;
    };
    auto res = prove_seed_operation<N>(op, name, keep, opt.timeout_ms, opt.smt2_dir);
    done += static_cast<int>(res.size());
    rep.results.insert(rep.results.end(), res.begin(), res.end());
    if (opt.progress) opt.progress(done, static_cast<int>(obs.size()) / opt.shards);
  }
  rep.prove_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Per property: the column of the matrix, and the initial state.
  const auto init = initial_state<Concrete, N>();
  auto add_verdict = [&](std::string id, std::string statement, bool inv, bool init_holds) {
    PropertyVerdict v;
    v.id = id;
    v.statement = statement;
    v.invariant = inv;
    v.initial_holds = init_holds;
    for (const auto& r : rep.results) {
      if (r.ob.property != id) continue;
      if (r.verdict == PROVED) ++v.proved;
      if (r.verdict == CTI) ++v.cti, v.cti_ops.push_back(r.ob.op_name);
      if (r.verdict == UNKNOWN) ++v.unknown, v.unknown_ops.push_back(r.ob.op_name);
    }
    rep.verdicts.push_back(v);
  };
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    // A step property holds of the initial state vacuously; a state property is evaluated.
    bool h = true;
    if constexpr (!P::is_step) h = P::template holds<Concrete, N>(init);
    add_verdict(std::string(P::id), std::string(P::statement), false, h);
  });
  hana::for_each(kInvariants, [&](auto t) {
    using I = typename decltype(t)::type;
    add_verdict(std::string(I::id), std::string(I::statement), true, I::template holds<Concrete, N>(init));
  });

  // Reachable violations for the properties that are not proved.
  std::vector<std::string> wanted;
  for (const auto& v : rep.verdicts)
    if (!v.invariant && (v.cti || v.unknown)) wanted.push_back(v.id);
  auto t1 = std::chrono::steady_clock::now();
  if (!wanted.empty()) rep.reach = reach<N>(wanted, opt.depth, opt.max_states);
  rep.reach_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  for (auto& v : rep.verdicts)
    if (auto it = rep.reach.violations.find(v.id); it != rep.reach.violations.end()) v.witness = it->second;
  return rep;
}

}  // namespace ptm::proofs
