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

#include "model/properties.hpp"

namespace ptm::proofs {

using C = Concrete;
using Trace = std::vector<std::pair<Op, Args<C>>>;

// The operations tried in a state: every request from every process that can
// run at every process (and a pid never used), resuming requests with data 0
// and an invalid signal; fork, exit (both ways), wait (any, with and without
// WNOHANG/WUNTRACED), kill with SIGSTOP/SIGKILL/SIGCONT, takesig, exec (both
// steps), getppid; spawn (uid 1001); swap out and start a swap-in.
template <int N>
std::vector<std::pair<Op, Args<C>>> alphabet(const State<C, N>& s) {
  std::vector<std::pair<Op, Args<C>>> out;
  std::vector<std::int64_t> pids;
  for (int i = 0; i < N; ++i)
    if (s.procs[i].p_state != PRS_FREE) pids.push_back(s.procs[i].p_pid);
  pids.push_back(pid_max<N> - 1 == s.lastpid ? 2 : pid_max<N> - 1);  // maybe unused
  auto add = [&](Op op, Args<C> a) { out.emplace_back(op, a); };
  for (int act = 1; act < N; ++act) {
    const auto& p = s.procs[act];
    if (p.p_state != PRS_NORMAL) continue;
    Args<C> a = default_args<C>();
    a.actor = act;
    const bool runs = can_run<C, N>(s, act);
    const bool takes = !P_SHOULDSTOP<C>(p) && !p.P_WEXIT && !p.P_INEXEC;
    if (takes) add(Op{OP_TAKESIG}, a);
    if (p.P_WEXIT) add(Op{OP_EXIT_END}, a);
    if (p.P_INEXEC) add(Op{OP_EXEC_END}, a);
    if (!runs) continue;
    for (Req r : kAllRequests) {
      for (std::int64_t pid : pids) {
        if (r == PT_TRACE_ME && pid != pids.front()) continue;
        Args<C> b = a;
        b.pt.pid = pid;
        b.pt.addr = is_resume_req(r) ? 1 : VA_DATA;
        b.pt.piod_op = PIOD_READ_D;
        b.pt.piod_offs = b.pt.piod_addr = VA_DATA;
        b.pt.piod_len = SIZEOF_INT;
        add(Op{OP_PTRACE, r}, b);
        if (is_resume_req(r)) {
          b.pt.data = _SIG_MAXSIG + 1;
          add(Op{OP_PTRACE, r}, b);
        }
      }
    }
    add(Op{OP_FORK}, a);
    add(Op{OP_EXIT}, a);
    add(Op{OP_EXIT_BEGIN}, a);
    add(Op{OP_EXEC_BEGIN}, a);
    for (std::int64_t opt : {std::int64_t{0}, std::int64_t{BSD_WNOHANG}, std::int64_t{BSD_WUNTRACED}}) {
      Args<C> b = a;
      b.pid = -1;
      b.options = opt;
      add(Op{OP_WAIT}, b);
    }
    for (std::int64_t pid : pids)
      for (std::int64_t sig : {std::int64_t{BSD_SIGSTOP}, std::int64_t{BSD_SIGKILL}, std::int64_t{BSD_SIGCONT}}) {
        Args<C> b = a;
        b.pid = pid;
        b.sig = sig;
        if (pid > 0) add(Op{OP_KILL}, b);
      }
  }
  Args<C> sp = default_args<C>();
  sp.cred.cr_uid = sp.cred.cr_ruid = sp.cred.cr_svuid = 1001;
  sp.cred.cr_groups = {1001, 1001, 1001};
  sp.cred.cr_rgid = sp.cred.cr_svgid = 1001;
  add(Op{OP_SPAWN}, sp);
  for (int i = 2; i < N; ++i) {
    if (s.procs[i].p_state != PRS_NORMAL) continue;
    Args<C> b = default_args<C>();
    b.pid = i;
    add(Op{s.procs[i].PS_INMEM ? OP_SWAPOUT : OP_SWAPIN_BEGIN}, b);
  }
  return out;
}

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
