#include "diff/diff.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>

#include <z3.h>

#include "model/operations.hpp"
#include "proofs/workers.hpp"

namespace ptm::diff {

Stages stages_2();
Stages stages_3();
Stages stages_4();
Stages stages_5();
Stages stages_6();

namespace {
Stages stages(int n) {
  switch (n) {
    case 2: return stages_2();
    case 3: return stages_3();
    case 4: return stages_4();
    case 5: return stages_5();
    case 6: return stages_6();
    default: throw std::invalid_argument("--procs " + std::to_string(n) + ": expected 2..6");
  }
}

// What a Z3 job sends back from its process (proofs/workers.hpp: Z3 runs in
// child processes only, never in this one, so that each has its own time
// limits and one that does not stop can be stopped): one line per kind, per
// operation Z3 gave up on, per every-N row and what it leaves open.
std::string one_line(std::string t) {
  for (auto& ch : t)
    if (ch == '\n' || ch == '\t') ch = ' ';
  return t;
}
std::string encode(const Report& r) {
  std::ostringstream out;
  for (const auto& k : r.kinds)
    out << "K\t" << k.op_index << '\t' << k.outcome << '\t' << k.kind_a << '\t' << k.err_a << '\t' << k.kind_b << '\t'
        << k.err_b << '\t' << k.goal_under_b << '\t' << k.procs << '\t' << one_line(k.field) << '\t' << one_line(k.goal)
        << '\n';
  for (std::size_t i = 0; i < r.unknown.size(); ++i) out << "U\t" << r.unknown_procs[i] << '\t' << one_line(r.unknown[i]) << '\n';
  for (const auto& e : r.every_n) {
    out << "R\t" << e.op_index << '\t' << static_cast<int>(e.verdict) << '\t' << e.found_at << '\t' << e.contradicts
        << '\t' << one_line(e.reason) << '\n';
    for (const auto& o : e.open) out << "O\t" << one_line(o) << '\n';
  }
  return out.str();
}
// Adds what `text` holds to `rep` (kinds already listed at a smaller table are not listed again).
void decode(const std::string& text, Report& rep) {
  const auto ops = all_operations();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    if (line.size() > 1 && line.back() == '\t') f.push_back("");
    if (f.empty()) continue;
    if (f[0] == "K" && f.size() >= 10) {
      Kind k;
      k.op_index = std::stoi(f[1]);
      k.op = ops.at(k.op_index).second;
      k.outcome = f[2] == "1";
      k.kind_a = std::stoi(f[3]), k.err_a = std::stoi(f[4]), k.kind_b = std::stoi(f[5]), k.err_b = std::stoi(f[6]);
      k.goal_under_b = f[7] == "1";
      k.procs = std::stoi(f[8]);
      k.field = f[9];
      k.goal = f.size() > 10 ? f[10] : "";
      add_kind(rep, std::move(k));
    } else if (f[0] == "U" && f.size() >= 3) {
      rep.unknown_procs.push_back(std::stoi(f[1]));
      rep.unknown.push_back(f[2]);
    } else if (f[0] == "R" && f.size() >= 5) {
      EveryNRow e;
      e.op_index = std::stoi(f[1]);
      e.op = ops.at(e.op_index).second;
      e.verdict = static_cast<EveryNRow::Verdict>(std::stoi(f[2]));
      e.found_at = std::stoi(f[3]);
      e.contradicts = f[4] == "1";
      e.reason = f.size() > 5 ? f[5] : "";
      rep.every_n.push_back(std::move(e));
    } else if (f[0] == "O" && f.size() >= 2 && !rep.every_n.empty()) {
      rep.every_n.back().open.push_back(f[1]);
    }
  }
}
}  // namespace

Report run(SemanticsMask a, SemanticsMask b, const Options& opt) {
  if (opt.min_procs < 2 || opt.min_procs > opt.procs) stages(0);  // throws
  Report rep;
  rep.a = a, rep.b = b, rep.procs = opt.procs, rep.min_procs = opt.min_procs;
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  // The kinds: one job per table size and operation, the largest tables
  // first (they take longest), merged smallest first.
  const auto ops = all_operations();
  struct Job {
    int n;
    std::size_t op;
  };
  std::vector<Job> jobs;
  for (int n = opt.procs; n >= opt.min_procs; --n)
    for (std::size_t oi = 0; oi < ops.size(); ++oi) jobs.push_back({n, oi});
  std::vector<std::string> texts(jobs.size());
  const double query = opt.timeout_ms / 1000.0 + 1;
  // A process whose Z3 has grown past 2 GiB ends; a fresh one takes the jobs left.
  auto spent = [] {
    return Z3_get_estimated_alloc_size() > (std::uint64_t{2} << 30) ? proofs::Spent::RETIRE : proofs::Spent::KEEP_GOING;
  };
  proofs::run_in_processes(
      jobs.size(), std::max(1, opt.threads),
      [&](std::size_t i) {
        Report mine;
        mine.a = rep.a, mine.b = rep.b;
        stages(jobs[i].n).kinds(mine, opt, jobs[i].op);
        return encode(mine);
      },
      [&](std::size_t) { return 60 + 20 * query; },
      [&](std::size_t i, double ran) {
        Report mine;
        mine.unknown.push_back(ops[jobs[i].op].second + " at N = " + std::to_string(jobs[i].n) +
                               " (Z3 did not stop at its time limit; stopped after " + std::to_string(static_cast<int>(ran)) +
                               " s)");
        mine.unknown_procs.push_back(jobs[i].n);
        return encode(mine);
      },
      [&](std::size_t i, const std::string& text) { texts[i] = text; }, spent);
  for (int n = opt.min_procs; n <= opt.procs; ++n)  // smallest table first, operations in order
    for (std::size_t oi = 0; oi < ops.size(); ++oi) decode(texts[static_cast<std::size_t>(opt.procs - n) * ops.size() + oi], rep);
  // A stable order: by operation, outcome kinds first, then field kinds, then goal kinds.
  std::stable_sort(rep.kinds.begin(), rep.kinds.end(), [](const Kind& x, const Kind& y) {
    auto rank = [](const Kind& k) { return k.outcome ? 0 : k.goal.empty() ? 1 : 2; };
    return std::tuple(x.op_index, rank(x), x.kind_a, x.err_a, x.kind_b, x.err_b, x.field, x.goal, !x.goal_under_b) <
           std::tuple(y.op_index, rank(y), y.kind_a, y.err_a, y.kind_b, y.err_b, y.field, y.goal, !y.goal_under_b);
  });
  rep.solve_seconds = std::chrono::duration<double>(clock::now() - t0).count();

  // For every N: per operation, whether the list is complete at any table size.
  if (opt.every_n) {
    const auto t2 = clock::now();
    const double each = 3.0 * opt.every_n_timeout_ms / 1000 + 1;
    Report got;
    proofs::run_in_processes(
        ops.size(), std::max(1, opt.threads),
        [&](std::size_t i) {
          Report mine;
          mine.every_n.push_back(every_n_row(rep, opt, i));
          return encode(mine);
        },
        [&](std::size_t) { return 60 + 20 * each; },
        [&](std::size_t i, double ran) {
          Report mine;
          EveryNRow e;
          e.op = ops[i].second;
          e.op_index = static_cast<int>(i);
          e.open.push_back("everything");
          e.reason = "Z3 did not stop at its time limit; stopped after " + std::to_string(static_cast<int>(ran)) + " s";
          mine.every_n.push_back(e);
          return encode(mine);
        },
        [&](std::size_t, const std::string& text) { decode(text, got); }, spent);
    rep.every_n = std::move(got.every_n);
    rep.every_n_seconds = std::chrono::duration<double>(clock::now() - t2).count();
  }
  if (!opt.searches) return rep;

  // Witnesses, growing the table: at each size, for the kinds Z3 lists there
  // that have none yet, and where Z3 gave up (for a difference it could not list).
  auto t1 = clock::now();
  for (int n = opt.min_procs; n <= opt.procs; ++n) {
    bool wanted = std::find(rep.unknown_procs.begin(), rep.unknown_procs.end(), n) != rep.unknown_procs.end();
    for (const auto& k : rep.kinds) wanted |= k.procs <= n && !k.witness;
    if (!wanted) continue;
    double left = 0;
    if (opt.budget_seconds > 0) {
      left = opt.budget_seconds - std::chrono::duration<double>(clock::now() - t1).count();
      if (left <= 0) break;
    }
    stages(n).witnesses(rep, opt, left);
  }
  rep.search_seconds = std::chrono::duration<double>(clock::now() - t1).count();
  stages(std::clamp(opt.property_procs, 2, 5)).properties(rep, opt);
  return rep;
}

}  // namespace ptm::diff
