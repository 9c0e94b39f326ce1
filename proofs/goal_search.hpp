// The attacker-goal search the audit is made of (docs/audit.md): for the seed
// and for mutants (the seed with checks removed), breadth-first from the
// initial state, the shortest trace whose last step reaches each goal by each
// operation (model/goals.hpp), the table grown from 2 as verify's witness
// search grows it.
//
// The mutants are searched as differences from the seed, in one pass: a step
// of the seed that no removed check decided is the same step in the mutant
// (the checks before it agree, and the removed one did not fire), so only
// the steps a removed check decided are taken again with it removed; a
// successor that the seed does not reach as soon is then searched further
// under the mutant's rules alone. The same pass records, for each step an
// audited check decided, what decides it once the check is removed: the
// check that takes over, or none (the step succeeds).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/goals.hpp"
#include "proofs/verify.hpp"

namespace ptm::proofs {

using GoalCell = std::pair<std::string, std::string>;  // (goal, operation name)

// What decides a step once a check is removed: a check index, or one of these.
inline constexpr int kTakeoverSucceeds = -1;  // nothing refuses: the step succeeds
inline constexpr int kTakeoverOther = -2;     // it blocks, or faults without a check

struct GoalLimits {
  int search_procs = 5, complete_procs = 3;
  int depth = 8;
  long max_states = 300'000;    // the seed's, per table size and alphabet
  long mutant_states = 50'000;  // each mutant's own (outside the seed's space), per table size and alphabet
};

// One goal reached: its witness, and whether its last step is one the seed
// refuses with a removed check (the check itself stands in the way there).
struct GoalHit {
  Found witness;
  bool direct = false;
};

struct MutantSearch {
  std::vector<int> removed;
  std::map<GoalCell, GoalHit> reached;  // beyond the seed's own steps
  long states = 0;                      // its own, outside the seed's space
  bool budget_hit = false;
};

struct GoalSearch {
  std::map<GoalCell, GoalHit> seed;
  std::vector<MutantSearch> mutants;
  std::map<int, std::map<int, long>> takeover;  // single-check mutants: check -> what decides instead -> steps
  std::vector<SearchLeg> legs;                  // the seed's
};

// One table size and alphabet (goal_search.cpp instantiates N = 2..6).
GoalSearch goal_leg_at(int n, explore::Alphabet alpha, const GoalLimits& lim,
                       const std::vector<std::vector<int>>& mutants);

// Every table size and both alphabets, the legs on `threads` threads.
GoalSearch search_goals(const std::vector<std::vector<int>>& mutants, const GoalLimits& lim, int threads);

namespace goal_detail {

// An operation without its arguments (as operation_name() names it), as a number.
inline int op_code(const Op& op) {
  return static_cast<int>(op.kind) * 10000 + static_cast<int>(op.req) * 10 + static_cast<int>(op.knob);
}

inline void keep(std::map<GoalCell, GoalHit>& m, const GoalCell& c, GoalHit h) {
  auto it = m.find(c);
  if (it == m.end())
    m.emplace(c, std::move(h));
  else if (h.direct && !it->second.direct)
    it->second = std::move(h);  // a direct hit says more than an indirect one
  else if (h.direct == it->second.direct && h.witness.better_than(it->second.witness))
    it->second = std::move(h);
}

// Sets this thread's removed checks while alive.
struct ThreadRemoved {
  const bool* saved;
  explicit ThreadRemoved(const bool* set) : saved(t_removed_checks) { t_removed_checks = set; }
  ~ThreadRemoved() { t_removed_checks = saved; }
  ThreadRemoved(const ThreadRemoved&) = delete;
  ThreadRemoved& operator=(const ThreadRemoved&) = delete;
};

}  // namespace goal_detail

template <int N>
GoalSearch goal_leg(explore::Alphabet alpha, const GoalLimits& lim, const std::vector<std::vector<int>>& mutants) {
  using S = State<Concrete, N>;
  GoalSearch out;
  struct Node {
    int parent;
    Op op;
    Args<Concrete> args;
  };
  std::vector<Node> nodes{{-1, Op{}, default_args<Concrete>()}};
  auto trace_to = [&](int n) {
    Trace t;
    for (; n > 0; n = nodes[n].parent) t.emplace_back(nodes[n].op, nodes[n].args);
    std::reverse(t.begin(), t.end());
    return t;
  };
  auto key = [](const S& s) {
    std::uint64_t h = 0;
    digest(explore::canonical<N>(s, explore::Reduction::full), h);
    return h;
  };
  // The "seed" is the rules in force process-wide (the seed, unless checks
  // are removed there: a test searches a mutant whole that way); a mutant is
  // those rules with its checks removed too.
  static constexpr const bool* kBase = nullptr;
  const std::size_t M = mutants.size();
  std::vector<std::array<bool, sizeof g_removed_checks>> sets(M);
  std::vector<std::vector<int>> watch(C_COUNT);  // check -> the mutants without it
  out.mutants.resize(M);
  for (std::size_t m = 0; m < M; ++m) {
    std::copy(std::begin(g_removed_checks), std::end(g_removed_checks), sets[m].begin());
    for (int c : mutants[m])
      if (!g_removed_checks[c]) sets[m][c] = true, watch[c].push_back(static_cast<int>(m));
    out.mutants[m].removed = mutants[m];
  }
  // The goals a step reaches (a bit each), recorded with `trace()` as the
  // witness, and direct(k) saying whether goal k is reached directly.
  auto goals = [&](std::map<GoalCell, GoalHit>* into, const StepCtx<Concrete, N>& ctx, auto&& trace, auto&& direct) {
    unsigned bits = 0;
    std::string opname;
    for_each_goal<Concrete, N>(ctx, [&](int k, std::string_view id, bool reached) {
      if (!reached) return;
      bits |= 1u << k;
      if (!into) return;
      if (opname.empty()) opname = operation_name(ctx.op);
      goal_detail::keep(*into, {std::string(id), opname}, {Found{trace(), N}, direct(k)});
    });
    return bits;
  };
  auto never = [](int) { return false; };
  // The seed's pass, with the depth each state was first reached at.
  goal_detail::ThreadRemoved seed_rules(kBase);
  std::unordered_map<std::uint64_t, int> seed_depth;
  std::vector<std::vector<std::pair<int, int>>> pending(M);  // mutant -> (node, depth) of its successors
  std::vector<std::unordered_set<std::uint64_t>> pending_keys(M);
  std::vector<std::pair<int, S>> frontier{{0, initial_state<Concrete, N>()}};
  seed_depth.emplace(key(frontier[0].second), 0);
  SearchLeg leg;
  leg.alphabet = alpha == explore::Alphabet::complete ? "complete" : "search";
  leg.procs = N;
  bool budget = false;
  const auto t0 = std::chrono::steady_clock::now();
  int depth = 0;
  for (; depth < lim.depth && !frontier.empty(); ++depth) {
    std::vector<std::pair<int, S>> next;
    for (const auto& node : frontier) {
      const int n = node.first;
      const S& s = node.second;
      const auto entries = explore::alphabet<N>(s, alpha);
      // The seed's steps first: the goals it reaches from here by each
      // operation, whatever the arguments.
      std::vector<StepOf<Concrete, N>> steps;
      steps.reserve(entries.size());
      std::map<int, unsigned> by_op;
      for (const auto& entry : entries) {
        const Op& op = entry.first;
        const Args<Concrete>& a = entry.second;
        steps.push_back(step_or_fault<N>(s, op, a));
        auto here = [&] {
          Trace t = trace_to(n);
          t.emplace_back(op, a);
          return t;
        };
        by_op[goal_detail::op_code(op)] |= goals(&out.seed, StepCtx<Concrete, N>{s, op, a, steps.back().out, steps.back().next}, here, never);
      }
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const Op& op = entries[i].first;
        const Args<Concrete>& a = entries[i].second;
        const auto& st = steps[i];
        auto here = [&] {
          Trace t = trace_to(n);
          t.emplace_back(op, a);
          return t;
        };
        // Direct: the seed refused this step with the removed check, and from
        // here reaches the goal by no step of this operation.
        const unsigned seed_bits = by_op[goal_detail::op_code(op)];
        auto direct = [&](int k) { return !((seed_bits >> k) & 1u); };        const int c = static_cast<int>(st.out.check);
        if (c >= 0 && st.out.kind != K_OK)
          for (int m : watch[c]) {
            goal_detail::ThreadRemoved rules(sets[m].data());
            const auto st2 = step_or_fault<N>(s, op, a);
            if (mutants[m].size() == 1)
              ++out.takeover[c][st2.out.kind == K_OK ? kTakeoverSucceeds
                                : st2.out.check >= 0 ? static_cast<int>(st2.out.check)
                                                     : kTakeoverOther];
            goals(&out.mutants[m].reached, StepCtx<Concrete, N>{s, op, a, st2.out, st2.next}, here, direct);
            if (st2.out.kind == K_OK && !out.mutants[m].budget_hit) {
              const auto k2 = key(st2.next);
              if (pending_keys[m].count(k2)) continue;
              if (static_cast<long>(pending_keys[m].size()) >= lim.mutant_states) {
                out.mutants[m].budget_hit = true;
                continue;
              }
              pending_keys[m].insert(k2);
              nodes.push_back({n, op, a});
              pending[m].emplace_back(static_cast<int>(nodes.size()) - 1, depth + 1);
            }
          }
        if (st.out.kind != K_OK) continue;
        const auto k = key(st.next);
        if (seed_depth.count(k)) continue;
        if (static_cast<long>(seed_depth.size()) >= lim.max_states) {
          budget = true;  // not recorded: only expanded states are the seed's
          continue;
        }
        seed_depth.emplace(k, depth + 1);
        nodes.push_back({n, op, a});
        next.emplace_back(static_cast<int>(nodes.size()) - 1, st.next);
      }
    }
    frontier = std::move(next);
  }
  leg.depth_done = budget ? depth - 1 : depth;
  leg.states = static_cast<long>(seed_depth.size());
  leg.stopped = budget ? "state budget" : frontier.empty() ? "exhausted" : "depth cap";
  leg.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.legs.push_back(leg);

  // Each mutant beyond the seed: from its successors that the seed reaches
  // later or not at all, breadth-first under its own rules.
  auto covered = [&](std::uint64_t k, int d) {
    auto it = seed_depth.find(k);
    return it != seed_depth.end() && it->second <= d && it->second < lim.depth;
  };
  for (std::size_t m = 0; m < M; ++m) {
    MutantSearch& ms = out.mutants[m];
    goal_detail::ThreadRemoved rules(sets[m].data());
    std::unordered_set<std::uint64_t> mseen;
    // The successors found in the seed's pass join the search at their own
    // depth, level by level, so that one found sooner by the search is not
    // held back by its deeper copy.
    std::map<int, std::vector<int>> joining;  // depth -> nodes
    for (const auto& [nd, d] : pending[m]) joining[d].push_back(nd);
    pending[m].clear();
    pending_keys[m].clear();
    std::map<int, std::vector<std::pair<int, S>>> levels;  // depth -> frontier
    const int first = joining.empty() ? lim.depth : joining.begin()->first;
    for (int d = first; d < lim.depth && (!joining.empty() || !levels.empty()); ++d) {
      std::vector<std::pair<int, S>> front;
      if (auto it = levels.find(d); it != levels.end()) {
        front = std::move(it->second);
        levels.erase(it);
      }
      if (auto it = joining.find(d); it != joining.end()) {
        for (int nd : it->second) {
          S s = initial_state<Concrete, N>();
          for (const auto& [op, a] : trace_to(nd)) s = step_or_fault<N>(s, op, a).next;
          const auto k = key(s);
          if (covered(k, d) || !mseen.insert(k).second) continue;
          front.emplace_back(nd, std::move(s));
        }
        joining.erase(it);
      }
      for (const auto& node : front) {
        const int n = node.first;
        const S& s = node.second;
        const auto entries = explore::alphabet<N>(s, alpha);
        for (const auto& entry : entries) {
          const Op& op = entry.first;
          const Args<Concrete>& a = entry.second;
          const auto st = step_or_fault<N>(s, op, a);
          auto here = [&] {
            Trace t = trace_to(n);
            t.emplace_back(op, a);
            return t;
          };
          // Direct: the seed refuses this step with a removed check, and from
          // here reaches the goal by no step of this operation.
          int refused = -1;  // -1: not yet known
          unsigned seed_bits = 0;
          auto direct = [&](int g) {
            if (refused < 0) {
              goal_detail::ThreadRemoved seed_again(kBase);
              const auto o = step_or_fault<N>(s, op, a);
              refused = o.out.kind != K_OK && o.out.check >= 0 && sets[m][o.out.check] && !g_removed_checks[o.out.check];
              if (refused)
                for (const auto& e : entries)
                  if (goal_detail::op_code(e.first) == goal_detail::op_code(op)) {
                    const auto so = step_or_fault<N>(s, e.first, e.second);
                    seed_bits |= goals(nullptr, StepCtx<Concrete, N>{s, e.first, e.second, so.out, so.next}, here, never);
                  }
            }
            return refused == 1 && !((seed_bits >> g) & 1u);
          };
          goals(&ms.reached, StepCtx<Concrete, N>{s, op, a, st.out, st.next}, here, direct);
          if (st.out.kind != K_OK || d + 1 >= lim.depth) continue;
          const auto k = key(st.next);
          if (covered(k, d + 1) || mseen.count(k)) continue;
          if (static_cast<long>(mseen.size()) >= lim.mutant_states) {
            ms.budget_hit = true;
            continue;
          }
          mseen.insert(k);
          nodes.push_back({n, op, a});
          levels[d + 1].emplace_back(static_cast<int>(nodes.size()) - 1, st.next);
        }
      }
    }
    ms.states = static_cast<long>(mseen.size());
  }
  return out;
}

}  // namespace ptm::proofs
