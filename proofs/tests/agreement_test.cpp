// The two interpretations of the rules agree: for each operation, the symbolic
// step over fresh inputs, evaluated under an assignment that fixes the inputs
// to a concrete state and arguments, gives exactly the concrete outcome and
// next state. States: the scenario library's and random ones (the property
// tests' generators).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "proofs/matrix.hpp"
#include "proofs/tests/state_pool.hpp"

namespace ptm::proofs {
namespace {

constexpr int N = 4;
using CS = State<Concrete, N>;

// Collect (name, value) pairs of a concrete value and the matching fresh constants.
template <class T, class U>
void bind(const T& sym, const U& con, z3::expr_vector& from, z3::expr_vector& to) {
  if constexpr (hana::Struct<T>::value) {
    hana::for_each(hana::keys(sym), [&](auto key) { bind(hana::at_key(sym, key), hana::at_key(con, key), from, to); });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (std::size_t i = 0; i < sym.size(); ++i) bind(sym[i], con[i], from, to);
  } else if constexpr (std::is_same_v<T, sym::SBool>) {
    from.push_back(sym);
    to.push_back(sym::ctx().bool_val(static_cast<bool>(con)));
  } else {
    from.push_back(sym);
    to.push_back(sym::ctx().bv_val(static_cast<int64_t>(con), sym::kWidth));
  }
}
// Compare a substituted symbolic value with a concrete one, field by field.
template <class T, class U>
void compare(const T& sym, const U& con, z3::expr_vector& from, z3::expr_vector& to, const std::string& where,
             std::vector<std::string>& diffs) {
  if constexpr (hana::Struct<T>::value) {
    hana::for_each(hana::keys(sym), [&](auto key) {
      compare(hana::at_key(sym, key), hana::at_key(con, key), from, to, where + "." + hana::to<char const*>(key), diffs);
    });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    for (std::size_t i = 0; i < sym.size(); ++i) compare(sym[i], con[i], from, to, where + "[" + std::to_string(i) + "]", diffs);
  } else {
    z3::expr v = z3::expr(sym).substitute(from, to).simplify();
    std::int64_t got;
    if constexpr (std::is_same_v<T, sym::SBool>) {
      if (!v.is_true() && !v.is_false()) {
        diffs.push_back(where + ": not a constant");
        return;
      }
      got = v.is_true();
    } else {
      if (!v.is_numeral()) {
        diffs.push_back(where + ": not a constant");
        return;
      }
      got = static_cast<std::int64_t>(v.get_numeral_uint64());
    }
    if (got != static_cast<std::int64_t>(con)) diffs.push_back(fmt::format("{}: symbolic {}, concrete {}", where, got, con));
  }
}

TEST(Agreement, SymbolicAndConcreteStepsAgreeOnManyStates) {
  // Concrete states: every prefix of random sequences at N = 4, drawn with a
  // simple generator over the same operations.
  rc::Random random(20261127);
  const auto ops = all_operations();
  std::vector<CS> states = testing::reachable_pool<N>(random, 40, 30);
  ASSERT_GE(states.size(), 30u);

  int compared = 0;
  // Under the sanitizers (PTMODEL_SANITIZED, .bazelrc) half the states: the
  // same comparisons, in half the time.
  const std::size_t keep = std::getenv("PTMODEL_SANITIZED") ? 40 : 80;
  if (states.size() > keep) states.resize(keep);
  for (const auto& [op, name] : ops) {
    const auto pre = fresh<State<Symbolic, N>>("s");
    const auto args = fresh<Args<Symbolic>>("a");
    auto st = step<Symbolic, N>(pre, op, args);
    for (std::size_t k = 0; k < states.size(); k += (op.kind == OP_PTRACE ? 2 : 3)) {
      const CS& s = states[k];
      const Args<Concrete> a = testing::random_args<N>(random, op);
      z3::expr_vector from(sym::ctx()), to(sym::ctx());
      bind(pre, s, from, to);
      bind(args, a, from, to);
      auto want = concrete_step<N>(s, op, a);
      std::vector<std::string> diffs;
      compare(st.out, want.out, from, to, "outcome", diffs);
      compare(st.next, want.next, from, to, "next", diffs);
      EXPECT_TRUE(diffs.empty()) << name << " on state " << k << ":\n  " << fmt::format("{}", fmt::join(diffs, "\n  "));
      ++compared;
      if (!diffs.empty()) return;
    }
  }
  EXPECT_GT(compared, keep == 80 ? 1000 : 500);
  std::printf("%d (operation, state) pairs compared, %zu states\n", compared, states.size());
}

}  // namespace
}  // namespace ptm::proofs
