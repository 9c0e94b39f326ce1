// The value domain the rules are written over.
//
// Every rule in model/ is a template over a domain D. D supplies the types of
// values (D::Bool, D::Int) and the only ways to branch on them:
//
//   D::ite(c, a, b)        select a value (a and b already computed)
//   D::branch(c, f, g)     select between two computations (lazy where D can be)
//   D::at(arr, i)          read arr[i] for a domain index
//   D::put(arr, i, v)      arr with arr[i] = v, for a domain index
//   D::observe(check, v)   a check of a check list was evaluated to v; returns
//                          the value the rule goes on with (v, except in an
//                          instrumenting domain that explores past checks)
//
// Rules never use a plain `if` on a domain value, so the same rule code runs
// concretely (constexpr, the Concrete domain below), with instrumentation
// (Recording, in the tests and `ptmodel explain`), and symbolically over
// z3::expr (proofs/). Plain C++ control flow is used only on values that are
// not domain values: the request number of an operation, loop bounds, N.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <type_traits>

#include <boost/hana.hpp>

#include "model/semantics.hpp"

static_assert(__cplusplus >= 202002L, "ptmodel needs C++20 (is .bazelrc in use?)");

namespace ptm {

namespace hana = boost::hana;

struct CheckInfo;  // check.hpp

// Checks removed from the rules (the audit's mutants: the seed with check k
// taken out of its list). Consulted by the concrete and symbolic domains'
// observe() at run time only, never during constant evaluation.
inline bool g_removed_checks[128] = {};
// A thread's own set (the audit searches several mutants at once, one per
// thread); nullptr: the process-wide set above.
inline thread_local const bool* t_removed_checks = nullptr;
// Removed by the audit's mutant, or by a run-time edit of the semantics in force.
inline bool check_removed(int index) {
  if ((t_removed_checks ? t_removed_checks : g_removed_checks)[index]) return true;
  const EditSet* e = current_edits();
  return e && e->removed[index];
}

// ite over values of any shape: scalars, std::array, and Hana structs (field by field).
template <class D, class T>
constexpr T ite_value(typename D::Bool c, const T& a, const T& b) {
  if constexpr (!D::is_symbolic) {
    return c ? a : b;  // a decided condition selects whole values
  } else if constexpr (hana::Struct<T>::value) {
    T out = a;
    hana::for_each(hana::keys(a), [&](auto key) {
      hana::at_key(out, key) = ite_value<D>(c, hana::at_key(a, key), hana::at_key(b, key));
    });
    return out;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    T out = a;
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = ite_value<D>(c, a[i], b[i]);
    return out;
  } else {
    return D::ite_scalar(c, a, b);
  }
}

// The concrete domain: plain bool and 64-bit integers, constexpr throughout.
struct Concrete {
  using Bool = bool;
  using Int = std::int64_t;

  static constexpr bool is_symbolic = false;

  static constexpr Bool lit(bool b) { return b; }
  static constexpr Int num(std::int64_t v) { return v; }

  template <class T>
  static constexpr T ite_scalar(Bool c, const T& a, const T& b) {
    return c ? a : b;
  }
  template <class T>
  static constexpr T ite(Bool c, const T& a, const T& b) {
    return c ? a : b;
  }
  template <class F, class G>
  static constexpr auto branch(Bool c, F&& f, G&& g) -> decltype(f()) {
    return c ? f() : g();
  }

  template <class A>
  static constexpr const auto& at(const A& arr, Int i) {
    // An index outside the table is a bug in a rule: constant evaluation
    // rejects it (throw is not a constant expression), so the sweeps catch it.
    if (i < 0 || i >= static_cast<Int>(arr.size())) throw "ptm::Concrete::at: index out of range";
    return arr[static_cast<std::size_t>(i)];
  }
  // A constant table indexed by a domain value, `dflt` outside it.
  template <class T, std::size_t K>
  static constexpr Int table(const T (&tab)[K], Int i, Int dflt) {
    return (i >= 0 && i < static_cast<Int>(K)) ? static_cast<Int>(tab[i]) : dflt;
  }
  template <class A, class V>
  static constexpr A put(A arr, Int i, const V& v) {
    if (i < 0 || i >= static_cast<Int>(arr.size())) throw "ptm::Concrete::put: index out of range";
    arr[static_cast<std::size_t>(i)] = v;
    return arr;
  }

  // Bit operations on Int (used for sigset_t words).
  static constexpr Int bit_and(Int a, Int b) { return a & b; }
  static constexpr Int bit_or(Int a, Int b) { return a | b; }
  static constexpr Int bit_not32(Int a) { return (~a) & 0xffffffffLL; }
  static constexpr Int shl(Int a, Int b) { return (b < 0 || b > 62) ? 0 : (a << b); }
  // Unsigned comparison of the low 32 bits: the seed's `(unsigned)data > _SIG_MAXSIG`.
  static constexpr Bool ugt32(Int a, Int b) {
    return static_cast<std::uint32_t>(a) > static_cast<std::uint32_t>(b);
  }
  static constexpr Int to_u16(Int a) { return a & 0xffff; }
  // The kernel's 32-bit types (i386): u_int32_t (uid_t, gid_t, size_t, a
  // pointer) and int32 (pid_t, int), from a wider value as a C conversion does.
  static constexpr Int to_u32(Int a) { return a & 0xffffffffLL; }
  static constexpr Int to_i32(Int a) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(a & 0xffffffffLL)); }
  static constexpr Int ctz32(Int w) { return std::countr_zero(static_cast<std::uint32_t>(w)); }

  static constexpr Bool observe(const CheckInfo& c, Bool fires);  // defined in check.hpp

};

}  // namespace ptm
