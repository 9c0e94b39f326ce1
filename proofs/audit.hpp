// The audit: for every check that can decide a request, the seed with that
// check removed (a mutant) is verified again. The properties the seed keeps
// (proved for every operation) and the mutant does not are what the check guards; a shortest witness
// (bounded search in the mutant) shows each. A check whose removal breaks no
// property is redundant under the current properties.
#pragma once

#include <set>

#include "model/applicable.hpp"
#include "proofs/verify.hpp"

namespace ptm::proofs {

struct AuditEntry {
  int check;
  std::vector<std::string> ops;     // the operations it can decide
  std::vector<std::string> breaks;  // properties proved for the seed, not for the mutant
  std::vector<std::string> unknown;
  std::map<std::string, Found> witness;  // property -> a reachable violation of the mutant (smallest table first)
  std::vector<SearchLeg> search;        // how far the witness search went
};

// The checks the audit covers by default: every check of ptrace's lists that can fire.
inline std::vector<int> ptrace_checks() {
  std::set<int> s;
  for (Req r : kAllRequests)
    for (int c : applicable_checks(Op{OP_PTRACE, r}))
      if (kChecks[c].reachable && c != C_ACTOR_CANNOT_RUN) s.insert(c);
  return {s.begin(), s.end()};
}

// `seed_keeps`, when given, receives the properties the seed keeps (proved for every operation).
template <int N>
std::vector<AuditEntry> audit(const std::vector<int>& checks, int depth, long max_states, unsigned timeout_ms,
                              const std::function<void(int, int)>& progress = {},
                              std::set<std::string>* seed_keeps_out = nullptr) {
  const auto ops = all_operations();
  auto all = [](const Obligation&) { return true; };
  // The seed's verdicts, for the operations any audited check applies to.
  std::map<std::pair<std::string, std::string>, Verdict> seed;
  std::map<std::string, std::vector<int>> applies;  // op name -> checks
  for (const auto& [op, name] : ops)
    for (int c : applicable_checks(op)) applies[name].push_back(c);
  auto relevant = [&](const std::string& name, int c) {
    const auto& v = applies[name];
    return std::find(v.begin(), v.end(), c) != v.end();
  };
  // A property the seed keeps: proved for every operation. Only those can be
  // what a check guards (the others the seed already breaks).
  std::set<std::string> seed_keeps;
  hana::for_each(kProperties, [&](auto t) { seed_keeps.insert(std::string(decltype(t)::type::id)); });
  // What Z3 could not settle for the seed itself (a property, or an invariant
  // the proofs assume) is unknown for every check: whether removing the check
  // breaks it cannot be told.
  std::set<std::string> seed_unknown;
  for (const auto& [op, name] : ops)
    for (const auto& r : prove_seed_operation<N>(op, name, all, timeout_ms, "")) {
      seed[{name, r.ob.property}] = r.verdict;
      if (r.verdict != PROVED) seed_keeps.erase(r.ob.property);
      if (r.verdict == UNKNOWN) seed_unknown.insert(r.ob.property);
    }
  if (seed_keeps_out) *seed_keeps_out = seed_keeps;
  std::vector<AuditEntry> out;
  int done = 0;
  for (int c : checks) {
    AuditEntry e;
    e.check = c;
    RemoveCheck removed(c);
    std::set<std::string> breaks, unknown = seed_unknown;
    for (const auto& [op, name] : ops) {
      if (!relevant(name, c)) continue;
      e.ops.push_back(name);
      for (const auto& r : prove_seed_operation<N>(op, name, all, timeout_ms, "")) {
        if (r.ob.invariant) continue;
        auto it = seed.find({name, r.ob.property});
        if (it == seed.end() || it->second != PROVED || !seed_keeps.count(r.ob.property)) continue;
        if (r.verdict == CTI) breaks.insert(r.ob.property);
        if (r.verdict == UNKNOWN) unknown.insert(r.ob.property);
      }
    }
    e.breaks.assign(breaks.begin(), breaks.end());
    e.unknown.assign(unknown.begin(), unknown.end());
    if (!e.breaks.empty()) {
      // verify's witness search, on the mutant: the table grown to N, then the
      // complete alphabet to min(N, 4) for what is still missing, each size to
      // `depth` or `max_states`.
      auto found = search_witnesses(e.breaks, {},
                                    {.search_procs = N, .complete_procs = std::min(N, 4), .depth = depth,
                                     .max_states = max_states, .budget_seconds = 86400, .side_by_side = false});
      e.witness = found.best;
      e.search = found.legs;
    }
    out.push_back(std::move(e));
    if (progress) progress(++done, static_cast<int>(checks.size()));
  }
  return out;
}

}  // namespace ptm::proofs
