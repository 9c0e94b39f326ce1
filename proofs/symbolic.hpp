// The symbolic domain: the model's rules, unchanged, over Z3 expressions.
//
// Values are 64-bit bit-vectors (signed comparisons, as the concrete domain's
// int64) and Booleans. `branch` evaluates both sides and selects with ite,
// except when the condition is already a constant. Arrays indexed by a
// symbolic value become ite chains over their elements.
#pragma once

#include <z3++.h>

#include <optional>
#include <vector>

#include "model/check.hpp"
#include "model/domain.hpp"

namespace ptm {

namespace sym {
inline constexpr unsigned kWidth = 64;
// The context every expression lives in.
inline z3::context& ctx() {
  // One per process: proofs run one query at a time per process. Never
  // destroyed: after Z3 has run out of memory its destructor may crash.
  static z3::context* c = new z3::context;
  return *c;
}
// Domain values: z3::expr with a default. (Inside them, write sym::ctx():
// a bare ctx() is z3::object's member.) With a default (needed by std::array and the
// model's aggregate initialisation).
struct SInt : z3::expr {
  SInt() : z3::expr(sym::ctx().bv_val(static_cast<int64_t>(0), kWidth)) {}
  SInt(const z3::expr& e) : z3::expr(e) {}  // NOLINT: implicit, as the rules mix literals and expressions
  SInt(std::int64_t v) : z3::expr(sym::ctx().bv_val(static_cast<int64_t>(v), kWidth)) {}
  SInt& operator=(const z3::expr& e) {
    z3::expr::operator=(e);
    return *this;
  }
};
struct SBool : z3::expr {
  SBool() : z3::expr(sym::ctx().bool_val(false)) {}
  SBool(const z3::expr& e) : z3::expr(e) {}  // NOLINT
  SBool(bool b) : z3::expr(sym::ctx().bool_val(b)) {}
  SBool& operator=(const z3::expr& e) {
    z3::expr::operator=(e);
    return *this;
  }
};
inline bool is_true(const z3::expr& e) { return e.is_true(); }
inline bool is_false(const z3::expr& e) { return e.is_false(); }
}  // namespace sym

struct Symbolic {
  using Bool = sym::SBool;
  using Int = sym::SInt;
  static constexpr bool is_symbolic = true;

  static Bool lit(bool b) { return Bool(b); }
  static Int num(std::int64_t v) { return Int(v); }

  template <class T>
  static T ite_scalar(const Bool& c, const T& a, const T& b) {
    if (sym::is_true(c)) return a;
    if (sym::is_false(c)) return b;
    if (z3::eq(a, b)) return a;
    return T(z3::ite(c, a, b));
  }
  // Rules mix wrapped values and the bare expressions operators return.
  static z3::expr ite(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
    if (c.is_true()) return a;
    if (c.is_false()) return b;
    if (z3::eq(a, b)) return a;
    return z3::ite(c, a, b);
  }
  template <class F, class G>
  static auto branch(const Bool& c, F&& f, G&& g) -> decltype(f()) {
    Bool cs = c.simplify();
    if (sym::is_true(cs)) return f();
    if (sym::is_false(cs)) return g();
    return ite_value<Symbolic>(c, f(), g());
  }

  // The value of a constant (a numeral), if it is one.
  static std::optional<std::int64_t> as_constant(const Int& i) {
    std::int64_t v = 0;
    if (i.is_numeral() && i.is_numeral_i64(v)) return v;
    return std::nullopt;
  }
  // arr[i] for a symbolic i: an ite chain; an index outside the array reads the last element.
  template <class A>
  static auto at(const A& arr, const Int& i) {
    auto r = arr[arr.size() - 1];
    for (std::size_t k = arr.size() - 1; k-- > 0;) r = ite_value<Symbolic>(Bool(i == Int(static_cast<std::int64_t>(k))), arr[k], r);
    return r;
  }
  template <class A, class V>
  static A put(A arr, const Int& i, const V& v) {
    for (std::size_t k = 0; k < arr.size(); ++k)
      arr[k] = ite_value<Symbolic>(Bool(i == Int(static_cast<std::int64_t>(k))), v, arr[k]);
    return arr;
  }
  template <class T, std::size_t K>
  static Int table(const T (&tab)[K], const Int& i, const Int& dflt) {
    Int r = dflt;
    for (std::size_t k = K; k-- > 0;) r = ite(Bool(i == Int(static_cast<std::int64_t>(k))), Int(static_cast<std::int64_t>(tab[k])), r);
    return r;
  }

  static Int bit_and(const Int& a, const Int& b) { return Int(a & b); }
  static Int bit_or(const Int& a, const Int& b) { return Int(a | b); }
  static Int bit_not32(const Int& a) { return Int(~a & sym::ctx().bv_val(static_cast<int64_t>(0xffffffffLL), sym::kWidth)); }
  static Int shl(const Int& a, const Int& b) {
    return ite(Bool(b < Int(0) || b > Int(62)), Int(0), Int(z3::shl(a, b)));
  }
  static Bool ugt32(const Int& a, const Int& b) { return Bool(z3::ugt(a.extract(31, 0), b.extract(31, 0))); }
  static Int to_u16(const Int& a) { return Int(a & sym::ctx().bv_val(static_cast<int64_t>(0xffff), sym::kWidth)); }
  static Int to_u32(const Int& a) { return Int(z3::zext(a.extract(31, 0), sym::kWidth - 32)); }
  static Int to_i32(const Int& a) { return Int(z3::sext(a.extract(31, 0), sym::kWidth - 32)); }
  static Int ctz32(const Int& w) {
    Int r(32);
    for (int k = 31; k >= 0; --k) r = ite(Bool((w & sym::ctx().bv_val(static_cast<int64_t>(1LL << k), sym::kWidth)) != Int(0)), Int(k), r);
    return r;
  }
  static Bool observe(const CheckInfo& c, const Bool& fires);
};

inline Symbolic::Bool Symbolic::observe(const CheckInfo& c, const Bool& fires) {
  return check_removed(c.index) ? Bool(false) : fires;
}

}  // namespace ptm
