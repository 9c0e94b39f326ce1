// The proofs for every N reason about the rules in the unbounded domain
// (proofs/unbounded.hpp): the table is one Z3 array per field, its size n a
// constant, pfind a defined term, the table loops quantified formulas, and a
// few things over-approximated (a count of processes, the choice of a new pid,
// the p_pptr walk). This test holds that domain to the concrete step, the way
// agreement_test holds the bounded one: for every operation, with n fixed to
// N = 4 and the step's inputs fixed to a reachable concrete state and
// arguments,
//
//  1. the concrete outcome and next state satisfy the unbounded step's
//     formulas with its definitions (Z3: sat). So every transition of the
//     model is a transition of the unbounded relation, which is what a proof
//     for every N needs in order to say anything about the model; and
//  2. where the step over-approximated nothing, no other outcome or next
//     state does (Z3: "some field differs" is unsat). So the unbounded step is
//     exactly the model's there, and a counterexample to induction through
//     such an operation is a state of the model.
//
// A query Z3 leaves unknown fails the test: it would be a comparison not made.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <unordered_map>

#include "proofs/every_n.hpp"
#include "proofs/tests/state_pool.hpp"

namespace ptm::proofs {
namespace {

constexpr int N = 4;
using CS = State<Concrete, N>;

struct Leaf {
  std::string where;
  z3::expr sym;
  z3::expr value;  // the concrete value, as a Z3 constant
};

// The leaves of an unbounded value beside the concrete one: a state's table
// is read at slots 0..N-1.
template <class T, class C>
void leaves(const T& sym, const C& con, const std::string& where, std::vector<Leaf>& out) {
  auto& z = sym::ctx();
  if constexpr (std::is_same_v<T, UTable>) {
    for (int i = 0; i < N; ++i) leaves(Unbounded::at(sym, ub::num(i)), con[i], where + "[" + std::to_string(i) + "]", out);
  } else if constexpr (hana::Struct<T>::value) {
    hana::for_each(hana::keys(sym), [&](auto key) {
      leaves(hana::at_key(sym, key), hana::at_key(con, key), where + "." + hana::to<char const*>(key), out);
    });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (std::size_t i = 0; i < sym.size(); ++i) leaves(sym[i], con[i], where + "[" + std::to_string(i) + "]", out);
  } else if constexpr (std::is_same_v<T, sym::SBool>) {
    out.push_back({where, static_cast<const z3::expr&>(sym), z.bool_val(static_cast<bool>(con))});
  } else {
    out.push_back({where, static_cast<const z3::expr&>(sym), z.bv_val(static_cast<int64_t>(con), sym::kWidth)});
  }
}

// The unbounded step's formulas instantiated at a table of exactly N slots:
// a quantifier over the slots becomes a conjunction (forall) or disjunction
// (exists) over slots 0..N-1, and a read of an array built by map_slots
// (a lambda), put (store) or a branch (ite) becomes the value written there.
// Every quantifier the domain makes over the table is guarded by "x in
// [0, n)" (proofs/unbounded.hpp), so with n = N this is the same formula;
// the definitions of fresh functions of enclosing slots (ub::define inside
// binders) are kept only at the table's slots, which are the only ones the
// step reads. What remains is quantifier-free, which Z3 decides at once
// (with the quantifiers themselves it took minutes and left queries unknown).
class Grounder {
 public:
  z3::expr operator()(const z3::expr& e) {
    const unsigned id = Z3_get_ast_id(e.ctx(), e);
    if (auto it = memo_.find(id); it != memo_.end()) return it->second.second;
    z3::expr r = ground(e);
    memo_.emplace(id, std::make_pair(e, r));  // e kept alive, so that its id is not reused
    return r;
  }

 private:
  std::unordered_map<unsigned, std::pair<z3::expr, z3::expr>> memo_;

  static z3::expr slot(int i) { return ub::num(i); }
  // The body of a quantifier or lambda with its bound variables (de Bruijn:
  // index 0 is the last bound) replaced by `vals` (in binding order).
  static z3::expr instantiate(const z3::expr& q, const std::vector<z3::expr>& vals) {
    z3::expr_vector to(q.ctx());
    for (auto it = vals.rbegin(); it != vals.rend(); ++it) to.push_back(*it);
    z3::expr body = q.body();
    return body.substitute(to);
  }
  z3::expr read(const z3::expr& arr, const z3::expr& j) {
    if (arr.is_lambda()) return (*this)(instantiate(arr, {j}));
    if (arr.is_app()) {
      const auto k = arr.decl().decl_kind();
      if (k == Z3_OP_STORE)
        return z3::ite((*this)(arr.arg(1)) == (*this)(j), (*this)(arr.arg(2)), read(arr.arg(0), j));
      if (k == Z3_OP_ITE) return z3::ite((*this)(arr.arg(0)), read(arr.arg(1), j), read(arr.arg(2), j));
      if (k == Z3_OP_CONST_ARRAY) return (*this)(arr.arg(0));
    }
    return z3::select((*this)(arr), (*this)(j));
  }
  z3::expr ground(const z3::expr& e) {
    auto& z = e.ctx();
    if (e.is_quantifier() && !e.is_lambda()) {
      const unsigned k = Z3_get_quantifier_num_bound(z, e);
      std::vector<int> at(k, 0);
      z3::expr_vector parts(z);
      for (;;) {  // every choice of slots for the k bound variables
        std::vector<z3::expr> vals;
        for (unsigned i = 0; i < k; ++i) vals.push_back(slot(at[i]));
        parts.push_back((*this)(instantiate(e, vals)));
        unsigned i = 0;
        while (i < k && ++at[i] == N) at[i++] = 0;
        if (i == k) break;
      }
      return e.is_forall() ? z3::mk_and(parts) : z3::mk_or(parts);
    }
    if (!e.is_app()) return e;
    if (e.decl().decl_kind() == Z3_OP_SELECT) return read(e.arg(0), e.arg(1));
    if (e.num_args() == 0) return e;
    z3::expr_vector args(z);
    for (unsigned i = 0; i < e.num_args(); ++i) args.push_back((*this)(e.arg(i)));
    return e.decl()(args);
  }
};

z3::expr all_equal(const std::vector<Leaf>& ls) {
  z3::expr_vector v(sym::ctx());
  for (const auto& l : ls) v.push_back(l.sym == l.value);
  return z3::mk_and(v);
}

// The step's leaves and definitions at a table of N slots.
void ground_all(Grounder& g, std::vector<Leaf>& ls) {
  for (auto& l : ls) l.sym = g(l.sym);
}
void add_definitions(z3::solver& s, Grounder& g, const UnboundedStep& u) {
  for (const auto& d : u.definitions) s.add(g(d));
  s.add(ub::n() == ub::num(N));
}

TEST(EveryNAgreement, TheUnboundedStepContainsTheConcreteStepAndIsItWhereNothingIsOverApproximated) {
  rc::Random random(20261203);
  std::vector<CS> states = testing::reachable_pool<N>(random, 20, 30);
  ASSERT_GE(states.size(), 30u);
  // Under the sanitizers (PTMODEL_SANITIZED, .bazelrc) fewer states.
  const std::size_t keep = std::getenv("PTMODEL_SANITIZED") ? 8 : 24;
  if (states.size() > keep) states.resize(keep);
  auto& z = sym::ctx();
  int contained = 0, exact = 0, ops_exact = 0, ops_over = 0;
  std::string over_names;
  for (const auto& [op, name] : all_operations()) {
    const UnboundedStep u = unbounded_step(op);
    const bool over = !u.abstractions.empty();
    (over ? ops_over : ops_exact)++;
    if (over) over_names += " " + name;
    Grounder g;
    z3::solver s(z);
    z3::params p(z);
    p.set("timeout", 30'000u);
    s.set(p);
    add_definitions(s, g, u);
    for (std::size_t k = 0; k < states.size(); ++k) {
      const CS& c = states[k];
      const Args<Concrete> a = testing::random_args<N>(random, op);
      const auto want = concrete_step<N>(c, op, a);
      std::vector<Leaf> in, outs;
      leaves(u.pre, c, "pre", in);
      leaves(u.args, a, "args", in);
      leaves(u.st.out, want.out, "outcome", outs);
      leaves(u.st.next, want.next, "next", outs);
      ground_all(g, in);
      ground_all(g, outs);
      s.push();
      s.add(all_equal(in));
      // 1. The concrete transition is one of the unbounded step's.
      s.push();
      s.add(all_equal(outs));
      const auto r1 = s.check();
      s.pop();
      ASSERT_EQ(r1, z3::sat) << name << " on state " << k << ": the concrete step is "
                             << (r1 == z3::unsat ? "not among the unbounded step's" : "not decided: " + s.reason_unknown());
      ++contained;
      // 2. And the only one, where nothing is over-approximated.
      if (!over) {
        z3::expr_vector differs(z);
        for (const auto& l : outs) differs.push_back(l.sym != l.value);
        s.add(z3::mk_or(differs));
        const auto r2 = s.check();
        std::string which;
        if (r2 == z3::sat) {
          const z3::model m = s.get_model();
          for (const auto& l : outs)
            if (!z3::eq(m.eval(l.sym, true).simplify(), l.value.simplify()))
              which += fmt::format("\n  {}: unbounded {}, concrete {}", l.where, m.eval(l.sym, true).to_string(),
                                   l.value.to_string());
        }
        ASSERT_EQ(r2, z3::unsat) << name << " on state " << k << ": "
                                 << (r2 == z3::sat ? "another outcome or next state is possible:" + which
                                                   : "not decided: " + s.reason_unknown());
        ++exact;
      }
      s.pop();
    }
  }
  std::printf("%d (operation, state) pairs contained, %d exact; %d operations exact, %d over-approximated:%s\n",
              contained, exact, ops_exact, ops_over, over_names.c_str());
  EXPECT_GT(ops_exact, 20);
  EXPECT_EQ(contained, static_cast<int>(all_operations().size() * states.size()));
}

// The test can fail: a next state that differs from the concrete one in one
// field is not among the unbounded step's.
TEST(EveryNAgreement, AWrongNextStateIsNotAmongTheUnboundedStepsOnes) {
  rc::Random random(7);
  const auto states = testing::reachable_pool<N>(random, 2, 10);
  const Op op{OP_PTRACE, PT_TRACE_ME};
  const UnboundedStep u = unbounded_step(op);
  auto& z = sym::ctx();
  Grounder g;
  z3::solver s(z);
  add_definitions(s, g, u);
  Args<Concrete> a = default_args<Concrete>();
  a.actor = 2;
  const auto want = concrete_step<N>(states.back(), op, a);
  auto wrong = want.next;
  wrong.procs[2].P_TRACED = !wrong.procs[2].P_TRACED;
  std::vector<Leaf> in, outs;
  leaves(u.pre, states.back(), "pre", in);
  leaves(u.args, a, "args", in);
  leaves(u.st.out, want.out, "outcome", outs);
  leaves(u.st.next, wrong, "next", outs);
  ground_all(g, in);
  ground_all(g, outs);
  s.add(all_equal(in));
  s.add(all_equal(outs));
  EXPECT_EQ(s.check(), z3::unsat);
}

}  // namespace
}  // namespace ptm::proofs
