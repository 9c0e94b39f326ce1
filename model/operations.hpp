// Every operation of the model, named as scenarios name them. Shared by the
// proof matrix (a row per operation), the witness search (a violation is found
// *through* an operation: the step that breaks the property) and the census of
// check lists (model/applicable.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/step.hpp"

namespace ptm {

inline std::string operation_name(const Op& op) {
  static const char* req_names[] = {"PT_TRACE_ME", "PT_READ_I",    "PT_READ_D",    "PT_WRITE_I",   "PT_WRITE_D",
                                    "PT_IO",       "PT_CONTINUE",  "PT_STEP",      "PT_KILL",      "PT_ATTACH",
                                    "PT_DETACH",   "PT_GETREGS",   "PT_SETREGS",   "PT_GETFPREGS", "PT_SETFPREGS",
                                    "PT_GETDBREGS", "PT_SETDBREGS", "ptrace 99"};
  if (op.kind == OP_PTRACE) {
    int i = 0;
    for (Req r : kAllRequests) {
      if (r == op.req) return req_names[i];
      ++i;
    }
    return "ptrace 99";
  }
  if (op.kind == OP_SYSCTL) return std::string("sysctl ") + std::to_string(op.knob);
  return std::string(kOpNames[op.kind]);
}

// Every operation the matrix covers.
inline std::vector<std::pair<Op, std::string>> all_operations() {
  std::vector<std::pair<Op, std::string>> ops;
  for (Req r : kAllRequests) ops.push_back({Op{OP_PTRACE, r}, operation_name(Op{OP_PTRACE, r})});
  for (int k = OP_SPAWN; k < OP_COUNT; ++k) {
    if (k == OP_SYSCTL) {
      for (Sysctl s : {KERN_SECURELEVEL, UNPRIVILEGED_PROC_DEBUG, SEE_OTHER_UIDS, SEE_OTHER_GIDS, SUSER_ENABLED})
        ops.push_back({Op{OP_SYSCTL, PT_TRACE_ME, s}, operation_name(Op{OP_SYSCTL, PT_TRACE_ME, s})});
    } else {
      ops.push_back({Op{static_cast<OpKind>(k)}, operation_name(Op{static_cast<OpKind>(k)})});
    }
  }
  return ops;
}

}  // namespace ptm
