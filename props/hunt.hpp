// The hunt: for each property of the model's list, RapidCheck searches for an
// operation sequence after which the property fails, shrinks it, and the
// result is written as a scenario (named processes, expected outcomes, the
// violation marked) that is replayed on model and impl before it is reported.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <sstream>

#include "props/lockstep.hpp"

namespace ptm::props {

struct HuntOptions {
  std::string property;  // empty: all
  int sequences = 1000;  // per property
  int max_size = 100;
  std::uint64_t seed = 20261127;
};

struct Finding {
  std::string property, statement;
  bool found = false;
  std::string scenario;  // the shrunk sequence as a scenario file
  bool replays = false;  // the scenario, run on model and impl, meets its expectations and agrees
  std::string replay_report;
};

namespace hunt_detail {
inline std::string& target() {
  static std::string t;
  return t;
}
struct HModel {
  S s = initial_state<Concrete, kN>();
  Memory<kN> mem;
};
struct HSut {
  scn::Trace trace;
};
struct HuntCmd : GenCommand<HModel, HSut> {
  using GenCommand::GenCommand;
  void run(const HModel& m, HSut& sut) const override {
    sut.trace.emplace_back(g.op, g.args);
    auto st = concrete_step<kN>(m.s, g.op, g.args);
    StepCtx<Concrete, kN> ctx{m.s, g.op, g.args, st.out, st.next};
    bool broken = false;
    for_each_property<Concrete, kN>(ctx, [&](std::string_view id, auto, bool holds) {
      if (id == target() && !holds) broken = true;
    });
    if (broken) {
      last_failure() = sut.trace;
      RC_FAIL(target() + " fails");
    }
  }
};
}  // namespace hunt_detail

inline std::vector<Finding> hunt(const HuntOptions& opt) {
  std::vector<Finding> out;
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if (!opt.property.empty() && opt.property != P::id) return;
    Finding f;
    f.property = std::string(P::id);
    f.statement = std::string(P::statement);
    hunt_detail::target() = f.property;
    last_failure().reset();
    // RapidCheck's own report goes to a buffer; the finding is printed as a scenario.
    std::ostringstream rc_out;
    auto* saved = std::cout.rdbuf(rc_out.rdbuf());
    const std::string params = fmt::format("seed={} max_success={} max_size={} verbose_progress=0", opt.seed,
                                           opt.sequences, opt.max_size);
    setenv("RC_PARAMS", params.c_str(), 1);
    bool held = rc::check(f.property, [] {
      hunt_detail::HModel m;
      hunt_detail::HSut sut;
      rc::state::check(m, sut, rc::state::gen::execOneOfWithArgs<hunt_detail::HuntCmd>());
    });
    std::cout.rdbuf(saved);
    if (!held && last_failure()) {
      f.found = true;
      f.scenario = scn::write_scenario(
          *last_failure(), {.header = fmt::format("Found by `ptmodel hunt` (RC_PARAMS=\"{}\"), shrunk.\n{}: {}.",
                                                  params, f.property, f.statement)});
      // Replay it as a user would: parse, run on model and impl.
      std::ostringstream rep;
      auto sc = scn::parse(f.property + ".scn", f.scenario);
      auto r = scn::run_scenario(sc, rep, {.quiet = true});
      f.replays = r.failures == 0;
      f.replay_report = rep.str();
    }
    out.push_back(std::move(f));
  });
  return out;
}

}  // namespace ptm::props
