// Bounded reachability: breadth-first search from the initial state over the
// concrete model, to a given depth, with a finite alphabet of operations per
// state. It is exhaustive within the depth and the alphabet, and finds the
// shortest trace to the first state (or step) that breaks each property.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "explore/alphabet.hpp"
#include "explore/canonical.hpp"
#include "model/properties.hpp"
#include "model/operations.hpp"

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

// A violation is found *through* an operation: the step that breaks it.
using Cell = std::pair<std::string, std::string>;  // (property, operation name)

struct ReachOptions {
  int max_depth = 7;
  long max_states = 2'000'000;
  explore::Alphabet alphabet = explore::Alphabet::complete;
  // States that differ only in how processes, pids and prisons are numbered are
  // searched once (explore/canonical.hpp; //explore:symmetry_test checks that
  // the rules cannot tell them apart). The witness is the trace to the state
  // actually reached, not to its representative.
  bool symmetry = true;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Asked now and then: true when nothing is left to find (another search
  // running beside this one found the rest).
  std::function<bool()> stop;
};

struct ReachResult {
  std::map<std::string, Trace> violations;  // property -> shortest trace
  std::map<Cell, Trace> through;             // (property, operation) -> shortest trace ending in that operation
  int depth_done = 0;                        // every state within this depth was explored
  long states = 0;
  bool budget_hit = false;                   // the state budget stopped it
  bool time_hit = false;                     // the deadline stopped it
  bool stopped = false;                      // opt.stop said the rest was found elsewhere
  bool exhausted = false;                    // no state was left to explore: the whole space within the alphabet
};

// Searches for a reachable violation of each property in `wanted`, and of each
// (property, operation) in `cells`; stops when all are found, at max_depth,
// at the state budget or at the deadline. Memory: a digest per visited state,
// the operation that reached it and its parent, and the states of one depth
// at a time.
template <int N>
ReachResult reach(const std::vector<std::string>& wanted, const std::vector<Cell>& cells, const ReachOptions& opt) {
  ReachResult res;
  struct Node {
    int parent;
    Op op;
    Args<C> args;
  };
  std::vector<Node> nodes;
  std::unordered_set<std::uint64_t> seen;
  auto key = [&](const State<C, N>& s) {
    std::uint64_t h = 0;
    digest(opt.symmetry ? explore::canonical<N>(s, explore::Reduction::full) : s, h);
    return h;
  };
  auto trace_to = [&](int n) {
    Trace t;
    for (; n > 0; n = nodes[n].parent) t.emplace_back(nodes[n].op, nodes[n].args);
    std::reverse(t.begin(), t.end());
    return t;
  };
  const std::set<std::string> want(wanted.begin(), wanted.end());
  const std::set<Cell> want_cells(cells.begin(), cells.end());
  nodes.push_back({-1, Op{}, default_args<C>()});
  std::vector<std::pair<int, State<C, N>>> frontier{{0, initial_state<C, N>()}};
  seen.insert(key(frontier[0].second));
  auto open = [&] { return res.violations.size() < want.size() || res.through.size() < want_cells.size(); };
  long expanded = 0;
  for (int depth = 0; depth < opt.max_depth && open() && !frontier.empty() && !res.time_hit && !res.stopped; ++depth) {
    std::vector<std::pair<int, State<C, N>>> next;
    for (const auto& node : frontier) {
      const int n = node.first;  // no structured bindings below: clang 14 cannot capture them
      const State<C, N>& s = node.second;
      if ((++expanded & 255) == 0) {
        if (opt.deadline && std::chrono::steady_clock::now() > *opt.deadline) res.time_hit = true;
        if (opt.stop && opt.stop()) res.stopped = true;
        if (res.time_hit || res.stopped) break;
      }
      // A state property is violated *through* an operation when it held before the step.
      std::array<bool, kPropertyCount> held{};
      {
        int k = 0;
        hana::for_each(kProperties, [&](auto t) {
          using P = typename decltype(t)::type;
          if constexpr (P::is_step)
            held[k++] = true;
          else
            held[k++] = P::template holds<C, N>(s);
        });
      }
      for (const auto& entry : alphabet<N>(s, opt.alphabet)) {
        const Op& op = entry.first;
        const Args<C>& a = entry.second;
        auto st = step_or_fault<N>(s, op, a);
        StepCtx<C, N> ctx{s, op, a, st.out, st.next};
        std::string opname;
        int k = -1;
        for_each_property<C, N>(ctx, [&](std::string_view id, auto, bool holds) {
          ++k;
          if (holds) return;
          std::string sid(id);
          if (want.count(sid) && !res.violations.count(sid)) {
            Trace t = trace_to(n);
            t.emplace_back(op, a);
            res.violations[sid] = t;
          }
          if (want_cells.empty() || !held[k]) return;
          if (opname.empty()) opname = operation_name(op);
          Cell c{sid, opname};
          if (want_cells.count(c) && !res.through.count(c)) {
            Trace t = trace_to(n);
            t.emplace_back(op, a);
            res.through[c] = t;
          }
        });
        if (st.out.kind != K_OK) continue;  // errors, blocks, hangs and faults change nothing
        if (!seen.insert(key(st.next)).second) continue;
        if (static_cast<long>(nodes.size()) >= opt.max_states) {
          res.budget_hit = true;
          continue;
        }
        nodes.push_back({n, op, a});
        next.emplace_back(static_cast<int>(nodes.size()) - 1, st.next);
      }
    }
    frontier = std::move(next);
    if (!res.budget_hit && !res.time_hit && !res.stopped) res.depth_done = depth + 1;
  }
  res.exhausted = frontier.empty() && !res.budget_hit && !res.time_hit && !res.stopped;
  res.states = static_cast<long>(nodes.size());
  return res;
}

// The search as the first round ran it: the search alphabet, no symmetry.
template <int N>
ReachResult reach(const std::vector<std::string>& wanted, int max_depth, long max_states) {
  ReachOptions o;
  o.max_depth = max_depth;
  o.max_states = max_states;
  o.alphabet = explore::Alphabet::search;
  o.symmetry = false;
  return reach<N>(wanted, {}, o);
}

}  // namespace ptm::proofs
