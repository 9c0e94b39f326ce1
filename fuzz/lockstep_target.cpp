// Fuzz target 2: the runner. The input bytes choose a sequence of operations
// (two bytes per step, an index into the oracle's alphabet of the current
// state, at most 64 steps) on a table of 5; each runs on the model and on the
// reference implementation, and their outcomes and abstract states must
// agree. A divergence prints the sequence as a scenario and aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "scn/scenario_writer.hpp"
#include "explore/alphabet.hpp"
#include "impl/trap.hpp"

namespace {
constexpr int N = 5;
constexpr int kMaxSteps = 64;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ptm;
  auto s = initial_state<Concrete, N>();
  Memory<N> mem;
  impl::Kernel k(N, pid_max<N>);
  ptm::scn::Trace trace;
  for (std::size_t i = 0; i + 1 < size && trace.size() < kMaxSteps; i += 2) {
    const auto ops = explore::alphabet<N>(s, explore::Alphabet::oracle);
    const auto& [op, a] = ops[(data[i] | (data[i + 1] << 8)) % ops.size()];
    trace.emplace_back(op, a);
    const auto [st, eff] = step_with_memory<N>(s, mem, op, a);
    const auto io = impl::apply(k, op, a);
    auto diffs = impl::lockstep_differences<N>(k, op, st.out, io, st.next, mem, eff);
    if (!diffs.empty()) {
      std::fprintf(stderr, "model and impl diverge:\n");
      for (const auto& d : diffs) std::fprintf(stderr, "  %s\n", d.c_str());
      std::fprintf(stderr, "%s",
                   scn::write_scenario(trace, {.header = "model and impl diverge on the last step", .procs = N}).c_str());
      std::abort();
    }
    s = st.next;
  }
  return 0;
}
