// Bounded reachability: breadth-first search from the initial state over the
// concrete model, to a given depth, with a finite alphabet of operations per
// state. It is exhaustive within the depth and the alphabet, and finds the
// shortest trace to the first state (or step) that breaks each property.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "explore/alphabet.hpp"
#include "model/properties.hpp"

namespace ptm::proofs {

using C = Concrete;
using Trace = std::vector<std::pair<Op, Args<C>>>;
using explore::alphabet;

// A 64-bit digest of a state, for the visited set (every field, mixed).
template <class T>
void digest(const T& v, std::uint64_t& h) {
  if constexpr (hana::Struct<T>::value) {
    hana::for_each(hana::keys(v), [&](auto key) { digest(hana::at_key(v, key), h); });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (const auto& x : v) digest(x, h);
  } else {
    std::uint64_t z = h + 0x9e3779b97f4a7c15ull + static_cast<std::uint64_t>(v);  // splitmix64 step
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    h = z ^ (z >> 31);
  }
}

struct ReachResult {
  std::map<std::string, Trace> violations;  // property -> shortest trace
  int depth_done = 0;                        // every state within this depth was explored
  long states = 0;
  bool budget_hit = false;
};

// Searches for a reachable violation of each property in `wanted`. Memory: a
// digest per visited state, the operation that reached it and its parent, and
// the states of one depth at a time.
template <int N>
ReachResult reach(const std::vector<std::string>& wanted, int max_depth, long max_states) {
  ReachResult res;
  struct Node {
    int parent;
    Op op;
    Args<C> args;
  };
  std::vector<Node> nodes;
  std::unordered_set<std::uint64_t> seen;
  auto key = [](const State<C, N>& s) {
    std::uint64_t h = 0;
    digest(s, h);
    return h;
  };
  auto trace_to = [&](int n) {
    Trace t;
    for (; n > 0; n = nodes[n].parent) t.emplace_back(nodes[n].op, nodes[n].args);
    std::reverse(t.begin(), t.end());
    return t;
  };
  nodes.push_back({-1, Op{}, default_args<C>()});
  std::vector<std::pair<int, State<C, N>>> frontier{{0, initial_state<C, N>()}};
  seen.insert(key(frontier[0].second));
  auto open = [&] {
    for (const auto& w : wanted)
      if (!res.violations.count(w)) return true;
    return false;
  };
  for (int depth = 0; depth < max_depth && open() && !frontier.empty(); ++depth) {
    std::vector<std::pair<int, State<C, N>>> next;
    for (const auto& [n, s] : frontier) {
      for (const auto& [op, a] : alphabet<N>(s)) {
        auto st = step_or_fault<N>(s, op, a);
        StepCtx<C, N> ctx{s, op, a, st.out, st.next};
        for_each_property<C, N>(ctx, [&](std::string_view id, auto, bool holds) {
          if (holds) return;
          std::string sid(id);
          if (!res.violations.count(sid) && std::find(wanted.begin(), wanted.end(), sid) != wanted.end()) {
            Trace t = trace_to(n);
            t.emplace_back(op, a);
            res.violations[sid] = t;
          }
        });
        if (st.out.kind != K_OK) continue;  // errors, blocks, hangs and faults change nothing
        if (!seen.insert(key(st.next)).second) continue;
        if (static_cast<long>(nodes.size()) >= max_states) {
          res.budget_hit = true;
          continue;
        }
        nodes.push_back({n, op, a});
        next.emplace_back(static_cast<int>(nodes.size()) - 1, st.next);
      }
    }
    frontier = std::move(next);
    if (!res.budget_hit) res.depth_done = depth + 1;
  }
  res.states = static_cast<long>(nodes.size());
  return res;
}

}  // namespace ptm::proofs
