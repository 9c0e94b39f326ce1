#include "proofs/every_n.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <tuple>

#include "proofs/unbounded.hpp"

namespace ptm::proofs {

using U = Unbounded;

bool stated_for_every_n(const std::string& id) {
  bool stated = true;
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if (id == P::id) stated = kStatedForEveryN<P>;
  });
  return stated;
}

namespace {

// What a query needs besides the obligation: the table's size in range.
z3::expr size_in_range() { return ub::n() >= ub::num(2) && ub::n() <= ub::num(kMaxSlots); }

// A counterexample, briefly: n, the arguments, and the first slots (the actor's among them).
std::string describe(const z3::model& m, const UState& pre, const Args<U>& args) {
  auto v = [&](const z3::expr& e) {
    z3::expr r = m.eval(e, true);
    std::int64_t x = 0;
    return r.is_numeral() && r.is_numeral_i64(x) ? std::to_string(x) : r.to_string();
  };
  auto b = [&](const z3::expr& e) { return m.eval(e, true).is_true(); };
  std::string out = "n=" + v(ub::n()) + " actor=" + v(args.actor) + " pid=" + v(args.pt.pid) + ";";
  std::int64_t n = 0;
  m.eval(ub::n(), true).is_numeral_i64(n);
  std::vector<std::int64_t> slots;
  for (std::int64_t i = 0; i < std::min<std::int64_t>(n, 4); ++i) slots.push_back(i);
  std::int64_t actor = 0;
  if (m.eval(args.actor, true).is_numeral_i64(actor) && actor >= 4) slots.push_back(actor);
  for (std::int64_t i : slots) {
    const auto q = U::at(pre.procs, ub::num(i));
    out += " [" + std::to_string(i) + " st" + v(q.p_state) + " pid" + v(q.p_pid) + " pp" + v(q.p_pptr) + " op" +
           v(q.p_oppid) + (b(q.P_TRACED) ? " T" : "") + (b(q.P_WAITED) ? " W" : "") + (b(q.P_STOPPED_SIG) ? " S" : "") +
           (b(q.P_WEXIT) ? " X" : "") + (b(q.P_SYSTEM) ? " SYS" : "") + " td" + v(q.td_sig) + " go" + v(q.g_oparent) +
           " gw" + v(q.g_waiter) + "]";
  }
  return out;
}

// A second solver for what Z3 leaves unknown: Debian's cvc5 (enumerative
// and conflict-based instantiation prove some of these quickly), on the same
// assertions as SMT-LIB2. Only for queries without array lambdas, which cvc5
// reads as functions, not arrays. Returns "unsat", "sat", "unknown",
// "lambda" (not run: array lambdas), "absent" (no cvc5 here) or "error".
std::string cvc5_verdict(z3::solver& s, unsigned timeout_ms) {
  const std::string text = s.to_smt2();
  if (text.find("lambda") != std::string::npos) return "lambda";
  static const bool have = std::system("command -v cvc5 >/dev/null 2>&1") == 0;
  if (!have) return "absent";
  char path[] = "/tmp/ptmodel-every-n-XXXXXX.smt2";
  const int fd = mkstemps(path, 5);
  if (fd < 0) return "error";
  const std::string all = "(set-logic ALL)\n" + text;
  const bool written = write(fd, all.data(), all.size()) == static_cast<ssize_t>(all.size());
  close(fd);
  std::string out;
  if (written) {
    const std::string cmd = "cvc5 --tlimit=" + std::to_string(timeout_ms) + " " + path + " 2>/dev/null";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[256];
      if (fgets(buf, sizeof buf, p)) out = buf;
      pclose(p);
    }
  }
  unlink(path);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out == "unsat" || out == "sat" || out == "unknown" ? out : written ? "unknown" : "error";
}
std::string second_opinion(z3::solver& s, unsigned timeout_ms) {
  const std::string v = cvc5_verdict(s, timeout_ms);
  return v == "unsat" || v == "sat" ? v : "";
}

bool g_recheck = false;

}  // namespace

void recheck_with_cvc5(bool on) { g_recheck = on; }

EveryNCheck check_every_n(z3::solver& solver, unsigned timeout_ms) {
  auto& c = sym::ctx();
  EveryNCheck out;
  z3::check_result& res = out.result;
  std::optional<z3::model>& model = out.model;
  std::string& reason = out.reason;
  res = solver.check();
  if (res == z3::sat) model = solver.get_model();
  if (res == z3::unknown) {
    reason = solver.reason_unknown();
    // A second solver, cvc5, on the same assertions, with twice the time;
    // where it cannot read them (array lambdas), Z3 once more, one-shot:
    // the incremental solver skips the preprocessing that solves equations
    // away, and a one-shot solver with it proves some of what the first
    // could not.
    const std::string second = second_opinion(solver, 2 * timeout_ms);
    if (second == "unsat") {
      res = z3::unsat;
      reason = "proved by cvc5 (Z3: " + reason + ")";
    } else if (second.empty()) {
      // A solver made of tactics does not read the "timeout" parameter:
      // try_for bounds the whole pipeline (without it, --timeout 1 ran
      // for minutes here).
      z3::solver one = z3::try_for(z3::tactic(c, "simplify") & z3::tactic(c, "propagate-values") &
                                       z3::tactic(c, "solve-eqs") & z3::tactic(c, "smt"),
                                   timeout_ms)
                           .mk_solver();
      for (const auto& a : solver.assertions()) one.add(a);
      try {
        res = one.check();
        if (res == z3::unknown) reason = one.reason_unknown();
        if (res == z3::sat) model = one.get_model();
      } catch (const z3::exception& e) {
        // Its time is up (a tactic that fails throws): unknown, and the
        // incremental solver is still usable. Out of memory is not this.
        const std::string why = e.msg();
        if (why.find("memory") != std::string::npos) throw;
        res = z3::unknown;
        reason += "; one-shot Z3: " + why;
      }
    } else {
      reason += "; cvc5: " + second + " (its model is not read)";
    }
  }
  return out;
}

namespace {

struct Query {
  Obligation ob;
  z3::expr hypothesis, conclusion;
};

// Runs the queries on one solver that holds `base`, with the definitions the
// rules made, after checking that the hypotheses are not contradictory.
std::vector<Result> run_queries(const std::vector<Query>& qs, const z3::expr& base, unsigned timeout_ms,
                                const std::function<std::string(const z3::model&)>& describe_cti) {
  std::vector<Result> out;
  auto& c = sym::ctx();
  if (g_z3_exhausted) {
    for (const auto& q : qs) out.push_back({q.ob, UNKNOWN, 0, "not run: Z3 ran out of memory on an earlier query", "", ""});
    return out;
  }
  auto* solver_p = new z3::solver(c);  // not deleted once Z3 has run out of memory
  z3::solver& solver = *solver_p;
  solver.add(base);
  for (const auto& d : ub::definitions()) solver.add(d);
  const std::vector<std::string> abstracted = ub::abstractions();
  // Hypotheses that contradict each other would prove anything: they must be satisfiable.
  bool consistent = true;
  {
    z3::params p(c);
    p.set("timeout", std::min(timeout_ms, 500u));
    solver.set(p);
    try {
      consistent = solver.check() != z3::unsat;  // unknown: not shown inconsistent
    } catch (const z3::exception&) {
      g_z3_exhausted = true;
    }
  }
  z3::params p(c);
  p.set("timeout", timeout_ms);
  solver.set(p);
  for (const auto& q : qs) {
    Result r;
    r.ob = q.ob;
    if (g_z3_exhausted || !consistent) {
      r.verdict = UNKNOWN;
      r.reason = !consistent ? "the hypotheses are contradictory (a proof would be vacuous)"
                             : "not run: Z3 ran out of memory on an earlier query";
      out.push_back(r);
      continue;
    }
    solver.push();
    solver.add(q.hypothesis);
    solver.add(!q.conclusion);
    const auto t0 = std::chrono::steady_clock::now();
    z3::check_result res = z3::unknown;
    std::optional<z3::model> model;
    try {
      EveryNCheck ch = check_every_n(solver, timeout_ms);
      res = ch.result;
      model = std::move(ch.model);
      r.reason = ch.reason;
      // The re-check: cvc5 on a proof Z3 made, the same assertions.
      if (g_recheck && res == z3::unsat && r.reason.rfind("proved by cvc5", 0) != 0)
        r.second = cvc5_verdict(solver, 2 * timeout_ms);
    } catch (const z3::exception& e) {
      r.reason = e.msg();
      g_z3_exhausted = true;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (res == z3::unsat) {
      r.verdict = PROVED;
    } else if (res == z3::sat) {
      std::string cti = describe_cti(*model);
      if (abstracted.empty()) {
        r.verdict = CTI;
        r.cti = cti;
      } else {
        r.verdict = UNKNOWN;
        r.reason = "a counterexample that goes through an over-approximation (" + abstracted.front() +
                   "), so perhaps no state of the seed";
        r.cti = cti;
      }
    } else {
      r.verdict = UNKNOWN;
      if (r.reason.empty()) r.reason = g_z3_exhausted ? "out of memory" : solver.reason_unknown();
    }
    if (!g_z3_exhausted) solver.pop();
    out.push_back(r);
  }
  if (!g_z3_exhausted) delete solver_p;
  return out;
}

}  // namespace

std::vector<Result> prove_every_n_operation_unguarded(const Op& op, const std::string& op_name,
                                                      const KeepObligation& keep, unsigned timeout_ms);
std::vector<Result> initial_every_n_unguarded(unsigned timeout_ms);

std::vector<Result> every_n_unknown(const Op& op, const std::string& op_name, const KeepObligation& keep,
                                const std::string& why) {
  std::vector<Result> out;
  auto add = [&](std::string id, bool inv) {
    Obligation ob{op, op_name, std::move(id), inv};
    if (keep(ob)) out.push_back({ob, UNKNOWN, 0, why, "", ""});
  };
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if constexpr (kStatedForEveryN<P>) add(std::string(P::id), false);
  });
  hana::for_each(kInvariants, [&](auto t) { add(std::string(decltype(t)::type::id), true); });
  return out;
}

std::vector<Result> prove_every_n_operation(const Op& op, const std::string& op_name, const KeepObligation& keep,
                                            unsigned timeout_ms) {
  if (g_z3_exhausted) return every_n_unknown(op, op_name, keep, "not run: Z3 ran out of memory on an earlier query");
  try {
    return prove_every_n_operation_unguarded(op, op_name, keep, timeout_ms);
  } catch (const z3::exception& e) {
    g_z3_exhausted = true;  // its context may be inconsistent now: no later query uses it
    return every_n_unknown(op, op_name, keep, std::string("Z3: ") + e.msg());
  }
}

std::vector<Result> prove_every_n_operation_unguarded(const Op& op, const std::string& op_name,
                                                      const KeepObligation& keep, unsigned timeout_ms) {
  const UnboundedStep u = unbounded_step(op);
  const UState& pre = u.pre;
  const Args<U>& args = u.args;
  const auto& st = u.st;
  const StepCtx<U, kAnyN> ctx{pre, op, args, st.out, st.next};
  const z3::expr base = size_in_range() && invariants_hold<U, kAnyN>(pre) && args_well_formed<U>(op, args, ub::n());
  std::vector<Query> qs;
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    Obligation ob{op, op_name, std::string(P::id), false};
    if constexpr (kStatedForEveryN<P>) {
      if (!keep(ob)) return;
      if constexpr (P::is_step)
        qs.push_back({ob, sym::ctx().bool_val(true), P::template holds<U, kAnyN>(ctx)});
      else
        qs.push_back({ob, P::template holds<U, kAnyN>(pre), P::template holds<U, kAnyN>(st.next)});
    }
  });
  hana::for_each(kInvariants, [&](auto t) {
    using I = typename decltype(t)::type;
    Obligation ob{op, op_name, std::string(I::id), true};
    if (keep(ob)) qs.push_back({ob, sym::ctx().bool_val(true), I::template holds<U, kAnyN>(st.next)});
  });
  return run_queries(qs, base, timeout_ms, [&](const z3::model& m) { return describe(m, pre, args); });
}

UnboundedStep unbounded_step(const Op& op) {
  ub::reset();
  UState pre = ub::fresh_state("s");
  Args<U> args = fresh<Args<U>>("a");
  auto st = step<U, kAnyN>(pre, op, args);
  return {pre, args, st, ub::definitions(), ub::abstractions()};
}

std::vector<Result> initial_every_n(unsigned timeout_ms) {
  if (g_z3_exhausted) return {};
  try {
    return initial_every_n_unguarded(timeout_ms);
  } catch (const z3::exception&) {
    g_z3_exhausted = true;
    return {};  // the initial state unknown: every stated property's every-N verdict stays open
  }
}

std::vector<Result> initial_every_n_unguarded(unsigned timeout_ms) {
  ub::reset();
  const UState s = initial_state<U, kAnyN>();
  std::vector<Query> qs;
  const Op none{};
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if constexpr (kStatedForEveryN<P> && !P::is_step)
      qs.push_back({{none, "initial", std::string(P::id), false}, sym::ctx().bool_val(true), P::template holds<U, kAnyN>(s)});
  });
  hana::for_each(kInvariants, [&](auto t) {
    using I = typename decltype(t)::type;
    qs.push_back({{none, "initial", std::string(I::id), true}, sym::ctx().bool_val(true), I::template holds<U, kAnyN>(s)});
  });
  return run_queries(qs, size_in_range(), timeout_ms,
                     [&](const z3::model& m) { return "n=" + m.eval(ub::n(), true).to_string(); });
}

}  // namespace ptm::proofs
