// Benchmark: the whole verification of the seed (proof matrix plus bounded
// reachability) for N = 2..6: time per obligation and in total.
//
//   bazel run //bench:verify_bench [-- MAX_N [DEPTH]]
#include <cstdio>
#include <cstdlib>

#include "proofs/verify.hpp"

int main(int argc, char** argv) {
  const int max_n = argc > 1 ? std::atoi(argv[1]) : 6;
  const int depth = argc > 2 ? std::atoi(argv[2]) : 7;
  std::printf("%-3s %12s %10s %10s %12s %12s %10s %10s %9s\n", "N", "obligations", "proved", "cti", "unknown",
              "prove (s)", "ms/oblig.", "states", "search (s)");
  for (int n = 2; n <= max_n; ++n) {
    ptm::proofs::VerifyOptions opt;
    opt.procs = n;
    opt.depth = depth;
    opt.timeout_ms = 60000;
    auto rep = ptm::proofs::verify(opt);
    int p = 0, c = 0, u = 0;
    for (const auto& r : rep.results) (r.verdict == ptm::proofs::PROVED ? p : r.verdict == ptm::proofs::CTI ? c : u)++;
    std::printf("%-3d %12zu %10d %10d %12d %12.1f %10.1f %10ld %9.1f\n", n, rep.results.size(), p, c, u,
                rep.prove_seconds, 1000 * rep.prove_seconds / rep.results.size(), rep.reach.states, rep.reach_seconds);
    std::fflush(stdout);
  }
}
