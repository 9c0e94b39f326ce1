// The trap layer: one operation of the model's vocabulary (model/step.hpp),
// run on the simulated kernel as the system call or kernel event it stands
// for, and the abstraction function from the kernel's state to the model's.
#pragma once

#include <string>
#include <vector>

#include "impl/sim.hpp"
#include "model/step.hpp"

namespace impl {

using ModelOutcome = ptm::Outcome<ptm::Concrete>;

// Runs `op` with `args` (the model's argument record) on `k`. A kernel fault
// or a hang becomes that outcome; a call that leaves a lock held is a fault.
ModelOutcome apply(Kernel& k, const ptm::Op& op, const ptm::Args<ptm::Concrete>& args);

// The abstraction function: the model state this kernel state stands for.
// Ghost fields are left as in `ghosts_from` (they are history the kernel does
// not keep); p_listpos is the position on the parent's children list.
template <int N>
ptm::State<ptm::Concrete, N> abstract(const Kernel& k, const ptm::State<ptm::Concrete, N>& ghosts_from);

// Where an abstract kernel state differs from a model state: one line per
// differing field (`slot 3 (C).P_TRACED: model 1, impl 0`). Compares the
// kernel's fields; ghost fields, and list positions other than their order
// among siblings, are not compared.
template <int N>
std::vector<std::string> differences(const ptm::State<ptm::Concrete, N>& model,
                                     const ptm::State<ptm::Concrete, N>& impl);

// Whether two outcomes agree. The value PT_READ_* returns is memory the model
// abstracts, so it is not compared for those requests.
bool same_outcome(const ptm::Op& op, const ModelOutcome& model, const ModelOutcome& impl, std::string* why);

}  // namespace impl
