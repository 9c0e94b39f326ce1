#include "proofs/verify.hpp"

#include <z3++.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "proofs/workers.hpp"

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

// One operation's obligations at table size n (explicitly instantiated in
// verify_nN.cpp).
std::vector<Result> prove_one(int n, const Op& op, const std::string& name, const KeepObligation& keep,
                              unsigned timeout_ms, const std::string& smt2_dir) {
#define PTM_CASE(k) \
  case k: return prove_seed_operation<k>(op, name, keep, timeout_ms, smt2_dir);
  switch (n) { PTM_SIZES(PTM_CASE) }
#undef PTM_CASE
  throw std::invalid_argument("table size must be 2..6");
}

// Results as text, for a proof process to hand back.
void put(std::string& out, const std::string& field) { out += std::to_string(field.size()) + ":" + field; }
std::string take(const std::string& in, std::size_t& at) {
  const std::size_t colon = in.find(':', at);
  if (colon == std::string::npos) throw std::runtime_error("proofs/verify.cpp: a proof process's results are cut short");
  const std::size_t len = std::stoul(in.substr(at, colon - at));
  if (colon + 1 + len > in.size()) throw std::runtime_error("proofs/verify.cpp: a proof process's results are cut short");
  at = colon + 1 + len;
  return in.substr(colon + 1, len);
}
std::string encode(const std::vector<Result>& rs, double ended) {
  std::string out;
  put(out, std::to_string(ended));
  put(out, std::to_string(rs.size()));
  for (const auto& r : rs) {
    put(out, r.ob.op_name);
    put(out, r.ob.property);
    put(out, r.ob.invariant ? "1" : "0");
    put(out, std::to_string(static_cast<int>(r.verdict)));
    put(out, std::to_string(r.seconds));
    put(out, r.reason);
    put(out, r.cti);
    put(out, r.second);
  }
  return out;
}
// The results of a job whose operation is `op` (every result of a job is about it).
void decode(const std::string& in, const Op& op, std::vector<Result>& rs, double& ended) {
  std::size_t at = 0;
  ended = std::stod(take(in, at));
  const std::size_t count = std::stoul(take(in, at));
  rs.clear();
  for (std::size_t k = 0; k < count; ++k) {
    Result r;
    r.ob.op = op;
    r.ob.op_name = take(in, at);
    r.ob.property = take(in, at);
    r.ob.invariant = take(in, at) == "1";
    r.verdict = static_cast<Verdict>(std::stoi(take(in, at)));
    r.seconds = std::stod(take(in, at));
    r.reason = take(in, at);
    r.cti = take(in, at);
    r.second = take(in, at);
    rs.push_back(r);
  }
}

// The proofs, bounded (every operation at N = 2..procs) and for every N, as
// one list of jobs that opt.threads processes take in order, each with its
// own Z3. The every-N jobs come first and the largest tables next: the
// longest jobs start first, so the two processes end close together. Results
// are put back in list order, so the report does not depend on which process
// ran what.
void prove_all(const VerifyOptions& opt, VerifyReport& rep) {
  const auto t0 = std::chrono::steady_clock::now();
  const unsigned every_n_timeout = std::min(opt.every_n_timeout_ms, opt.timeout_ms);
  const auto obs = all_obligations();
  std::map<std::pair<std::string, std::string>, int> index;
  for (std::size_t i = 0; i < obs.size(); ++i) index[{obs[i].op_name, obs[i].property}] = static_cast<int>(i);
  std::map<std::string, int> op_index;
  for (const auto& [op, name] : all_operations()) op_index.emplace(name, static_cast<int>(op_index.size()));
  const KeepObligation keep = [&](const Obligation& ob) {
    if (opt.shard_operations) return op_index.at(ob.op_name) % opt.shards == opt.shard;
    return index.at({ob.op_name, ob.property}) % opt.shards == opt.shard;
  };
  auto op_kept = [&](const std::string& name) {
    return !opt.shard_operations || op_index.at(name) % opt.shards == opt.shard;
  };
  struct Job {
    int n;          // 0: for every N
    bool initial;   // the every-N initial state
    Op op;
    std::string name;
    std::vector<Result> out;
    double ended = 0;  // seconds after t0
  };
  std::vector<Job> jobs;
  if (opt.every_n) {
    jobs.push_back({0, true, Op{}, "the initial state", {}, 0});
    for (const auto& [op, name] : all_operations())
      if (op_kept(name)) jobs.push_back({0, false, op, name, {}, 0});
  }
  const auto ops = all_operations();
  for (int n = opt.procs; n >= 2; --n)
    for (const auto& [op, name] : ops)
      if (op_kept(name)) jobs.push_back({n, false, op, name, {}, 0});
  auto run_job = [&](Job& j) {
    if (j.n == 0 && j.initial)
      j.out = initial_every_n(every_n_timeout);
    else if (j.n == 0)
      j.out = prove_every_n_operation(j.op, j.name, keep, every_n_timeout);
    else
      j.out = prove_one(j.n, j.op, j.name, keep, opt.timeout_ms, j.n == opt.procs ? opt.smt2_dir : "");
    j.ended = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (opt.progress)
      opt.progress(j.n == 0 ? "proved for every N: " + j.name : "proved at N = " + std::to_string(j.n) + ": " + j.name);
  };
  // Side by side in opt.threads processes, not threads (proofs/workers.hpp
  // says why); this process reads the results back in list order, so the
  // report does not depend on which process ran what. One process
  // (--threads 1) still runs apart, for the time limit below.
  // A job's time: each obligation's Z3 limit, and for every N the second
  // solver's (twice as long), and a margin; past it, Z3 did not stop at its
  // limit, and the job's obligations are unknown.
  const std::size_t per_job = obs.size() / std::max<std::size_t>(1, ops.size());
  auto limit = [&](std::size_t i) {
    const double each = jobs[i].n == 0 ? 3.0 * every_n_timeout / 1000 + 1 : opt.timeout_ms / 1000.0 + 1;
    return 30.0 + static_cast<double>(per_job) * each;
  };
  // A job stopped for its time: its obligations unknown, as when Z3 fails
  // while a job's queries are built (the initial state's then stay open).
  auto overran = [&](std::size_t i, double ran) {
    const Job& j = jobs[i];
    const std::string why = "Z3 did not stop at its time limit; its process was stopped after " +
                            std::to_string(static_cast<int>(ran)) + " s";
    std::vector<Result> rs;
    if (j.n == 0 && !j.initial) rs = every_n_unknown(j.op, j.name, keep, why);
    if (j.n > 0)
      for (const auto& ob : obs)
        if (ob.op_name == j.name && keep(ob)) rs.push_back({ob, UNKNOWN, ran, why, "", ""});
    return encode(rs, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  };
  run_in_processes(jobs.size(), std::max(1, opt.threads), [&](std::size_t i) {
    run_job(jobs[i]);
    return encode(jobs[i].out, jobs[i].ended);
  }, limit, overran, [&](std::size_t i, const std::string& text) { decode(text, jobs[i].op, jobs[i].out, jobs[i].ended); },
  // Z3's memory grows from job to job in one process (a default run under
  // modern reached --max-memory in both, and every later obligation was
  // unknown): a process past half of it ends, and a job during which it ran
  // out runs again in a fresh one.
  [&] {
    if (g_z3_exhausted) return Spent::RETRY;
    return Z3_get_estimated_alloc_size() > std::uint64_t{opt.max_memory_mb} * 1024 * 1024 / 2 ? Spent::RETIRE
                                                                                               : Spent::KEEP_GOING;
  });
  // The invariants are the hypotheses of every proof for every N: one that
  // Z3 left at its every-N limit leaves every property bounded. Those (a few,
  // near the limit: INV_GHOSTS through takesig, INV_TABLE through PT_ATTACH)
  // are tried once more with --timeout (default 10 s) instead.
  const unsigned again_timeout = std::max(every_n_timeout, opt.timeout_ms);
  struct Again {
    std::size_t job;
    std::set<std::string> props;
    std::vector<Result> out;
  };
  std::vector<Again> again;
  if (again_timeout > every_n_timeout)
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].n != 0 || jobs[i].initial) continue;
      Again a{i, {}, {}};
      for (const auto& r : jobs[i].out)
        if (r.ob.invariant && r.verdict == UNKNOWN && r.cti.empty()) a.props.insert(r.ob.property);
      if (!a.props.empty()) again.push_back(std::move(a));
    }
  if (!again.empty()) {
    run_in_processes(
        again.size(), std::max(1, opt.threads),
        [&](std::size_t k) {
          const Job& j = jobs[again[k].job];
          const auto& props = again[k].props;
          auto these = [&](const Obligation& ob) { return ob.invariant && props.count(ob.property) > 0; };
          return encode(prove_every_n_operation(j.op, j.name, these, again_timeout), 0);
        },
        [&](std::size_t k) { return 30.0 + static_cast<double>(again[k].props.size()) * (3.0 * again_timeout / 1000 + 1); },
        [&](std::size_t k, double ran) {
          const Job& j = jobs[again[k].job];
          const auto& props = again[k].props;
          auto these = [&](const Obligation& ob) { return ob.invariant && props.count(ob.property) > 0; };
          return encode(every_n_unknown(j.op, j.name, these,
                                        "Z3 did not stop at its time limit; its process was stopped after " +
                                            std::to_string(static_cast<int>(ran)) + " s"),
                        0);
        },
        [&](std::size_t k, const std::string& text) {
          double ended = 0;
          decode(text, jobs[again[k].job].op, again[k].out, ended);
        });
    for (auto& a : again)
      for (auto& r : jobs[a.job].out)
        for (const auto& b : a.out)
          if (b.ob.property == r.ob.property && b.ob.invariant == r.ob.invariant) {
            r = b;
            if (r.verdict == UNKNOWN) r.reason += " (also at " + std::to_string(again_timeout) + " ms)";
            else r.reason = "at " + std::to_string(again_timeout) + " ms, after the " +
                            std::to_string(every_n_timeout) + " ms limit" + (r.reason.empty() ? "" : "; " + r.reason);
          }
    rep.every_n_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  for (int n = 2; n <= opt.procs; ++n) rep.results[n];
  for (auto& j : jobs) {
    auto& dst = j.n == 0 ? (j.initial ? rep.every_n_initial : rep.every_n) : rep.results[j.n];
    dst.insert(dst.end(), j.out.begin(), j.out.end());
    (j.n == 0 ? rep.every_n_seconds : rep.prove_seconds) =
        std::max(j.n == 0 ? rep.every_n_seconds : rep.prove_seconds, j.ended);
  }
}

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

// One leg: an alphabet at one table size, searched breadth-first until its
// space is exhausted, the state budget, the depth cap or the deadline.
std::optional<SearchLeg> run_leg(Board& board, explore::Alphabet alpha, int n, const SearchLimits& opt,
                                 std::chrono::steady_clock::time_point deadline) {
  if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
  auto [props, cells] = board.open(n);
  if (props.empty() && cells.empty()) return std::nullopt;
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
  if (opt.progress) opt.progress("searching (" + leg.alphabet + " alphabet) at N = " + std::to_string(n));
  return leg;
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
  // The legs, one per alphabet and table size, in the order two threads (this
  // machine's two cores; one unless side_by_side) take them: the search
  // alphabet at N = 2..5, then the complete alphabet, whose space is far
  // larger, at N = 2..3, then the search alphabet at N = 6 and the complete
  // alphabet at N >= 4. So a larger table is started while a smaller one is
  // still being searched: a witness that needs five processes (the PT_ATTACH
  // walk hang) is not left waiting for N = 4's whole budget. A leg at N looks
  // only for what no smaller table has shown when it starts, and stops once
  // other legs have shown the rest below N. Every leg reads the semantics and
  // the removed checks in force (process-wide globals), so a mutant is
  // searched as such.
  using A = explore::Alphabet;
  std::vector<std::pair<A, int>> order;
  for (int n = 2; n <= std::min(lim.search_procs, 5); ++n) order.emplace_back(A::search, n);
  for (int n = 2; n <= std::min(lim.complete_procs, 3); ++n) order.emplace_back(A::complete, n);
  for (int n = 6; n <= lim.search_procs; ++n) order.emplace_back(A::search, n);
  // The complete alphabet at N >= 4 last: it passes a million states within a few steps.
  for (int n = 4; n <= lim.complete_procs; ++n) order.emplace_back(A::complete, n);
  std::vector<std::optional<SearchLeg>> legs(order.size());
  std::atomic<std::size_t> next{0};
  std::mutex m;
  // An exception (out of memory under a ulimit) in either thread is rethrown
  // here once both have ended: from a thread it would terminate the process.
  std::exception_ptr failed;
  const SemanticsMask sem = current_semantics();  // as in prove_all
  auto work = [&] {
    SemanticsScope under(sem);
    try {
      for (std::size_t i; (i = next++) < order.size();)
        legs[i] = run_leg(board, order[i].first, order[i].second, lim, deadline);
    } catch (...) {
      std::lock_guard<std::mutex> g(m);
      if (!failed) failed = std::current_exception();
    }
  };
  if (lim.side_by_side) {
    std::thread second(work);
    work();
    second.join();
  } else {
    work();
  }
  if (failed) std::rethrow_exception(failed);
  for (auto alpha : {A::search, A::complete})
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i].first == alpha && legs[i]) out.legs.push_back(*legs[i]);
  out.best = std::move(board.best);
  out.through = std::move(board.best_through);
  return out;
}

void cross_check(VerifyReport& rep, const std::map<int, std::vector<std::string>>& broken) {
  std::set<std::pair<std::string, std::string>> every_n;  // (operation, property) proved for every N
  for (const auto& r : rep.every_n) {
    if (r.verdict == PROVED) every_n.insert({r.ob.op_name, r.ob.property});
    if (r.verdict == PROVED && r.second == "sat")  // --recheck-cvc5: the second solver finds a model
      rep.disagreements.push_back(r.ob.op_name + " preserves " + r.ob.property +
                                  " for every N by Z3, but cvc5 finds the negation satisfiable");
  }
  for (const auto& [n, results] : rep.results)
    for (const auto& r : results) {
      if (!every_n.count({r.ob.op_name, r.ob.property})) continue;
      ++rep.cross_checked;
      if (r.verdict == CTI)
        rep.disagreements.push_back(r.ob.op_name + " preserves " + r.ob.property +
                                    " for every N, but has a counterexample to induction at N = " +
                                    std::to_string(n) + ": " + r.cti);
    }
  for (const auto& r : rep.every_n_initial) {
    if (r.verdict != PROVED) continue;
    for (const auto& [n, ids] : broken) {
      ++rep.cross_checked;
      if (std::find(ids.begin(), ids.end(), r.ob.property) != ids.end())
        rep.disagreements.push_back("the initial state keeps " + r.ob.property +
                                    " for every N, but breaks it at N = " + std::to_string(n));
    }
  }
}

VerifyReport verify(const VerifyOptions& opt) {
  if (opt.procs < 2 || opt.procs > 6) throw std::invalid_argument("--procs must be 2..6");
  // Z3's memory limit: a query that reaches it answers unknown ("memout"),
  // which is reported as unknown, never as proved.
  z3::set_param("memory_max_size", static_cast<int>(opt.max_memory_mb));
  recheck_with_cvc5(opt.recheck_cvc5);
  VerifyReport rep;
  rep.opt = opt;
  prove_all(opt, rep);
  std::map<int, std::vector<std::string>> broken;
  for (int n = 2; n <= opt.procs; ++n) broken[n] = initially_broken(n);
  cross_check(rep, broken);
  auto add_verdict = [&](std::string id, std::string statement, bool inv, bool is_step) {
    PropertyVerdict v;
    v.id = id;
    v.statement = statement;
    v.invariant = inv;
    EveryNColumn& e = v.every_n;
    e.run = opt.every_n;
    e.stated = inv || stated_for_every_n(id);
    e.operations = static_cast<int>(all_operations().size());
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
