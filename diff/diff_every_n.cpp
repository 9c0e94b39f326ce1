// The diff for a table of any size: per operation, can A and B differ in a
// way the kinds listed at N = min_procs..procs do not name, at some table
// size 2 <= n <= kMaxSlots? The same rules, run in the unbounded domain
// (proofs/unbounded.hpp) under each semantics over one fresh state of any
// size that satisfies the auxiliary invariants, as the bounded enumeration
// runs them over N slots.
#include <map>

#include "diff/diff_impl.hpp"
#include "proofs/every_n.hpp"

namespace ptm::diff {

namespace {

using U = Unbounded;

// The differences of two unbounded steps, by field name as the bounded
// enumeration names them: the outputs and globals directly, a column of the
// table where some slot in [0, n) differs.
template <class Put>
void unbounded_diffs(const StepOf<U, kAnyN>& x, const StepOf<U, kAnyN>& y, Put&& put) {
  auto& c = sym::ctx();
  auto direct = [&](const std::string& f, const auto& a, const auto& b) {
    put(f, static_cast<const z3::expr&>(a) != static_cast<const z3::expr&>(b));
  };
  direct("retval", x.out.retval, y.out.retval);
  direct("status", x.out.status, y.out.status);
  hana::for_each(hana::keys(x.next), [&](auto key) {
    const std::string k = hana::to<char const*>(key);
    const auto& fa = hana::at_key(x.next, key);
    const auto& fb = hana::at_key(y.next, key);
    using F = std::decay_t<decltype(fa)>;
    if constexpr (std::is_same_v<F, UTable>) {
      leaf_diffs(fa.cols, fb.cols, "procs", [&](const std::string& f, const auto& a, const auto& b) {
        const z3::expr& ca = a;
        const z3::expr& cb = b;
        if (z3::eq(ca, cb)) return put(f, c.bool_val(false));
        const z3::expr slot = c.bv_const("slot!d", sym::kWidth);
        put(f, z3::exists(slot, ub::in_table(slot) && z3::select(ca, slot) != z3::select(cb, slot)));
      });
    } else {
      leaf_diffs(fa, fb, k, direct);
    }
  });
}

}  // namespace

EveryNRow every_n_row(const Report& rep, const Options& opt, std::size_t oi) {
  auto& c = sym::ctx();
  const auto ops = all_operations();
  const Op op = ops[oi].first;
  EveryNRow row;
  row.op = ops[oi].second;
  row.op_index = static_cast<int>(oi);

  ub::reset();
  const UState pre = ub::fresh_state("s");
  const Args<U> args = proofs::fresh<Args<U>>("a");
  auto under = [&](SemanticsMask m) {
    SemanticsScope scope(m);
    return step<U, kAnyN>(pre, op, args);
  };
  const auto sa = under(rep.a), sb = under(rep.b);
  FieldDiffs diffs;
  unbounded_diffs(sa, sb, [&](const std::string& f, const z3::expr& d) { diffs.add(f, d); });
  const auto& fields = diffs.list;
  const z3::expr out_differs = sa.out.kind != sb.out.kind || sa.out.error != sb.out.error;
  z3::expr any = out_differs;
  for (const auto& [f, d] : fields) any = any || d;
  if (any.simplify().is_false()) {
    row.verdict = EveryNRow::SAME_RULES;
    return row;
  }

  // What the bounded enumeration listed for this operation.
  z3::expr listed_outcome = c.bool_val(false);
  std::set<std::string> listed_fields;
  for (const auto& k : rep.kinds) {
    if (k.op_index != row.op_index || !k.goal.empty()) continue;
    if (k.outcome)
      listed_outcome = listed_outcome || (sa.out.kind == U::num(k.kind_a) && sa.out.error == U::num(k.err_a) &&
                                          sb.out.kind == U::num(k.kind_b) && sb.out.error == U::num(k.err_b));
    else
      listed_fields.insert(k.field);
  }

  z3::solver solver(c);
  solver.add(ub::n() >= ub::num(2) && ub::n() <= ub::num(kMaxSlots));
  solver.add(invariants_hold<U, kAnyN>(pre));
  solver.add(proofs::args_well_formed<U>(op, args, ub::n()));
  for (const auto& d : ub::definitions()) solver.add(d);
  const std::vector<std::string> abstracted = ub::abstractions();
  {
    // Hypotheses that contradict each other would make any list complete.
    z3::params p(c);
    p.set("timeout", std::min(opt.every_n_timeout_ms, 500u));
    solver.set(p);
    if (solver.check() == z3::unsat) {
      row.open.push_back("everything");
      row.reason = "the hypotheses are contradictory (a proof would be vacuous)";
      return row;
    }
  }
  z3::params p(c);
  p.set("timeout", opt.every_n_timeout_ms);
  solver.set(p);

  // One question: can `what` happen? Unsat: not at any table size.
  auto ask = [&](const std::string& what, const z3::expr& e) {
    solver.push();
    solver.add(e);
    const proofs::EveryNCheck ch = proofs::check_every_n(solver, opt.every_n_timeout_ms);
    const z3::check_result r = ch.result;
    if (r == z3::unsat) {
      solver.pop();
      return true;
    }
    row.open.push_back(what);
    std::string why;
    if (r == z3::unknown) {
      why = "Z3 gave up (" + ch.reason + ")";
    } else if (!abstracted.empty()) {
      why = "Z3's state goes through an over-approximation (" + abstracted.front() + ")";
    } else {
      std::int64_t n = 0;
      ch.model->eval(ub::n(), true).is_numeral_i64(n);
      why = "a state of n = " + std::to_string(n) + " that satisfies the invariants";
      if (row.found_at == 0 || n < row.found_at) row.found_at = static_cast<int>(n);
    }
    if (row.reason.empty()) row.reason = what + ": " + why;
    solver.pop();
    return false;
  };

  bool complete = true;
  if (!out_differs.simplify().is_false()) complete &= ask("outcome", out_differs && !listed_outcome);
  std::vector<std::pair<std::string, z3::expr>> unlisted;
  for (const auto& [f, d] : fields)
    if (!listed_fields.count(f) && !d.simplify().is_false()) unlisted.push_back({f, d});
  if (!unlisted.empty()) {
    z3::expr some = c.bool_val(false);
    for (const auto& [f, d] : unlisted) some = some || d;
    if (unlisted.size() == 1) {
      complete &= ask(unlisted[0].first, !out_differs && some);
    } else {
      solver.push();
      solver.add(!out_differs && some);
      const bool none = proofs::check_every_n(solver, opt.every_n_timeout_ms).result == z3::unsat;
      solver.pop();
      if (!none) {  // which fields: one question each
        for (const auto& [f, d] : unlisted) complete &= ask(f, !out_differs && d);
      }
    }
  }
  row.verdict = complete ? EveryNRow::COMPLETE : EveryNRow::OPEN;
  // A difference at a size where the kinds were listed completely contradicts the bounded list.
  if (row.found_at >= rep.min_procs && row.found_at <= rep.procs) {
    const std::string at_n = row.op + " at N = " + std::to_string(row.found_at);
    row.contradicts = true;  // unless Z3 gave up on it there (the entry may go on with why)
    for (const auto& u : rep.unknown)
      if (u == at_n || u.rfind(at_n + " ", 0) == 0) row.contradicts = false;
  }
  return row;
}

}  // namespace ptm::diff
