// The explorer's speed and memory: `bazel run //bench:explore_bench -- [N...]`
// (default 2 3 4). For each N: states, transitions, states/s, transitions/s,
// bytes per stored state (all of the visited set, and the encoding alone),
// time and memory, with one thread and with two; and the raw (unreduced)
// count to the depth the reduced search needed, for the reduction factor.
#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "explore/explorer.hpp"

int main(int argc, char** argv) {
  std::vector<int> ns;
  for (int i = 1; i < argc; ++i) ns.push_back(std::atoi(argv[i]));
  if (ns.empty()) ns = {2, 3, 4};
  fmt::print("| N | threads | states | transitions | depth | time (s) | states/s | transitions/s | bytes/state (all) | bytes/state (encoding) | memory (MiB) |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int n : ns) {
    for (int threads : {1, 2}) {
      ptm::explore::Options opt;
      opt.threads = threads;
      auto r = ptm::explore::explore(n, opt);
      fmt::print("| {} | {} | {:L} | {:L} | {}{} | {:.1f} | {:.0f} | {:.0f} | {:.0f} | {:.1f} | {:.0f} |\n", n, threads,
                 r.states, r.transitions, r.depth, r.complete ? "" : " (partial: " + r.stopped_by + ")", r.seconds,
                 r.states / r.seconds, r.transitions / r.seconds, r.memory_bytes / r.states,
                 r.encoded_bytes / r.states, r.memory_bytes / 1048576.0);
      std::fflush(stdout);
    }
  }
}
