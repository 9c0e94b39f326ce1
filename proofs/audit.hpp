// The audit: for every check that can decide a request, the seed with that
// check removed (a mutant) is verified again. The properties the seed keeps
// (proved for every operation) and the mutant does not are what the check guards; a shortest witness
// (bounded search in the mutant) shows each. A check whose removal breaks no
// property is redundant under the current properties.
#pragma once

#include <set>

#include "model/applicable.hpp"
#include "proofs/goal_search.hpp"
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

// The checks the audit covers by default: every check of ptrace's lists that
// can fire and refuses with an errno. (A hang or fault entry, as
// ATTACH_ANCESTOR_LOOP, is how the model says a loop never ends or the kernel
// faults there: not a test the code makes, so nothing to remove.)
inline std::vector<int> ptrace_checks() {
  std::set<int> s;
  for (Req r : kAllRequests)
    for (int c : applicable_checks(Op{OP_PTRACE, r}))
      if (kChecks[c].reachable && check_active(kChecks[c]) && kChecks[c].kind == K_ERR && c != C_ACTOR_CANNOT_RUN)
        s.insert(c);
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
                                     .max_states = max_states, .budget_seconds = 86400, .progress = {}, .side_by_side = false});
      e.witness = found.best;
      e.search = found.legs;
    }
    out.push_back(std::move(e));
    if (progress) progress(++done, static_cast<int>(checks.size()));
  }
  return out;
}

// ---- The audit as a diff of attacker goals ------------------------------------
//
// For each check, the seed without it is searched for every attacker goal
// (model/goals.hpp), and compared with the seed per (goal, operation): a cell
// the mutant reaches and the seed does not, within the same bounds, is what
// the check guards; one the mutant reaches at a smaller table than the seed is
// reported too, with the seed's size. A check that gains an attacker nothing
// names what decides its steps instead (from the seed's search: the same steps
// with the check removed), and is audited again together with that check.

struct GoalGain {
  GoalCell cell;
  Found witness;
  bool direct = false;  // its last step is one the seed refuses with the removed check(s)
  int seed_procs = 0;   // 0: the seed does not reach the cell within the bounds; else its smallest table
};

struct AttackEntry {
  std::vector<int> removed;      // one check, or a pair
  std::vector<GoalGain> gains;   // for a pair: what neither check alone gains
  std::map<int, long> takeover;  // a single check: what decides its steps without it -> steps
  long states = 0;               // the mutant's own states, outside the seed's space
  bool budget_hit = false;
};

struct AttackAudit {
  GoalLimits limits;
  GoalSearch seed;  // its seed map and legs
  std::vector<AttackEntry> singles, pairs;
};

// What the mutant reaches that the seed does not reach the same way: a cell
// the seed does not reach, or reaches only at a larger table; or a cell reached
// directly (by a step the seed refuses with a removed check).
inline std::vector<GoalGain> goal_gains(const GoalSearch& seed, const MutantSearch& m) {
  std::vector<GoalGain> out;
  for (const auto& [cell, hit] : m.reached) {
    auto it = seed.seed.find(cell);
    const int sp = it == seed.seed.end() ? 0 : it->second.witness.procs;
    if (sp == 0 || hit.direct || sp > hit.witness.procs) out.push_back({cell, hit.witness, hit.direct, sp});
  }
  return out;
}

// The check that decides most of `c`'s steps once `c` is removed (-1: none, or success).
inline int takeover_check(const std::map<int, long>& by) {
  int best = -1;
  long n = 0;
  for (const auto& [k, count] : by)
    if (k >= 0 && count > n) best = k, n = count;
  return best;
}

inline AttackEntry attack_entry(const GoalSearch& seed, const MutantSearch& m) {
  AttackEntry e;
  e.removed = m.removed;
  e.gains = goal_gains(seed, m);
  e.states = m.states;
  e.budget_hit = m.budget_hit;
  return e;
}

inline AttackAudit attack_audit(const std::vector<int>& checks, const GoalLimits& lim, int threads) {
  AttackAudit a;
  a.limits = lim;
  std::vector<std::vector<int>> singles;
  for (int c : checks) singles.push_back({c});
  a.seed = search_goals(singles, lim, threads);
  std::set<int> gaining;
  for (const auto& m : a.seed.mutants) {
    AttackEntry e = attack_entry(a.seed, m);
    if (auto it = a.seed.takeover.find(m.removed[0]); it != a.seed.takeover.end()) e.takeover = it->second;
    if (!e.gains.empty()) gaining.insert(m.removed[0]);
    a.singles.push_back(std::move(e));
  }
  // Pairs: a check with the check that takes over from it (decides most of
  // its steps without it), when that one gains nothing alone (or is not
  // audited: it never decides a step of the seed, as p_candebug's repeats of
  // p_cansee's tests).
  std::vector<std::vector<int>> pairs;
  for (const auto& e : a.singles) {
    const int c = e.removed[0];
    const int y = takeover_check(e.takeover);
    if (y < 0 || y == c || gaining.count(y) || kChecks[y].kind != K_ERR) continue;
    std::vector<int> p{std::min(c, y), std::max(c, y)};
    if (std::find(pairs.begin(), pairs.end(), p) == pairs.end()) pairs.push_back(p);
  }
  if (pairs.empty()) return a;
  // A partner that is not audited is searched alone too, so that the pair is
  // credited only with what neither check gains alone.
  std::map<int, std::vector<GoalGain>> alone;  // check -> its gains alone
  for (const auto& e : a.singles) alone[e.removed[0]] = e.gains;
  std::vector<std::vector<int>> jobs = pairs;
  for (const auto& p : pairs)
    for (int c : p)
      if (!alone.count(c) && std::find(jobs.begin(), jobs.end(), std::vector<int>{c}) == jobs.end()) jobs.push_back({c});
  const GoalSearch ps = search_goals(jobs, lim, threads);
  for (const auto& m : ps.mutants)
    if (m.removed.size() == 1) alone[m.removed[0]] = goal_gains(a.seed, m);
  for (const auto& m : ps.mutants) {
    if (m.removed.size() != 2) continue;
    AttackEntry e = attack_entry(a.seed, m);
    std::vector<GoalGain> own;  // not gained by one of the two alone
    for (auto& g : e.gains) {
      bool by_one = false;
      for (int c : m.removed)
        for (const auto& h : alone[c]) by_one = by_one || h.cell == g.cell;
      if (!by_one) own.push_back(std::move(g));
    }
    e.gains = std::move(own);
    a.pairs.push_back(std::move(e));
  }
  return a;
}

}  // namespace ptm::proofs
