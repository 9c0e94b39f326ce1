// The unbounded domain: the model's rules, unchanged, over a process table of
// any size n (docs/proofs.md, "For every N").
//
// Values are the symbolic domain's (64-bit bit-vectors and Booleans). The
// table is not N processes but one Z3 array per field of struct proc, indexed
// by slot, with a size n that is itself a constant of the query (2 <= n <=
// kMaxSlots). The table combinators of model/table.hpp become formulas over
// every slot:
//
//   all_slots / any_slot       forall / exists x in [0, n)
//   map_slots                  one array lambda per field (a field that f
//                              leaves alone keeps its array)
//   first_slot (pfind)         a fresh constant w, defined: w is NOPROC and no
//                              slot passes, or w is a slot that passes and no
//                              slot below it does
//   read_slot, proc_at         select; with_proc: store
//   parent_walk                over-approximated: a fresh (found, loops) pair
//                              with what every walk satisfies (below); a
//                              counterexample that uses it is not reported as
//                              a counterexample of the seed, but as unknown
//
// The definitions and over-approximations made while the rules run are kept
// here (ub::definitions()), and the prover asserts them with the query.
#pragma once

#include <z3++.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/invariants.hpp"
#include "proofs/symbolic.hpp"

namespace ptm {

// The largest table the proofs cover: pid_t is 32 bits, so no kernel has more
// processes than this (FreeBSD's PID_MAX is 99999); the model's pid space
// (3 n pids) still fits the 64-bit values.
inline constexpr std::int64_t kMaxSlots = std::int64_t{1} << 32;
// The template argument N of an unbounded state: the size is the constant ub::n().
inline constexpr int kAnyN = 0;

namespace ub {

struct Context {
  std::vector<z3::expr> bound;        // the slot variables of the binders in scope, innermost last
  std::vector<z3::expr> definitions;  // what defines the fresh constants
  std::vector<std::string> abstractions;  // what was over-approximated, once each
  std::vector<std::pair<z3::expr, z3::expr>> first_memo;  // (predicate over bound variable x!0, its constant)
  // The same question asked twice gets the same answer: the rules are
  // functions of the table, so an over-approximated term (a count, a new
  // pid, a walk) built twice from the same inputs (as `diff` builds a step
  // under two semantics) is one term, not two that could differ.
  std::vector<std::pair<z3::expr, z3::expr>> term_memo;  // (what it is of, the term)
  std::vector<std::pair<z3::expr, std::pair<z3::expr, z3::expr>>> walk_memo;  // (p_pptr, start, p) -> (found, loops)
  int fresh = 0;
};
inline Context& cx() {
  static Context* c = new Context;  // never destroyed, as sym::ctx()
  return *c;
}
// A new query: nothing defined yet.
inline void reset() { cx() = Context{}; }
inline const std::vector<z3::expr>& definitions() { return cx().definitions; }
inline const std::vector<std::string>& abstractions() { return cx().abstractions; }

// The table's size, shared by every state of a query.
inline z3::expr n() { return sym::ctx().bv_const("n", sym::kWidth); }
inline z3::expr num(std::int64_t v) { return sym::ctx().bv_val(static_cast<int64_t>(v), sym::kWidth); }
inline z3::expr in_table(const z3::expr& x) { return x >= num(0) && x < n(); }

// A binder's variable, named by its depth (so that nested binders differ).
inline z3::expr bind() {
  auto& c = cx();
  z3::expr x = sym::ctx().bv_const(("x!" + std::to_string(c.bound.size())).c_str(), sym::kWidth);
  c.bound.push_back(x);
  return x;
}
inline void unbind() { cx().bound.pop_back(); }
inline void outside_binders(const char* what) {
  if (!cx().bound.empty())
    throw std::logic_error(std::string("proofs/unbounded.hpp: ") + what +
                           " inside a formula over every slot is not supported (it would need a function of the slot)");
}
inline void note_abstraction(const std::string& what) {
  auto& a = cx().abstractions;
  for (const auto& s : a)
    if (s == what) return;
  a.push_back(what);
}

// A fresh constant; inside binders, a fresh function of their variables
// (what a Skolem function is: one value per choice of the enclosing slots).
inline z3::expr fresh_term(const std::string& base, const z3::sort& range) {
  auto& c = cx();
  auto& z = sym::ctx();
  const std::string name = base + "!" + std::to_string(c.fresh++);
  if (c.bound.empty()) return z.constant(name.c_str(), range);
  z3::sort_vector dom(z);
  z3::expr_vector args(z);
  for (const auto& b : c.bound) dom.push_back(b.get_sort()), args.push_back(b);
  return z.function(name.c_str(), dom, range)(args);
}
// A definition of fresh terms, for every value of the binders in scope.
inline void define(const z3::expr& d) {
  auto& c = cx();
  if (c.bound.empty()) {
    c.definitions.push_back(d);
    return;
  }
  z3::expr_vector vs(sym::ctx());
  for (const auto& b : c.bound) vs.push_back(b);
  c.definitions.push_back(z3::forall(vs, d));
}
inline z3::expr subst(const z3::expr& e, const z3::expr& from, const z3::expr& to) {
  z3::expr_vector f(sym::ctx()), t(sym::ctx());
  f.push_back(from);
  t.push_back(to);
  z3::expr r = e;
  return r.substitute(f, t);
}

// A term made before from the same inputs (`what`, a formula over the binder
// variables in scope), if any, with a name that starts with `tag`.
inline std::optional<z3::expr> memo(const std::string& tag, const z3::expr& what) {
  for (const auto& [key, t] : cx().term_memo)
    if (z3::eq(key, what) && t.decl().name().str().rfind(tag, 0) == 0) return t;
  return std::nullopt;
}
inline void remember(const z3::expr& what, const z3::expr& t) { cx().term_memo.emplace_back(what, t); }

// Leaf by leaf over a model value (Hana structs, std::array, SInt/SBool).
template <class T, class F>
T map_leaves(const T& a, F&& f) {
  if constexpr (hana::Struct<T>::value) {
    T out = a;
    hana::for_each(hana::keys(a), [&](auto key) { hana::at_key(out, key) = map_leaves(hana::at_key(a, key), f); });
    return out;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    T out = a;
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = map_leaves(a[i], f);
    return out;
  } else {
    return T(f(static_cast<const z3::expr&>(a)));
  }
}
template <class T, class F>
T zip_leaves(const T& a, const T& b, F&& f) {
  if constexpr (hana::Struct<T>::value) {
    T out = a;
    hana::for_each(hana::keys(a), [&](auto key) {
      hana::at_key(out, key) = zip_leaves(hana::at_key(a, key), hana::at_key(b, key), f);
    });
    return out;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    T out = a;
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = zip_leaves(a[i], b[i], f);
    return out;
  } else {
    return T(f(static_cast<const z3::expr&>(a), static_cast<const z3::expr&>(b)));
  }
}
// Fresh arrays, one per leaf, named after the fields.
template <class T>
T fresh_columns(const std::string& name) {
  auto& c = sym::ctx();
  if constexpr (hana::Struct<T>::value) {
    T out{};
    hana::for_each(hana::keys(out), [&](auto key) {
      using F = std::decay_t<decltype(hana::at_key(out, key))>;
      hana::at_key(out, key) = fresh_columns<F>(name + "." + hana::to<char const*>(key));
    });
    return out;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    T out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = fresh_columns<typename T::value_type>(name + "[" + std::to_string(i) + "]");
    return out;
  } else if constexpr (std::is_same_v<T, sym::SBool>) {
    return T(c.constant(name.c_str(), c.array_sort(c.bv_sort(sym::kWidth), c.bool_sort())));
  } else {
    return T(c.constant(name.c_str(), c.array_sort(c.bv_sort(sym::kWidth), c.bv_sort(sym::kWidth))));
  }
}
// Is e exactly select(col, x)?
inline bool is_select_of(const z3::expr& e, const z3::expr& col, const z3::expr& x) {
  return e.is_app() && e.decl().decl_kind() == Z3_OP_SELECT && e.num_args() == 2 && z3::eq(e.arg(0), col) &&
         z3::eq(e.arg(1), x);
}

}  // namespace ub

struct Unbounded : Symbolic {
  static constexpr bool unbounded_table = true;

  // The process at slot i: every field read at i.
  template <class Tab>
  static auto at(const Tab& tab, const Int& i) {
    return ub::map_leaves(tab.cols, [&](const z3::expr& col) { return z3::select(col, i); });
  }
  template <class Tab, class P>
  static Tab put(Tab tab, const Int& i, const P& p) {
    tab.cols = ub::zip_leaves(tab.cols, p, [&](const z3::expr& col, const z3::expr& v) {
      return ub::is_select_of(v, col, i) ? col : z3::store(col, i, v);
    });
    return tab;
  }
  template <class Tab, class F, class T>
  static T read_slot(const Tab& tab, const Int& slot, F&& f, const T& dflt) {
    return ite_value<Unbounded>(Bool(ub::in_table(slot)), T(f(at(tab, slot))), dflt);
  }
  template <class Tab, class F>
  static Bool all_slots(const Tab& tab, F&& f) {
    const z3::expr x = ub::bind();
    const z3::expr body = f(Int(x), at(tab, Int(x)));
    ub::unbind();
    return Bool(z3::forall(x, z3::implies(ub::in_table(x), body)));
  }
  template <class Tab, class F>
  static Bool any_slot(const Tab& tab, F&& f) {
    const z3::expr x = ub::bind();
    const z3::expr body = f(Int(x), at(tab, Int(x)));
    ub::unbind();
    return Bool(z3::exists(x, ub::in_table(x) && body));
  }
  template <class Tab, class F>
  static Bool all_slots_of_both(const Tab& a, const Tab& b, F&& f) {
    const z3::expr x = ub::bind();
    const z3::expr body = f(Int(x), at(a, Int(x)), at(b, Int(x)));
    ub::unbind();
    return Bool(z3::forall(x, z3::implies(ub::in_table(x), body)));
  }
  template <class Tab, class F>
  static Tab map_slots(const Tab& tab, F&& f) {
    const z3::expr x = ub::bind();
    const auto p = f(Int(x), at(tab, Int(x)));
    ub::unbind();
    Tab out = tab;
    out.cols = ub::zip_leaves(tab.cols, p, [&](const z3::expr& col, const z3::expr& v) {
      return ub::is_select_of(v, col, x) ? col : z3::lambda(x, v);
    });
    return out;
  }
  // The lowest (or highest) slot that passes f, NOPROC if none: a defined
  // term (a constant, or inside binders a function of their slots).
  template <class Tab, class F>
  static Int extreme_slot(const Tab& tab, F&& f, bool lowest) {
    const z3::expr x = ub::bind();
    const z3::expr body = f(Int(x), at(tab, Int(x)));
    ub::unbind();
    auto& c = ub::cx();
    const std::string tag = lowest ? "first" : "last";
    for (const auto& [pred, w] : c.first_memo)
      if (z3::eq(pred, body) && w.decl().name().str().rfind(tag, 0) == 0) return Int(w);
    const z3::expr w = ub::fresh_term(tag, sym::ctx().bv_sort(sym::kWidth));
    const z3::expr beyond = lowest ? (x >= ub::num(0) && x < w) : (x > w && x < ub::n());
    const z3::expr none_beyond = z3::forall(x, z3::implies(beyond, !body));
    const z3::expr none = z3::forall(x, z3::implies(ub::in_table(x), !body));
    ub::define((w == ub::num(NOPROC) && none) || (ub::in_table(w) && ub::subst(body, x, w) && none_beyond));
    // Two pfind()s of one pid written two ways: each one's definition at the
    // other's slot, so that the solver sees at once that they agree.
    if (c.bound.empty() && lowest) {
      auto passes_at = [&](const z3::expr& pred, const z3::expr& first, const z3::expr& y) {
        return z3::implies(ub::in_table(y) && ub::subst(pred, x, y), first != ub::num(NOPROC) && first <= y);
      };
      for (const auto& [pred, other] : c.first_memo) {
        if (other.num_args() != 0 || other.decl().name().str().rfind("first", 0) != 0) continue;
        c.definitions.push_back(passes_at(body, w, other));
        c.definitions.push_back(passes_at(pred, other, w));
      }
    }
    c.first_memo.emplace_back(body, w);
    return Int(w);
  }
  template <class Tab, class F>
  static Int first_slot(const Tab& tab, F&& f) {
    return extreme_slot(tab, f, true);
  }
  template <class Tab, class F>
  static Int last_slot(const Tab& tab, F&& f) {
    return extreme_slot(tab, f, false);
  }
  // The slot with f whose key is largest above floor, the lowest of equals;
  // NOPROC if none: a defined term.
  template <class Tab, class F, class K>
  static Int best_slot(const Tab& tab, F&& f, K&& key, const Int& floor) {
    const z3::expr x = ub::bind();
    const Proc<Unbounded> px = at(tab, Int(x));
    const z3::expr ok = f(Int(x), px) && key(Int(x), px) > floor;
    const z3::expr k = key(Int(x), px);
    ub::unbind();
    const z3::expr what = ok && k == k;  // the filter and the key, as one term to compare
    if (auto m = ub::memo("best", what)) return Int(*m);
    const z3::expr w = ub::fresh_term("best", sym::ctx().bv_sort(sym::kWidth));
    ub::remember(what, w);
    const z3::expr kw = ub::subst(k, x, w);
    const z3::expr none = z3::forall(x, z3::implies(ub::in_table(x), !ok));
    const z3::expr beats = z3::forall(x, z3::implies(ub::in_table(x) && ok, k < kw || (k == kw && x >= w)));
    ub::define((w == ub::num(NOPROC) && none) || (ub::in_table(w) && ub::subst(ok, x, w) && beats));
    return Int(w);
  }
  // How many slots pass f: over-approximated (a count is not first-order): a
  // number in 0..n, 0 exactly when none passes.
  template <class Tab, class F>
  static Int count_slots(const Tab& tab, F&& f) {
    const z3::expr x = ub::bind();
    const z3::expr body = f(Int(x), at(tab, Int(x)));
    ub::unbind();
    if (auto m = ub::memo("count", body)) return Int(*m);
    const z3::expr k = ub::fresh_term("count", sym::ctx().bv_sort(sym::kWidth));
    ub::remember(body, k);
    ub::define(k >= ub::num(0) && k <= ub::n() && ((k == ub::num(0)) == z3::forall(x, z3::implies(ub::in_table(x), !body))));
    ub::note_abstraction("a count of processes (fixjobc's pg_jobc, exit1's list positions)");
    return Int(k);
  }
  // The least k in 1..pid_max-PID_RESERVED with f(k), 0 if none: a defined term.
  template <class Tab, class F>
  static Int first_in_pid_space(const Tab& tab, F&& f) {
    const z3::expr y = ub::bind();
    const z3::expr body = f(Int(y));
    ub::unbind();
    const z3::expr top = pid_max(tab) - ub::num(PID_RESERVED);
    const z3::expr of = body && top == top;  // the predicate and the pid space, as one term to compare
    if (auto m = ub::memo("pidk", of)) return Int(*m);
    const z3::expr k = ub::fresh_term("pidk", sym::ctx().bv_sort(sym::kWidth));
    ub::remember(of, k);
    // Which one is first is left open: a test of whether a pid is in use is an
    // exists over the table, and "every candidate before it is in use" would be
    // a forall-exists, on which the solver's instantiation does not end.
    ub::define(k == ub::num(0) || (k >= ub::num(1) && k <= top && ub::subst(body, y, k)));
    ub::note_abstraction("the choice of a new pid (any one not in use)");
    return Int(k);
  }
  template <class Tab>
  static Int pid_max(const Tab& tab) {
    return Int(tab.n * ub::num(3));  // model/state.hpp pid_max<N> = 3 N
  }
  // The p_pptr walk, over-approximated: it ends at once from NULL, finds p at
  // once when it starts there, and never both finds p and loops.
  template <class Tab>
  static AncestorWalk<Unbounded> parent_walk(const Tab& tab, const Int& start, const Int& p) {
    ub::outside_binders("parent_walk");
    auto& c = ub::cx();
    const z3::expr of = z3::select(tab.cols.p_pptr, start) == p;  // the column, start and p, as one term
    for (const auto& [key, fl] : c.walk_memo)
      if (z3::eq(key, of)) return {Bool(fl.first), Bool(fl.second)};
    const std::string k = std::to_string(c.fresh++);
    const z3::expr found = sym::ctx().bool_const(("walk_found!" + k).c_str());
    const z3::expr loops = sym::ctx().bool_const(("walk_loops!" + k).c_str());
    const z3::expr null = ub::num(NOPROC);
    c.definitions.push_back(!(found && loops));
    c.definitions.push_back(z3::implies(start == null, !found && !loops));
    c.definitions.push_back(z3::implies(start != null && start == p, found));
    c.definitions.push_back(z3::implies(found, p != null));
    c.walk_memo.push_back({of, {found, loops}});
    ub::note_abstraction("the p_pptr walk (seed 464-471)");
    return {Bool(found), Bool(loops)};
  }
};

// The table of an unbounded state: its size and one array per field.
struct UTable {
  BOOST_HANA_DEFINE_STRUCT(UTable, (sym::SInt, n), (Proc<Unbounded>, cols));
  // Every field 0 / false at every slot (the start of initial_state, which
  // map_slots then fills).
  UTable() : n(ub::n()), cols(ub::map_leaves(Proc<Unbounded>{}, [](const z3::expr& v) {
    auto& c = sym::ctx();
    return z3::const_array(c.bv_sort(sym::kWidth), v);
  })) {}
};

template <int N>
struct ProcTableOf<Unbounded, N> {
  using type = UTable;
};

using UState = State<Unbounded, kAnyN>;

namespace ub {
// A state of any size: every field of every slot, and every global, unconstrained.
inline UState fresh_state(const std::string& name) {
  UState s{};
  hana::for_each(hana::keys(s), [&](auto key) {
    using F = std::decay_t<decltype(hana::at_key(s, key))>;
    if constexpr (std::is_same_v<F, UTable>) {
      hana::at_key(s, key).n = n();
      hana::at_key(s, key).cols = fresh_columns<Proc<Unbounded>>(name + ".procs");
    } else {
      hana::at_key(s, key) = F(sym::ctx().bv_const((name + "." + hana::to<char const*>(key)).c_str(), sym::kWidth));
    }
  });
  return s;
}
}  // namespace ub

}  // namespace ptm
