// The coverage-guided phase of the default run: sequences drawn from the same
// generators, where at each step several candidate operations are drawn and
// the model says which check would decide each; a candidate deciding an
// (operation, check) pair not yet covered is preferred. Every step also runs
// on the impl, which must agree. Deterministic for a given seed.
#pragma once

#include <rapidcheck/Random.h>

#include "props/lockstep.hpp"

namespace ptm::props {

struct GuidedResult {
  long steps = 0;
  int sequences = 0;
  std::optional<scn::Trace> disagreement;  // a trace whose last step made model and impl disagree
  std::string why;
};

template <class Done>
GuidedResult run_guided(std::uint64_t seed, int max_sequences, int max_steps, int candidates, Done&& all_covered) {
  GuidedResult res;
  rc::Random random(seed);
  for (int q = 0; q < max_sequences && !all_covered(); ++q, ++res.sequences) {
    S s = initial_state<Concrete, kN>();
    Memory<kN> mem;
    impl::Kernel k{kN, pid_max<kN>};
    scn::Trace trace;
    for (int i = 0; i < max_steps; ++i) {
      std::optional<GenOp> chosen;
      for (int c = 0; c < candidates; ++c) {
        GenOp g = gen_op(s)(random.split(), 50).value();  // split() leaves `random` a fresh half
        if (!expressible(s, g)) continue;
        if (!chosen) chosen = g;
        auto out = concrete_step<kN>(s, g.op, g.args).out;
        if (!coverage().fired.count({Coverage::key(g.op), static_cast<int>(out.check)}) && out.check != NO_CHECK) {
          chosen = g;
          break;
        }
      }
      if (!chosen) continue;
      const GenOp& g = *chosen;
      trace.emplace_back(g.op, g.args);
      auto [st, eff] = step_with_memory<kN>(s, mem, g.op, g.args);
      coverage().record(g.op, st.out);
      StepCtx<Concrete, kN> ctx{s, g.op, g.args, st.out, st.next};
      for_each_property<Concrete, kN>(ctx, [](std::string_view id, auto, bool holds) {
        if (!holds) ++coverage().violated[std::string(id)];
      });
      auto io = impl::apply(k, g.op, g.args);
      ++res.steps;
      auto diffs = impl::lockstep_differences<kN>(k, g.op, st.out, io, st.next, mem, eff);
      if (!diffs.empty()) {
        res.disagreement = trace;
        res.why = fmt::format("{}", fmt::join(diffs, "\n"));
        return res;
      }
      s = st.next;
    }
  }
  return res;
}

}  // namespace ptm::props
