#include "proofs/verify.hpp"

#include <z3++.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace ptm::proofs {

#define PTM_SIZES(X) X(2) X(3) X(4) X(5) X(6)
#define PTM_DECLARE(n)                                                                                      \
  std::vector<Result> prove_matrix_##n(const VerifyOptions&);                                               \
  ReachResult reach_##n(const std::vector<std::string>&, const std::vector<Cell>&, const ReachOptions&); \
  std::vector<std::string> initially_broken_##n();
PTM_SIZES(PTM_DECLARE)
#undef PTM_DECLARE

std::vector<Result> prove_matrix(int n, const VerifyOptions& opt) {
#define PTM_CASE(k) \
  case k: return prove_matrix_##k(opt);
  switch (n) { PTM_SIZES(PTM_CASE) }
#undef PTM_CASE
  throw std::invalid_argument("table size must be 2..6");
}

ReachResult reach_at(int n, const std::vector<std::string>& wanted, const std::vector<Cell>& cells,
                     const ReachOptions& o) {
#define PTM_CASE(k) \
  case k: return reach_##k(wanted, cells, o);
  switch (n) { PTM_SIZES(PTM_CASE) }
#undef PTM_CASE
  throw std::invalid_argument("table size must be 2..6");
}

std::vector<std::string> initially_broken(int n) {
#define PTM_CASE(k) \
  case k: return initially_broken_##k();
  switch (n) { PTM_SIZES(PTM_CASE) }
#undef PTM_CASE
  throw std::invalid_argument("table size must be 2..6");
}

namespace {

// What the two legs of the witness search share: what is still wanted, and the
// best witness found for each property and each (property, operation).
struct Board {
  std::mutex m;
  std::set<std::string> props;
  std::set<Cell> cells;
  std::map<std::string, Found> best;
  std::map<Cell, Found> best_through;
  // Has the other leg found all of these at a table smaller than n (so that
  // nothing a search at n finds could be better)?
  bool found_below(int n, const std::vector<std::string>& ps, const std::vector<Cell>& cs) {
    std::lock_guard<std::mutex> g(m);
    for (const auto& id : ps)
      if (auto it = best.find(id); it == best.end() || it->second.procs >= n) return false;
    for (const auto& c : cs)
      if (auto it = best_through.find(c); it == best_through.end() || it->second.procs >= n) return false;
    return true;
  }
  void merge(int n, const ReachResult& r) {
    std::lock_guard<std::mutex> g(m);
    for (const auto& [id, t] : r.violations) {
      Found f{t, n};
      auto it = best.find(id);
      if (it == best.end() || f.better_than(it->second)) best[id] = f;
    }
    for (const auto& [c, t] : r.through) {
      Found f{t, n};
      auto it = best_through.find(c);
      if (it == best_through.end() || f.better_than(it->second)) best_through[c] = f;
    }
  }
  // What a search at table size n still has to look for: what no smaller table showed.
  std::pair<std::vector<std::string>, std::vector<Cell>> open(int n) {
    std::lock_guard<std::mutex> g(m);
    std::vector<std::string> p;
    std::vector<Cell> c;
    for (const auto& id : props)
      if (auto it = best.find(id); it == best.end() || it->second.procs > n) p.push_back(id);
    for (const auto& cell : cells)
      if (auto it = best_through.find(cell); it == best_through.end() || it->second.procs > n) c.push_back(cell);
    return {p, c};
  }
};

// One leg: an alphabet, the table grown from 2 to max_n, each size searched
// breadth-first until its space is exhausted, the state budget or the depth cap.
std::vector<SearchLeg> run_leg(Board& board, explore::Alphabet alpha, int max_n, const SearchLimits& opt,
                               std::chrono::steady_clock::time_point deadline) {
  std::vector<SearchLeg> legs;
  for (int n = 2; n <= max_n; ++n) {
    if (std::chrono::steady_clock::now() > deadline) break;
    auto [props, cells] = board.open(n);
    if (props.empty() && cells.empty()) continue;
    ReachOptions o;
    o.max_depth = opt.depth;
    o.max_states = opt.max_states;
    o.alphabet = alpha;
    o.deadline = deadline;
    o.stop = [&board, n, &props = props, &cells = cells] { return board.found_below(n, props, cells); };
    auto t0 = std::chrono::steady_clock::now();
    auto r = reach_at(n, props, cells, o);
    board.merge(n, r);
    SearchLeg leg;
    leg.alphabet = alpha == explore::Alphabet::complete ? "complete" : "search";
    leg.procs = n;
    leg.depth_done = r.depth_done;
    leg.states = r.states;
    leg.stopped = r.exhausted     ? "exhausted"
                  : r.time_hit    ? "time budget"
                  : r.budget_hit  ? "state budget"
                  : r.stopped     ? "all found"
                  : r.depth_done >= opt.depth ? "depth cap"
                                              : "all found";
    leg.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    legs.push_back(leg);
    if (opt.progress) opt.progress("searching (" + leg.alphabet + " alphabet) at N = " + std::to_string(n));
  }
  return legs;
}

}  // namespace

WitnessSearch search_witnesses(const std::vector<std::string>& props, const std::vector<Cell>& cells,
                               const SearchLimits& lim) {
  WitnessSearch out;
  if (lim.budget_seconds <= 0) return out;
  Board board;
  board.props.insert(props.begin(), props.end());
  board.cells.insert(cells.begin(), cells.end());
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(lim.budget_seconds * 1000));
  // Two legs side by side (this machine's two cores): the search alphabet
  // grows the table to search_procs; the complete alphabet, whose space is
  // far larger, to complete_procs. Both read the semantics and the removed
  // checks in force (process-wide globals), so a mutant is searched as such.
  std::vector<SearchLeg> complete_legs;
  // An exception (out of memory under a ulimit) in either leg is rethrown
  // here once both have ended: from a thread it would terminate the process.
  std::exception_ptr second_failed, first_failed;
  auto complete = [&] {
    try {
      complete_legs = run_leg(board, explore::Alphabet::complete, lim.complete_procs, lim, deadline);
    } catch (...) {
      second_failed = std::current_exception();
    }
  };
  if (lim.side_by_side) {
    std::thread second(complete);
    try {
      out.legs = run_leg(board, explore::Alphabet::search, lim.search_procs, lim, deadline);
    } catch (...) {
      first_failed = std::current_exception();
    }
    second.join();
    if (first_failed) std::rethrow_exception(first_failed);
    if (second_failed) std::rethrow_exception(second_failed);
  } else {
    out.legs = run_leg(board, explore::Alphabet::search, lim.search_procs, lim, deadline);
    complete();
    if (second_failed) std::rethrow_exception(second_failed);
  }
  out.legs.insert(out.legs.end(), complete_legs.begin(), complete_legs.end());
  out.best = std::move(board.best);
  out.through = std::move(board.best_through);
  return out;
}

VerifyReport verify(const VerifyOptions& opt) {
  if (opt.procs < 2 || opt.procs > 6) throw std::invalid_argument("--procs must be 2..6");
  // Z3's memory limit: a query that reaches it answers unknown ("memout"),
  // which is reported as unknown, never as proved.
  z3::set_param("memory_max_size", static_cast<int>(opt.max_memory_mb));
  VerifyReport rep;
  rep.opt = opt;
  auto t0 = std::chrono::steady_clock::now();
  for (int n = 2; n <= opt.procs; ++n) rep.results[n] = prove_matrix(n, opt);
  rep.prove_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opt.every_n) {
    const auto te = std::chrono::steady_clock::now();
    const unsigned timeout = std::min(opt.every_n_timeout_ms, opt.timeout_ms);
    const auto obs = all_obligations();
    std::map<std::pair<std::string, std::string>, int> index;
    for (std::size_t i = 0; i < obs.size(); ++i) index[{obs[i].op_name, obs[i].property}] = static_cast<int>(i);
    auto keep = [&](const Obligation& ob) { return index.at({ob.op_name, ob.property}) % opt.shards == opt.shard; };
    if (opt.progress) opt.progress("proving for every N: the initial state");
    rep.every_n_initial = initial_every_n(timeout);
    for (const auto& [op, name] : ops_lifted_to_every_n()) {
      if (opt.progress) opt.progress("proving for every N: " + name);
      auto res = prove_every_n_operation(op, name, keep, timeout);
      rep.every_n.insert(rep.every_n.end(), res.begin(), res.end());
    }
    rep.every_n_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
  }

  std::map<int, std::vector<std::string>> broken;
  for (int n = 2; n <= opt.procs; ++n) broken[n] = initially_broken(n);
  const auto not_lifted = ops_not_lifted_to_every_n();
  auto add_verdict = [&](std::string id, std::string statement, bool inv, bool is_step) {
    PropertyVerdict v;
    v.id = id;
    v.statement = statement;
    v.invariant = inv;
    EveryNColumn& e = v.every_n;
    e.run = opt.every_n;
    e.stated = inv || stated_for_every_n(id);
    e.operations = static_cast<int>(all_operations().size());
    for (const auto& [op, name] : not_lifted) e.not_lifted.push_back(name);
    if (!is_step) e.initial = UNKNOWN;  // until its query says otherwise
    for (const auto& r : rep.every_n_initial)
      if (r.ob.property == id) e.initial = r.verdict;
    for (const auto& r : rep.every_n) {
      if (r.ob.property != id) continue;
      if (r.verdict == PROVED) ++e.proved;
      if (r.verdict == CTI) e.cti++, e.cti_ops.push_back(r.ob.op_name);
      if (r.verdict == UNKNOWN) e.unknown++, e.unknown_ops.push_back(r.ob.op_name);
    }
    for (const auto& [n, ids] : broken)
      if (std::find(ids.begin(), ids.end(), id) != ids.end() && !v.initial_fails_at) v.initial_fails_at = n;
    v.initial_holds = v.initial_fails_at == 0;
    for (const auto& [n, results] : rep.results) {
      Column& c = v.at[n];
      for (const auto& r : results) {
        if (r.ob.property != id) continue;
        if (r.verdict == PROVED) ++c.proved;
        if (r.verdict == CTI) {
          ++c.cti, c.cti_ops.push_back(r.ob.op_name);
          if (std::find(v.cti_ops.begin(), v.cti_ops.end(), r.ob.op_name) == v.cti_ops.end())
            v.cti_ops.push_back(r.ob.op_name);
        }
        if (r.verdict == UNKNOWN) ++c.unknown, c.unknown_ops.push_back(r.ob.op_name);
      }
    }
    rep.verdicts.push_back(v);
  };
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    add_verdict(std::string(P::id), std::string(P::statement), false, P::is_step);
  });
  hana::for_each(kInvariants, [&](auto t) {
    using I = typename decltype(t)::type;
    add_verdict(std::string(I::id), std::string(I::statement), true, false);
  });

  // The witness search: every property (one that holds for N <= procs may not
  // hold at a larger table, and one found violated at a size where it is
  // proved would be a contradiction, reported as such), and through every
  // operation whose induction fails at some size.
  std::vector<std::string> props;
  std::vector<Cell> cells;
  for (const auto& v : rep.verdicts) {
    if (v.invariant) continue;
    props.push_back(v.id);
    for (const auto& op : v.cti_ops) cells.push_back({v.id, op});
  }
  auto t1 = std::chrono::steady_clock::now();
  SearchLimits lim{.search_procs = opt.search_procs,
                   .complete_procs = std::min(opt.search_procs, 4),
                   .depth = opt.depth,
                   .max_states = opt.max_states,
                   .budget_seconds = opt.budget_seconds,
                   .progress = opt.progress};
  auto found = search_witnesses(props, cells, lim);
  rep.search = found.legs;
  rep.search_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  for (auto& v : rep.verdicts) {
    if (auto it = found.best.find(v.id); it != found.best.end()) v.witness = it->second;
    for (const auto& [c, f] : found.through)
      if (c.first == v.id) v.through[c.second] = f;
  }
  return rep;
}

}  // namespace ptm::proofs
