// The constexpr sweep of one seed state (SWEEP_SEED, set by the BUILD rule).
// Compiling this file is the test: constant evaluation rejects undefined
// behaviour. At run time the same sweep must give the same counts.
#include <cstdio>

#include "model/tests/sweep.hpp"

namespace {
constexpr ptm::test::SweepResult kAtCompileTime = ptm::test::sweep(SWEEP_SEED);
// 4 actors x (18 requests x 5 pids x 2 data x 2 addr + 24 other operations x 5 pids)
static_assert(kAtCompileTime.steps == 4 * (18 * 5 * 2 * 2 + 24 * 5));
static_assert(kAtCompileTime.by_kind[ptm::K_OK] > 0 && kAtCompileTime.by_kind[ptm::K_ERR] > 0);
}  // namespace

int main() {
  const ptm::test::SweepResult r = ptm::test::sweep(SWEEP_SEED);
  bool same = r.steps == kAtCompileTime.steps && r.violations == kAtCompileTime.violations;
  for (int k = 0; k < 5; ++k) same = same && r.by_kind[k] == kAtCompileTime.by_kind[k];
  std::printf("seed %d: %d steps, outcomes ok=%d err=%d hang=%d fault=%d blocked=%d, %d property violations\n",
              SWEEP_SEED, r.steps, r.by_kind[0], r.by_kind[1], r.by_kind[2], r.by_kind[3], r.by_kind[4], r.violations);
  if (!same) std::printf("FAIL: the run-time sweep differs from the compile-time one\n");
  return same ? 0 : 1;
}
