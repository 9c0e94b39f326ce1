// The trap layer: one operation of the model's vocabulary (model/step.hpp),
// run on the simulated kernel as the system call or kernel event it stands
// for, and the abstraction function from the kernel's state to the model's.
#pragma once

#include <string>
#include <vector>

#include "impl/sim.hpp"
#include "model/memory.hpp"
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

// Whether two outcomes agree. PT_READ_*'s word and PT_IO's piod_len are
// compared unless the model calls them unspecified (model/memory.hpp).
bool same_outcome(const ptm::Op& op, const ModelOutcome& model, const ModelOutcome& impl, std::string* why,
                  bool word_unspecified = false, bool io_len_unspecified = false);

// Where the model's memory contents differ from the kernel's: for each process
// that has an address space and is not exiting, each page of the layout, the
// first byte that differs (bytes the model calls unspecified are skipped).
template <int N>
std::vector<std::string> memory_differences(const Kernel& k, const ptm::State<ptm::Concrete, N>& model,
                                            const ptm::Memory<N>& mem);

// Everything the lockstep compares after a step the model took to `model`
// (with `mem`, `eff`) and the kernel ran with outcome `impl_out`: the
// outcome, the abstract state and the memory contents, one line per difference.
template <int N>
std::vector<std::string> lockstep_differences(const Kernel& k, const ptm::Op& op, const ModelOutcome& model_out,
                                              const ModelOutcome& impl_out, const ptm::State<ptm::Concrete, N>& model,
                                              const ptm::Memory<N>& mem, ptm::MemoryEffect eff);

}  // namespace impl
