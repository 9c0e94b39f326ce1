// The diff for a table of N processes (one translation unit per N).
#pragma once

#include <algorithm>
#include <chrono>
#include <tuple>
#include <map>
#include <set>

#include "diff/diff.hpp"
#include "model/goals.hpp"
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

// The differences of two steps by field name, the leaves of one field (every
// process, every array element) or'ed together, in the order first seen.
struct FieldDiffs {
  std::vector<std::pair<std::string, z3::expr>> list;
  std::map<std::string, std::size_t> at;
  void add(const std::string& f, const z3::expr& d) {
    if (auto it = at.find(f); it != at.end()) list[it->second].second = list[it->second].second || d;
    else at[f] = list.size(), list.push_back({f, d});
  }
};

// The goals a step reaches, one bit per goal of kGoals (under the semantics in force).
template <class D, int N>
std::vector<Bool<D>> goals_reached(const StepCtx<D, N>& c) {
  std::vector<Bool<D>> out;
  for_each_goal<D, N>(c, [&](int, std::string_view, Bool<D> reached) { out.push_back(reached); });
  return out;
}
inline std::vector<std::string> goal_ids() {
  std::vector<std::string> out;
  hana::for_each(kGoals, [&](auto t) { out.emplace_back(decltype(t)::type::id); });
  return out;
}

// The kinds of one operation at N, by Z3: enumerate outcome pairs (blocking
// each pair found), then the fields that can differ when the outcomes agree
// (requiring a field not found yet), then the goals reached under one
// semantics and not the other, until unsat. Kinds already listed at a smaller
// table are not listed again.
template <int N>
void enumerate(Report& rep, const Options& opt, std::size_t oi) {
  using Sy = proofs::Sy;
  auto& c = sym::ctx();
  const auto ops = all_operations();
  const auto gids = goal_ids();
  {
    const Op op = ops[oi].first;  // not a structured binding: clang 14 cannot capture one
    const auto& name = ops[oi].second;
    const State<Sy, N> pre = proofs::fresh<State<Sy, N>>("s");
    const Args<Sy> args = proofs::fresh<Args<Sy>>("a");
    auto under = [&](SemanticsMask m) {
      SemanticsScope scope(m);
      return step<Sy, N>(pre, op, args);
    };
    const auto sa = under(rep.a), sb = under(rep.b);
    FieldDiffs diffs;
    step_diffs<Sy, N>(sa, sb, [&](const std::string& f, const auto& x, const auto& y) { diffs.add(f, x != y); });
    const auto& fields = diffs.list;
    const z3::expr out_differs = sa.out.kind != sb.out.kind || sa.out.error != sb.out.error;
    z3::expr any = out_differs;
    for (const auto& [f, d] : fields) any = any || d;
    if (any.simplify().is_false()) return;  // the same terms: nothing can differ
    std::vector<Bool<Sy>> ga, gb;
    {
      SemanticsScope scope(rep.a);
      ga = goals_reached<Sy, N>(StepCtx<Sy, N>{pre, op, args, sa.out, sa.next});
    }
    {
      SemanticsScope scope(rep.b);
      gb = goals_reached<Sy, N>(StepCtx<Sy, N>{pre, op, args, sb.out, sb.next});
    }

    z3::solver solver(c);
    z3::params p(c);
    p.set("timeout", opt.timeout_ms);
    solver.set(p);
    solver.add(invariants_hold<Sy, N>(pre));
    solver.add(proofs::args_well_formed<N>(op, args));
    auto num = [](const z3::model& m, const z3::expr& e) {
      return static_cast<int>(static_cast<std::int64_t>(m.eval(e, true).get_numeral_uint64()));
    };
    auto base = [&] {
      Kind k;
      k.op = name;
      k.op_index = static_cast<int>(oi);
      k.procs = N;
      return k;
    };
    bool gave_up = false;
    solver.push();
    solver.add(out_differs);
    while (!gave_up) {
      auto r = solver.check();
      if (r == z3::unsat) break;
      if (r == z3::unknown) { gave_up = true; break; }
      z3::model m = solver.get_model();
      Kind k = base();
      k.kind_a = num(m, sa.out.kind), k.err_a = num(m, sa.out.error);
      k.kind_b = num(m, sb.out.kind), k.err_b = num(m, sb.out.error);
      add_kind(rep, k);
      solver.add(!(sa.out.kind == Sy::num(k.kind_a) && sa.out.error == Sy::num(k.err_a) &&
                   sb.out.kind == Sy::num(k.kind_b) && sb.out.error == Sy::num(k.err_b)));
    }
    solver.pop();
    solver.push();
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
          Kind k = base();
          k.outcome = false;
          k.kind_a = k.kind_b = num(m, sa.out.kind);
          k.err_a = k.err_b = num(m, sa.out.error);
          k.field = f;
          add_kind(rep, k);
        }
      }
      solver.pop();
      if (r == z3::unsat) break;
      if (r == z3::unknown) gave_up = true;
    }
    solver.pop();
    for (std::size_t g = 0; g < gids.size() && !gave_up; ++g) {
      for (bool under_b : {true, false}) {
        const z3::expr only = under_b ? (gb[g] && !ga[g]) : (ga[g] && !gb[g]);
        if (only.simplify().is_false()) continue;
        solver.push();
        solver.add(only);
        auto r = solver.check();
        solver.pop();
        if (r == z3::unknown) { gave_up = true; break; }
        if (r == z3::unsat) continue;
        Kind k = base();
        k.outcome = false;
        k.goal = gids[g];
        k.goal_under_b = under_b;
        add_kind(rep, k);
      }
    }
    if (gave_up) rep.unknown.push_back(name + " at N = " + std::to_string(N)), rep.unknown_procs.push_back(N);
  }
}

// Witnesses at N for the kinds Z3 lists at N or less that have none yet:
// breadth-first under A along steps where B agrees; a step where they differ
// is labelled with its kinds (and not gone on from). First the explorer's
// alphabet; then, for kinds still without a witness, the complete alphabet
// (every operation of the model, bounded argument domains: explore/alphabet.hpp)
// to a bounded depth. `seconds`: what is left of the budget (0: none).
template <int N>
void search_witnesses(Report& rep, const Options& opt, double seconds) {
  const SemanticsMask a = rep.a, b = rep.b;
  const auto ops = all_operations();
  const auto gids = goal_ids();
  std::map<std::tuple<int, int, int, int, int>, int> outcome_label;
  std::map<std::pair<int, std::string>, int> field_label;
  std::map<std::tuple<int, std::size_t, bool>, int> goal_label;
  for (std::size_t i = 0; i < rep.kinds.size(); ++i) {
    const auto& k = rep.kinds[i];
    if (k.outcome) outcome_label[{k.op_index, k.kind_a, k.err_a, k.kind_b, k.err_b}] = static_cast<int>(i);
    else if (k.goal.empty()) field_label[{k.op_index, k.field}] = static_cast<int>(i);
    else
      goal_label[{k.op_index, static_cast<std::size_t>(std::find(gids.begin(), gids.end(), k.goal) - gids.begin()),
                  k.goal_under_b}] = static_cast<int>(i);
  }
  const int unexpected = static_cast<int>(rep.kinds.size());
  auto labeler = [&](const StepCtx<Concrete, N>& c, std::vector<int>& out) {
    StepOf<Concrete, N> other;
    {
      SemanticsScope under_b(b);
      other = concrete_step<N>(c.pre, c.op, c.args);
    }
    const int oi = op_index_of(ops, c.op);
    auto put = [&](int l) {
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    };
    const bool outcome_differs = c.out.kind != other.out.kind || c.out.error != other.out.error;
    StepOf<Concrete, N> mine{c.out, c.post};
    if (!outcome_differs && same(mine, other)) return;
    if (outcome_differs) {
      auto it = outcome_label.find({oi, static_cast<int>(c.out.kind), static_cast<int>(c.out.error),
                                    static_cast<int>(other.out.kind), static_cast<int>(other.out.error)});
      put(it == outcome_label.end() ? unexpected : it->second);
    } else {
      step_diffs<Concrete, N>(mine, other, [&](const std::string& f, const auto& x, const auto& y) {
        if (x == y) return;
        auto it = field_label.find({oi, f});
        put(it == field_label.end() ? unexpected : it->second);
      });
    }
    const auto ga = goals_reached<Concrete, N>(c);
    std::vector<Bool<Concrete>> gb;
    {
      SemanticsScope under_b(b);
      gb = goals_reached<Concrete, N>(StepCtx<Concrete, N>{c.pre, c.op, c.args, other.out, other.next});
    }
    for (std::size_t g = 0; g < gids.size(); ++g) {
      if (ga[g] == gb[g]) continue;
      auto it = goal_label.find({oi, g, gb[g]});
      put(it == goal_label.end() ? unexpected : it->second);
    }
  };
  const auto t0 = std::chrono::steady_clock::now();
  const SemanticsMask saved = g_semantics;
  g_semantics = a;
  for (explore::Alphabet alpha : {explore::Alphabet::search, explore::Alphabet::complete}) {
    std::vector<char> wanted(rep.kinds.size() + 1, 0);
    bool missing = false;
    for (std::size_t i = 0; i < rep.kinds.size(); ++i)
      if (rep.kinds[i].procs <= N && !rep.kinds[i].witness) wanted[i] = 1, missing = true;
    // Where Z3 gave up, the search runs to its bounds (a difference it reaches is one Z3 could not list).
    const bool gave_up = std::find(rep.unknown_procs.begin(), rep.unknown_procs.end(), N) != rep.unknown_procs.end();
    if (!missing && !(gave_up && alpha == explore::Alphabet::search)) break;
    const double used = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (seconds > 0 && used >= seconds) break;
    explore::Options xo;
    xo.alphabet = alpha;
    xo.max_states = opt.max_states;
    xo.threads = opt.threads;
    xo.stop_at_labels = true;
    if (missing && !gave_up) xo.wanted_labels = wanted;
    if (seconds > 0) xo.max_seconds = seconds - used;
    if (alpha == explore::Alphabet::complete) xo.max_depth = opt.oracle_depth;
    explore::Explorer<N> ex(xo, labeler, unexpected + 1);
    auto r = ex.run();
    rep.searches.push_back({N, alpha == explore::Alphabet::complete, r});
    for (auto& l : ex.labelled()) {
      if (l.label == unexpected) {
        if (!rep.unexpected) rep.unexpected = l.trace, rep.unexpected_procs = N;
      } else if (!rep.kinds[l.label].witness) {
        rep.kinds[l.label].witness = l.trace;
        rep.kinds[l.label].witness_procs = N;
      }
    }
  }
  g_semantics = saved;
}

// The property verdicts of each semantics: every reachable state at N (or the bound).
template <int N>
void explore_properties(Report& rep, const Options& opt) {
  const SemanticsMask saved = g_semantics;
  explore::Options vo;
  vo.max_states = opt.max_states;
  vo.threads = opt.threads;
  g_semantics = rep.a;
  rep.explore_a = explore::Explorer<N>(vo).run();
  g_semantics = rep.b;
  rep.explore_b = explore::Explorer<N>(vo).run();
  g_semantics = saved;
  rep.property_procs = N;
  for (const auto& id : rep.explore_a.properties) {
    PropertyRow r{id};
    for (const auto& v : rep.explore_a.violations) r.violated_a |= v.property == id;
    for (const auto& v : rep.explore_b.violations) r.violated_b |= v.property == id;
    rep.properties.push_back(r);
  }
}

template <int N>
constexpr Stages stages_n() {
  return {&enumerate<N>, &search_witnesses<N>, &explore_properties<N>};
}

}  // namespace ptm::diff
