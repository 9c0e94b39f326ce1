// Benchmark: the proof matrix of the seed at each table size N = 2..MAX_N
// (time per obligation and in total), then the default `ptmodel verify` run
// (proofs at N = 2..5, proofs for every N, and the growing witness search):
// the time of each leg.
//
//   bazel run //bench:verify_bench [-- MAX_N]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "proofs/verify.hpp"

int main(int argc, char** argv) {
  const int max_n = argc > 1 ? std::atoi(argv[1]) : 6;
  std::printf("%-3s %12s %10s %10s %10s %12s %10s\n", "N", "obligations", "proved", "cti", "unknown", "prove (s)",
              "ms/oblig.");
  for (int n = 2; n <= max_n; ++n) {
    ptm::proofs::VerifyOptions opt;
    opt.timeout_ms = 60000;
    auto t0 = std::chrono::steady_clock::now();
    auto res = ptm::proofs::prove_matrix(n, opt);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    int p = 0, c = 0, u = 0;
    for (const auto& r : res) (r.verdict == ptm::proofs::PROVED ? p : r.verdict == ptm::proofs::CTI ? c : u)++;
    std::printf("%-3d %12zu %10d %10d %10d %12.1f %10.1f\n", n, res.size(), p, c, u, s, 1000 * s / res.size());
    std::fflush(stdout);
  }
  ptm::proofs::VerifyOptions opt;  // the defaults of `ptmodel verify`
  auto t0 = std::chrono::steady_clock::now();
  auto rep = ptm::proofs::verify(opt);
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int ep = 0, ec = 0, eu = 0;
  for (const auto* list : {&rep.every_n_initial, &rep.every_n})
    for (const auto& r : *list) (r.verdict == ptm::proofs::PROVED ? ep : r.verdict == ptm::proofs::CTI ? ec : eu)++;
  std::printf("\ndefault verify: %.1f s (proofs at N = 2..%d: %.1f s; for every N: %.1f s; witness search: %.1f s)\n",
              total, opt.procs, rep.prove_seconds, rep.every_n_seconds, rep.search_seconds);
  std::printf("for every N: %d obligations, %d proved, %d cti, %d unknown (limit %u ms)\n", ep + ec + eu, ep, ec, eu,
              opt.every_n_timeout_ms);
  std::printf("%-9s %3s %6s %10s %8s  %s\n", "alphabet", "N", "depth", "states", "time (s)", "stopped by");
  for (const auto& l : rep.search)
    std::printf("%-9s %3d %6d %10ld %8.1f  %s\n", l.alphabet.c_str(), l.procs, l.depth_done, l.states, l.seconds,
                l.stopped.c_str());
}
