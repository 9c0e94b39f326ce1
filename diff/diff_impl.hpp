// The diff for a table of N processes (one translation unit per N).
#pragma once

#include <algorithm>
#include <chrono>
#include <tuple>
#include <map>
#include <set>

#include "diff/diff.hpp"
#include "proofs/matrix.hpp"

namespace ptm::diff {

// Leaf by leaf, whether two values of a model type differ, aggregated per field
// name (process fields over every process; arrays as one field).
template <class T, class Out>
void leaf_diffs(const T& a, const T& b, const std::string& name, Out&& out) {
  if constexpr (hana::Struct<T>::value) {
    hana::for_each(hana::keys(a), [&](auto key) {
      const std::string k = hana::to<char const*>(key);
      leaf_diffs(hana::at_key(a, key), hana::at_key(b, key), name.empty() || name == "procs" ? k : name + "." + k, out);
    });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (std::size_t i = 0; i < a.size(); ++i) leaf_diffs(a[i], b[i], name, out);
  } else {
    out(name, a, b);
  }
}

// Whether two values of a model type are equal, leaf by leaf (the fast test).
template <class T>
bool same(const T& a, const T& b) {
  if constexpr (hana::Struct<T>::value) {
    bool eq = true;
    hana::for_each(hana::keys(a), [&](auto key) { eq = eq && same(hana::at_key(a, key), hana::at_key(b, key)); });
    return eq;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  } else {
    return a == b;
  }
}

template <class D, int N, class Out>
void step_diffs(const StepOf<D, N>& x, const StepOf<D, N>& y, Out&& out) {
  out("retval", x.out.retval, y.out.retval);
  out("status", x.out.status, y.out.status);
  leaf_diffs(x.next, y.next, "", out);
}

inline int op_index_of(const std::vector<std::pair<Op, std::string>>& ops, const Op& op) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op& o = ops[i].first;
    if (o.kind == op.kind && (o.kind != OP_PTRACE || o.req == op.req) && (o.kind != OP_SYSCTL || o.knob == op.knob))
      return static_cast<int>(i);
  }
  return -1;
}

// The kinds, by Z3: per operation, enumerate outcome pairs (blocking each pair
// found), then the fields that can differ when the outcomes agree (requiring a
// field not found yet), until unsat.
template <int N>
void enumerate(Report& rep, const Options& opt) {
  using Sy = proofs::Sy;
  auto& c = sym::ctx();
  const auto ops = all_operations();
  for (std::size_t oi = 0; oi < ops.size(); ++oi) {
    const Op op = ops[oi].first;  // not a structured binding: clang 14 cannot capture one
    const auto& name = ops[oi].second;
    const State<Sy, N> pre = proofs::fresh<State<Sy, N>>("s");
    const Args<Sy> args = proofs::fresh<Args<Sy>>("a");
    auto under = [&](SemanticsMask m) {
      SemanticsScope scope(m);
      return step<Sy, N>(pre, op, args);
    };
    const auto sa = under(rep.a), sb = under(rep.b);
    std::vector<std::pair<std::string, z3::expr>> fields;
    std::map<std::string, std::size_t> at;
    step_diffs<Sy, N>(sa, sb, [&](const std::string& f, const auto& x, const auto& y) {
      z3::expr d = x != y;
      if (auto it = at.find(f); it != at.end()) fields[it->second].second = fields[it->second].second || d;
      else at[f] = fields.size(), fields.push_back({f, d});
    });
    const z3::expr out_differs = sa.out.kind != sb.out.kind || sa.out.error != sb.out.error;
    z3::expr any = out_differs;
    for (const auto& [f, d] : fields) any = any || d;
    if (any.simplify().is_false()) continue;  // the same terms: nothing can differ

    z3::solver solver(c);
    z3::params p(c);
    p.set("timeout", opt.timeout_ms);
    solver.set(p);
    solver.add(invariants_hold<Sy, N>(pre));
    solver.add(proofs::args_well_formed<N>(op, args));
    auto num = [](const z3::model& m, const z3::expr& e) {
      return static_cast<int>(static_cast<std::int64_t>(m.eval(e, true).get_numeral_uint64()));
    };
    bool gave_up = false;
    solver.push();
    solver.add(out_differs);
    while (!gave_up) {
      auto r = solver.check();
      if (r == z3::unsat) break;
      if (r == z3::unknown) { gave_up = true; break; }
      z3::model m = solver.get_model();
      Kind k;
      k.op = name;
      k.op_index = static_cast<int>(oi);
      k.kind_a = num(m, sa.out.kind), k.err_a = num(m, sa.out.error);
      k.kind_b = num(m, sb.out.kind), k.err_b = num(m, sb.out.error);
      rep.kinds.push_back(k);
      solver.add(!(sa.out.kind == Sy::num(k.kind_a) && sa.out.error == Sy::num(k.err_a) &&
                   sb.out.kind == Sy::num(k.kind_b) && sb.out.error == Sy::num(k.err_b)));
    }
    solver.pop();
    solver.add(!out_differs);
    std::set<std::string> found;
    while (!gave_up) {
      z3::expr some = c.bool_val(false);
      for (const auto& [f, d] : fields)
        if (!found.count(f)) some = some || d;
      if (some.simplify().is_false()) break;
      solver.push();
      solver.add(some);
      auto r = solver.check();
      if (r == z3::sat) {
        z3::model m = solver.get_model();
        for (const auto& [f, d] : fields) {
          if (found.count(f) || !m.eval(d, true).is_true()) continue;
          found.insert(f);
          Kind k;
          k.op = name;
          k.op_index = static_cast<int>(oi);
          k.outcome = false;
          k.kind_a = k.kind_b = num(m, sa.out.kind);
          k.err_a = k.err_b = num(m, sa.out.error);
          k.field = f;
          rep.kinds.push_back(k);
        }
      }
      solver.pop();
      if (r == z3::unsat) break;
      if (r == z3::unknown) gave_up = true;
    }
    if (gave_up) rep.unknown.push_back(name);
  }
}

template <int N>
Report run_n(SemanticsMask a, SemanticsMask b, const Options& opt) {
  Report rep;
  rep.a = a, rep.b = b, rep.procs = N;
  const SemanticsMask saved = g_semantics;
  auto t0 = std::chrono::steady_clock::now();
  enumerate<N>(rep, opt);
  // A stable order: by operation, outcome kinds first, then by outcome or field.
  std::stable_sort(rep.kinds.begin(), rep.kinds.end(), [](const Kind& x, const Kind& y) {
    return std::tie(x.op_index, y.outcome, x.kind_a, x.err_a, x.kind_b, x.err_b, x.field) <
           std::tie(y.op_index, x.outcome, y.kind_a, y.err_a, y.kind_b, y.err_b, y.field);
  });
  rep.solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (!opt.searches) return rep;

  // Witnesses: breadth-first under A along steps where B agrees; a step where
  // they differ is labelled with its kinds (and not gone on from).
  const auto ops = all_operations();
  std::map<std::tuple<int, int, int, int, int>, int> outcome_label;
  std::map<std::pair<int, std::string>, int> field_label;
  for (std::size_t i = 0; i < rep.kinds.size(); ++i) {
    const auto& k = rep.kinds[i];
    if (k.outcome) outcome_label[{k.op_index, k.kind_a, k.err_a, k.kind_b, k.err_b}] = static_cast<int>(i);
    else field_label[{k.op_index, k.field}] = static_cast<int>(i);
  }
  const int unexpected = static_cast<int>(rep.kinds.size());
  auto labeler = [&](const StepCtx<Concrete, N>& c, std::vector<int>& out) {
    StepOf<Concrete, N> other;
    {
      SemanticsScope under_b(b);
      other = concrete_step<N>(c.pre, c.op, c.args);
    }
    const int oi = op_index_of(ops, c.op);
    if (c.out.kind != other.out.kind || c.out.error != other.out.error) {
      auto it = outcome_label.find({oi, static_cast<int>(c.out.kind), static_cast<int>(c.out.error),
                                    static_cast<int>(other.out.kind), static_cast<int>(other.out.error)});
      out.push_back(it == outcome_label.end() ? unexpected : it->second);
      return;
    }
    StepOf<Concrete, N> mine{c.out, c.post};
    if (same(mine, other)) return;
    step_diffs<Concrete, N>(mine, other, [&](const std::string& f, const auto& x, const auto& y) {
      if (x == y) return;
      auto it = field_label.find({oi, f});
      const int l = it == field_label.end() ? unexpected : it->second;
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    });
  };
  // First the explorer's alphabet (exhaustive for small N); then, for kinds
  // still without a witness, the complete alphabet (every operation of the model,
  // bounded argument domains: explore/alphabet.hpp) to a
  // bounded depth.
  g_semantics = a;
  for (explore::Alphabet alpha : {explore::Alphabet::search, explore::Alphabet::complete}) {
    bool missing = rep.kinds.empty();
    for (const auto& k : rep.kinds) missing |= !k.witness;
    if (alpha == explore::Alphabet::complete && !missing) break;
    explore::Options xo;
    xo.alphabet = alpha;
    xo.max_states = opt.max_states;
    xo.threads = opt.threads;
    xo.stop_at_labels = true;
    if (alpha == explore::Alphabet::complete) xo.max_depth = opt.oracle_depth;
    explore::Explorer<N> ex(xo, labeler, unexpected + 1);
    auto r = ex.run();
    if (alpha == explore::Alphabet::search) rep.search = r;
    else rep.oracle_search = r;
    for (auto& l : ex.labelled()) {
      if (l.label == unexpected) {
        if (!rep.unexpected) rep.unexpected = l.trace;
      } else if (!rep.kinds[l.label].witness || rep.kinds[l.label].witness->size() > l.trace.size()) {
        rep.kinds[l.label].witness = l.trace;
      }
    }
  }

  // The property verdicts of each.
  explore::Options vo;
  vo.max_states = opt.max_states;
  vo.threads = opt.threads;
  g_semantics = a;
  rep.explore_a = explore::Explorer<N>(vo).run();
  g_semantics = b;
  rep.explore_b = explore::Explorer<N>(vo).run();
  g_semantics = saved;
  for (const auto& id : rep.explore_a.properties) {
    PropertyRow r{id};
    for (const auto& v : rep.explore_a.violations) r.violated_a |= v.property == id;
    for (const auto& v : rep.explore_b.violations) r.violated_b |= v.property == id;
    rep.properties.push_back(r);
  }
  return rep;
}

}  // namespace ptm::diff
