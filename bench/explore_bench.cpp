// The explorer's speed and memory:
//   bazel run //bench:explore_bench -- [N[:MAX_STATES][/THREADS]...]
// (default: 2 3 3/1 4:10000000). For each: states, transitions, depth, time,
// states/s, transitions/s, bytes per stored state (the whole visited set, and
// the encodings alone), memory. A run stopped by MAX_STATES is marked partial.
#include <fmt/format.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "explore/explorer.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> specs(argv + 1, argv + argc);
  if (specs.empty()) specs = {"2", "3", "3/1", "4:10000000"};
  fmt::print("| N | threads | states | transitions | depth | time (s) | states/s | transitions/s | bytes/state (all) | bytes/state (encoding) | memory (MiB) |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& spec : specs) {
    ptm::explore::Options opt;
    const int n = std::atoi(spec.c_str());
    if (auto c = spec.find(':'); c != std::string::npos) opt.max_states = std::atol(spec.c_str() + c + 1);
    opt.threads = 2;
    if (auto t = spec.find('/'); t != std::string::npos) opt.threads = std::atoi(spec.c_str() + t + 1);
    auto r = ptm::explore::explore(n, opt);
    fmt::print("| {} | {} | {} | {} | {}{} | {:.1f} | {:.0f} | {:.0f} | {:.0f} | {:.1f} | {:.0f} |\n", n, opt.threads,
               r.states, r.transitions, r.depth, r.complete ? "" : " (partial: " + r.stopped_by + ")", r.seconds,
               r.states / r.seconds, r.transitions / r.seconds, r.memory_bytes / r.states, r.encoded_bytes / r.states,
               r.memory_bytes / 1048576.0);
    std::fflush(stdout);
  }
}
