// The stateful lockstep test: RapidCheck generates operation sequences from the
// model's state; each runs on the model and on the reference implementation,
// which must agree on every outcome and abstract state (Property 1). Every step
// is tagged with the check that decided it, and every property of the model's
// list is evaluated after it (Property 2: counted and reported, not asserted).
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <array>
#include <map>
#include <optional>
#include <ostream>

#include "scn/scenario_writer.hpp"
#include "impl/trap.hpp"
#include "model/properties.hpp"
#include "props/gen.hpp"

namespace ptm::props {

// What a run exercised.
struct Coverage {
  std::map<std::pair<int, int>, long> fired;  // (operation key, check) -> steps it decided
  std::array<long, 5> kinds{};                // outcomes by kind
  std::map<std::string, long> violated;       // property -> steps after which it failed
  long steps = 0;
  static int key(const Op& op) { return op.kind == OP_PTRACE ? 1000 + op.req : op.kind; }
  void record(const Op& op, const Outcome<Concrete>& o) {
    ++steps;
    ++kinds[o.kind];
    if (o.check != NO_CHECK) ++fired[{key(op), static_cast<int>(o.check)}];
  }
};
inline Coverage& coverage() {
  static Coverage c;
  return c;
}
// The trace of the last sequence that failed (after shrinking: the smallest).
inline std::optional<scn::Trace>& last_failure() {
  static std::optional<scn::Trace> t;
  return t;
}

struct LModel {
  S s = initial_state<Concrete, kN>();
  Memory<kN> mem;
};
struct LSut {
  impl::Kernel k{kN, pid_max<kN>};
  scn::Trace trace;
};

std::string describe(const GenOp& g);

// A command made of one generated operation: generated from the model state,
// kept only while it can be written as a scenario line, applied to the model.
// Subclasses say what running it checks.
template <class Model, class Sut>
struct GenCommand : rc::state::Command<Model, Sut> {
  GenOp g;
  explicit GenCommand(const Model& m) : g(*gen_op(m.s)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(expressible(m.s, g)); }
  void apply(Model& m) const override { m.s = step_with_memory<kN>(m.s, m.mem, g.op, g.args).st.next; }
  void show(std::ostream& os) const override { os << describe(g); }
};

struct OpCmd : GenCommand<LModel, LSut> {
  using GenCommand::GenCommand;
  void run(const LModel& m, LSut& sut) const override {
    sut.trace.emplace_back(g.op, g.args);
    Memory<kN> mem = m.mem;
    auto [st, eff] = step_with_memory<kN>(m.s, mem, g.op, g.args);
    coverage().record(g.op, st.out);
    StepCtx<Concrete, kN> ctx{m.s, g.op, g.args, st.out, st.next};
    for_each_property<Concrete, kN>(ctx, [](std::string_view id, auto, bool holds) {
      if (!holds) ++coverage().violated[std::string(id)];
    });
    auto io = impl::apply(sut.k, g.op, g.args);
    auto diffs = impl::lockstep_differences<kN>(sut.k, g.op, st.out, io, st.next, mem, eff);
    if (!diffs.empty()) {
      last_failure() = sut.trace;
      std::string msg;
      for (const auto& d : diffs) msg += d + "\n";
      RC_FAIL(msg);
    }
  }
};

inline std::string describe(const GenOp& g) {
  std::string s = fmt::format("slot {} {}", g.args.actor, kOpNames[g.op.kind]);
  if (g.op.kind == OP_PTRACE) {
    const auto& p = g.args.pt;
    s += fmt::format(" {} pid={} addr={:#x} data={} op={} offs={:#x} buf={:#x} len={} regs_ok={}",
                     static_cast<int>(g.op.req), p.pid, p.addr, p.data, p.piod_op, p.piod_offs, p.piod_addr, p.piod_len,
                     p.regs_ok);
  } else {
    s += fmt::format(" pid={} sig={} options={} value={} suid={} sgid={}", g.args.pid, g.args.sig, g.args.options,
                     g.args.value, g.args.suid, g.args.sgid);
  }
  return s;
}

// Runs the lockstep property with RapidCheck (RC_PARAMS applies). On failure,
// prints the shrunk sequence as a scenario file. Returns true when it held.
inline bool check_lockstep(std::ostream& out) {
  bool ok = rc::check("model and impl agree on every outcome and abstract state", [] {
    LModel m;
    LSut sut;
    rc::state::check(m, sut, rc::state::gen::execOneOfWithArgs<OpCmd>());
  });
  if (!ok && last_failure()) {
    out << "\nThe shrunk sequence as a scenario (replay it with `ptmodel run FILE`):\n\n";
    try {
      out << scn::write_scenario(*last_failure(), {.header = "model and impl diverge on the last step"});
    } catch (const std::exception& e) {
      out << "(could not write it as a scenario: " << e.what() << ")\n";
    }
  }
  return ok;
}

}  // namespace ptm::props
