// Proofs for a process table of any size (docs/proofs.md, "For every N").
//
// The same obligations as the matrix (proofs/matrix.hpp): an operation
// preserves a property, or an auxiliary invariant, from any state that
// satisfies the invariants. Here the state is proofs/unbounded.hpp's: a table
// of n slots for an unconstrained n (2 <= n <= kMaxSlots), the invariants
// quantified over every slot, the model's rules run unchanged through the
// table combinators. Proved means proved for every table size.
//
// Every operation's rules are written with the table combinators
// (model/table.hpp), so every one runs so; which properties are stated so is
// kStatedForEveryN (model/properties.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "proofs/matrix.hpp"
#include "proofs/unbounded.hpp"

namespace ptm::proofs {

// Is the property or invariant stated for a table of any size?
bool stated_for_every_n(const std::string& id);

// The obligations of one operation, for every N. A counterexample found
// where the rules were over-approximated (the p_pptr walk) is reported as
// unknown, with the reason: it need not be a state of the seed.
std::vector<Result> prove_every_n_operation(const Op& op, const std::string& op_name, const KeepObligation& keep,
                                            unsigned timeout_ms);
// Every obligation for every N of the operation that `keep` selects, unknown
// with `why` (Z3 failed while the queries were being built, or did not stop).
std::vector<Result> every_n_unknown(const Op& op, const std::string& op_name, const KeepObligation& keep,
                                    const std::string& why);
// The initial state, for every N: each stated property and invariant holds of
// it (op_name "initial").
std::vector<Result> initial_every_n(unsigned timeout_ms);

// One every-N query, as the proofs decide it: `solver` (with its timeout set)
// checked; where Z3 gives up, cvc5 on the same assertions (twice the time;
// not for array lambdas, which it reads as functions), else a one-shot Z3
// that solves equations first. `reason` says why it is unknown, or that cvc5
// proved it. A z3::exception (out of memory) goes to the caller.
struct EveryNCheck {
  z3::check_result result = z3::unknown;
  std::string reason;
  std::optional<z3::model> model;  // when sat
};
EveryNCheck check_every_n(z3::solver& solver, unsigned timeout_ms);

// With it on, every every-N obligation Z3 proves is checked again by cvc5 on
// the same assertions (Result::second: "unsat" it agrees, "sat" it
// disagrees, "unknown", "lambda" it cannot read them, "absent" no cvc5). An
// obligation cvc5 itself proved (Z3 gave up) is not re-checked.
void recheck_with_cvc5(bool on);

// The step of one operation over a table of any size, from a fresh state and
// fresh arguments, as the every-N proofs build it, with the definitions of its
// fresh terms and what it over-approximated (every_n_agreement_test fixes the
// inputs to a concrete state and compares).
struct UnboundedStep {
  UState pre;
  Args<Unbounded> args;
  StepOf<Unbounded, kAnyN> st;
  std::vector<z3::expr> definitions;
  std::vector<std::string> abstractions;
};
UnboundedStep unbounded_step(const Op& op);

}  // namespace ptm::proofs
