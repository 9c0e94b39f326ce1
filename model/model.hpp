// The ptmodel model: state, operations, ordered checks, effects and properties
// of the seed's ptrace rules. Header-only and constexpr; see docs/model.md.
#pragma once

#include "model/check.hpp"
#include "model/constants.hpp"
#include "model/domain.hpp"
#include "model/env.hpp"
#include "model/kern_ptrace.hpp"
#include "model/outcome.hpp"
#include "model/state.hpp"
#include "model/step.hpp"
