// What an operation returns: success with a value, an errno, hang (a kernel
// loop that never terminates), fault (a kernel assertion, a panic, or kernel
// state corrupted), or blocked (the actor cannot run now: it is stopped, a
// zombie, inside exit or execve, or would sleep in wait4; nothing changes).
#pragma once

#include "model/domain.hpp"

namespace ptm {

enum Kind : int { K_OK = 0, K_ERR = 1, K_HANG = 2, K_FAULT = 3, K_BLOCKED = 4 };

// The name of an outcome kind, as reports and JSON spell it.
constexpr const char* kind_name(std::int64_t k) {
  switch (k) {
    case K_OK: return "ok";
    case K_ERR: return "error";
    case K_HANG: return "hang";
    case K_FAULT: return "fault";
    case K_BLOCKED: return "blocked";
  }
  return "?";
}
inline constexpr int NO_CHECK = -1;

template <class D>
struct Outcome {
  using Int = typename D::Int;
  BOOST_HANA_DEFINE_STRUCT(Outcome,
                           (Int, kind),    // Kind
                           (Int, error),   // errno when kind == K_ERR
                           (Int, retval),  // td_retval[0] on success (a pid for fork/wait4)
                           (Int, status),  // wait4's status word
                           (Int, check));  // index of the check that decided, or NO_CHECK

  static constexpr Outcome ok(Int retval = D::num(0), Int status = D::num(0)) {
    return Outcome{D::num(K_OK), D::num(0), retval, status, D::num(NO_CHECK)};
  }
  static constexpr Outcome of_kind(int k, int err, int check) {
    return Outcome{D::num(k), D::num(err), D::num(0), D::num(0), D::num(check)};
  }
};

template <class D, class S>
struct Step {
  using OutcomeT = Outcome<D>;
  BOOST_HANA_DEFINE_STRUCT(Step, (OutcomeT, out), (S, next));
};

}  // namespace ptm
