#include "diff/diff.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <tuple>

namespace ptm::diff {

Stages stages_2();
Stages stages_3();
Stages stages_4();
Stages stages_5();

namespace {
Stages stages(int n) {
  switch (n) {
    case 2: return stages_2();
    case 3: return stages_3();
    case 4: return stages_4();
    case 5: return stages_5();
    default: throw std::invalid_argument("--procs " + std::to_string(n) + ": expected 2..5");
  }
}
}  // namespace

Report run(SemanticsMask a, SemanticsMask b, const Options& opt) {
  if (opt.min_procs < 2 || opt.min_procs > opt.procs) stages(0);  // throws
  Report rep;
  rep.a = a, rep.b = b, rep.procs = opt.procs, rep.min_procs = opt.min_procs;
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  for (int n = opt.min_procs; n <= opt.procs; ++n) stages(n).kinds(rep, opt);
  // A stable order: by operation, outcome kinds first, then field kinds, then goal kinds.
  std::stable_sort(rep.kinds.begin(), rep.kinds.end(), [](const Kind& x, const Kind& y) {
    auto rank = [](const Kind& k) { return k.outcome ? 0 : k.goal.empty() ? 1 : 2; };
    return std::tuple(x.op_index, rank(x), x.kind_a, x.err_a, x.kind_b, x.err_b, x.field, x.goal, !x.goal_under_b) <
           std::tuple(y.op_index, rank(y), y.kind_a, y.err_a, y.kind_b, y.err_b, y.field, y.goal, !y.goal_under_b);
  });
  rep.solve_seconds = std::chrono::duration<double>(clock::now() - t0).count();
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
