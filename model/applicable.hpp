// Which checks can decide an operation: found by running the rules themselves
// in a domain where no check fires, so every check of every phase that applies
// to the operation is evaluated, in order. Used by coverage reports (which
// checks a test run never reached) and by the audit.
#pragma once

#include <algorithm>
#include <vector>

#include "model/operations.hpp"
#include "model/step.hpp"

namespace ptm {

struct NoCheckFires : Concrete {
  static inline std::vector<int>* seen = nullptr;
  static bool observe(const CheckInfo& c, bool) {
    if (seen) seen->push_back(c.index);
    return false;
  }
};

// A state every rule can run on without a check: a traced, stopped, waited-for
// child in slot 3 of a parent in slot 2, with the arguments that name it.
constexpr int kApplicableProcs = 6;  // room for fork and spawn
inline std::pair<State<NoCheckFires, kApplicableProcs>, Args<NoCheckFires>> applicable_state() {
  using D = NoCheckFires;
  State<D, kApplicableProcs> s = initial_state<D, kApplicableProcs>();
  for (int i : {2, 3}) {
    auto& p = s.procs[i];
    p.p_state = PRS_NORMAL;
    p.p_pid = i;
    p.PS_INMEM = true;
    p.p_ucred.cr_uid = p.p_ucred.cr_ruid = p.p_ucred.cr_svuid = 1001;
  }
  s.procs[2].p_pptr = SLOT_INIT;
  s.procs[3].p_pptr = 2;
  s.procs[3].P_TRACED = s.procs[3].P_WAITED = s.procs[3].P_STOPPED_SIG = true;
  // The caller is itself traced and resuming from a trace stop, so issignal()'s
  // resume path (and its check) is taken too.
  s.procs[2].P_TRACED = true;
  s.procs[2].td_sig = s.procs[2].p_xstat = BSD_SIGSTOP;
  Args<D> a = default_args<D>();
  a.actor = 2;
  a.pt.pid = 3;
  a.pid = 3;
  a.sig = BSD_SIGTERM;
  return {s, a};
}

// The checks that can decide `op`, in evaluation order (each once).
inline std::vector<int> applicable_checks(const Op& op) {
  auto [s, a] = applicable_state();
  std::vector<int> order;
  NoCheckFires::seen = &order;
  (void)step<NoCheckFires, kApplicableProcs>(s, op, a);
  NoCheckFires::seen = nullptr;
  std::vector<int> out;
  for (int c : order)
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

// The check lists of the rules (each the ids of one first_failing() call, in
// the seed's order), as every operation meets them when no check fires: a
// census of the rules themselves, which run-time moves are validated against
// (a move stays inside one list).
inline const std::vector<std::vector<int>>& check_lists() {
  static const std::vector<std::vector<int>> lists = [] {
    std::vector<std::vector<int>> met, out;
    auto [s, a] = applicable_state();
    t_list_census = &met;
    for (SemanticsMask m : {SemanticsMask{0}, kModern}) {
      SemanticsScope scope(m);
      for (const auto& [op, name] : all_operations()) (void)step<NoCheckFires, kApplicableProcs>(s, op, a);
    }
    t_list_census = nullptr;
    for (auto& l : met)
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    return out;
  }();
  return lists;
}

// Checks that apply to a request but cannot decide it, and why (checks that
// cannot fire at all say so in the table: kChecks[c].reachable). nullptr: it can.
inline const char* cannot_decide(const Op& op, int check) {
  if (op.kind != OP_PTRACE || op.req != PT_TRACE_ME) return nullptr;
  switch (check) {
    case C_CANSEE_PRISON: return "the target is the caller: same prison";
    case C_CANSEE_UIDS: return "the target is the caller: same real uid";
    case C_CANSEE_GIDS: return "the target is the caller: its own groups";
    case C_CANDEBUG_CRED:
    case C_CANDEBUG_INIT_SECURE:
    case C_CANDEBUG_INEXEC:
    case C_CANDEBUG_INEXEC_EBUSY:
    case C_CANDEBUG_UNPRIV_NOT_SELF: return "p_candebug returns 0 for the caller itself first";
    case C_WEXIT_ESRCH: return "the target is the caller, which is running: not exiting";
    default: return nullptr;
  }
}

}  // namespace ptm
