// Benchmark: how fast the model, the impl and both in lockstep run operation
// sequences. The sequences are drawn first (same generators as the property
// tests, fixed seed), so generation is not timed.
//
//   bazel run //bench:lockstep_bench [-- SEQUENCES]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "props/lockstep.hpp"

using namespace ptm;
using props::GenOp;
using props::kN;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int sequences = argc > 1 ? std::atoi(argv[1]) : 2000;
  std::vector<std::vector<GenOp>> traces;
  rc::Random random(42);
  long total_steps = 0;
  for (int q = 0; q < sequences; ++q) {
    std::vector<GenOp> t;
    auto s = initial_state<Concrete, kN>();
    for (int i = 0; i < 100; ++i) {
      GenOp g = props::gen_op(s)(random.split(), 50).value();
      if (!props::expressible(s, g)) continue;
      s = concrete_step<kN>(s, g.op, g.args).next;
      t.push_back(g);
    }
    total_steps += static_cast<long>(t.size());
    traces.push_back(std::move(t));
  }
  auto secs = [](Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); };

  // Model alone.
  auto t0 = Clock::now();
  long sink = 0;
  for (int rep = 0; rep < 5; ++rep)
    for (const auto& t : traces) {
      auto s = initial_state<Concrete, kN>();
      for (const auto& g : t) {
        auto st = concrete_step<kN>(s, g.op, g.args);
        sink += st.out.kind;
        s = st.next;
      }
    }
  const double model_s = secs(t0) / 5;

  // Impl alone.
  t0 = Clock::now();
  for (const auto& t : traces) {
    impl::Kernel k{kN, pid_max<kN>};
    for (const auto& g : t) sink += impl::apply(k, g.op, g.args).kind;
  }
  const double impl_s = secs(t0);

  // Lockstep: both, with the outcome, abstract-state and memory comparison after every step.
  t0 = Clock::now();
  long disagreements = 0;
  for (const auto& t : traces) {
    auto s = initial_state<Concrete, kN>();
    Memory<kN> mem;
    impl::Kernel k{kN, pid_max<kN>};
    for (const auto& g : t) {
      auto [st, eff] = step_with_memory<kN>(s, mem, g.op, g.args);
      auto io = impl::apply(k, g.op, g.args);
      disagreements += !impl::lockstep_differences<kN>(k, g.op, st.out, io, st.next, mem, eff).empty();
      s = st.next;
    }
  }
  const double lock_s = secs(t0);

  std::printf("%d sequences, %ld steps (N = %d processes)\n", sequences, total_steps, kN);
  std::printf("%-10s %12s %14s\n", "", "sequences/s", "steps/s");
  std::printf("%-10s %12.0f %14.0f\n", "model", sequences / model_s, total_steps / model_s);
  std::printf("%-10s %12.0f %14.0f\n", "impl", sequences / impl_s, total_steps / impl_s);
  std::printf("%-10s %12.0f %14.0f\n", "lockstep", sequences / lock_s, total_steps / lock_s);
  std::printf("(disagreements: %ld; checksum %ld)\n", disagreements, sink);
  return disagreements ? 1 : 0;
}
