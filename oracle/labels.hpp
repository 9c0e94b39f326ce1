// What a test oracle must cover, as labels on steps: for each operation, the
// check that decided a failing step, the kind of outcome, and the branch an
// effect took on success (detach back to the original parent or to init, a
// resume with or without a signal, a wait reporting a stop or an exit, ...).
// The branches are read off the step (its pre- and post-state); they follow
// the seed's own branches (the line numbers in each comment), so each names a
// distinct path through the seed's code. Presentation only: the rules are in
// model/.
#pragma once

#include <iterator>
#include <string>
#include <vector>

#include "scn/scenario.hpp"
#include "model/properties.hpp"

namespace ptm::oracle {

using C = Concrete;

// "ptrace PT_ATTACH", "fork", "wait", ...
inline std::string op_name(const Op& op) {
  if (op.kind == OP_PTRACE) return "ptrace " + scn::request_name(op.req);
  return std::string(kOpNames[op.kind]);
}

// The effect branch a successful step took, as a small code (-1: the
// operation has one), and its name. Each code is a combination of the seed's
// own branches, noted per operation.
template <int N>
int effect_code(const StepCtx<C, N>& c) {
  const auto& a = c.args;
  switch (c.op.kind) {
    case OP_PTRACE: {
      const int t = c.op.req == PT_TRACE_ME ? static_cast<int>(a.actor) : static_cast<int>(pfind<C, N>(c.pre, a.pt.pid));
      if (t == NOPROC) return -1;
      const auto& p = c.pre.procs[t];
      const int stopped = P_SHOULDSTOP<C>(p) ? 1 : 0;
      switch (c.op.req) {
        case PT_TRACE_ME: return p.P_TRACED ? 1 : 0;                       // seed 436-440
        case PT_ATTACH: return (p.p_pptr == a.actor ? 2 : 0) + stopped;    // seed 592-596, then sendsig 598-614
        case PT_CONTINUE:
        case PT_STEP:
        case PT_DETACH: {                                                 // seed 568-614
          int detach = 0;
          if (c.op.req == PT_DETACH)
            detach = p.p_oppid == pid_of<C, N>(c.pre, p.p_pptr) ? 1 : pfind<C, N>(c.pre, p.p_oppid) != NOPROC ? 2 : 3;
          return detach * 4 + stopped * 2 + (a.pt.data == 0 ? 0 : 1);
        }
        case PT_KILL: return stopped;
        default: return -1;
      }
    }
    case OP_WAIT: {
      if (c.out.retval == 0) return 0;
      const std::int64_t st = c.out.status;
      if ((st & 0177) == 0177) return (c.args.options & BSD_WUNTRACED) ? 1 : 2;
      for (int i = 0; i < N; ++i)
        if (c.pre.procs[i].p_state == PRS_ZOMBIE && c.pre.procs[i].p_pid == c.out.retval)
          return c.post.procs[i].p_state == PRS_FREE ? 3 : 4;
      return 3;
    }
    case OP_EXIT:
    case OP_EXIT_BEGIN: {
      const auto& p = c.pre.procs[a.actor];
      bool kids = false;
      for (int i = 0; i < N; ++i)
        kids = kids || (c.pre.procs[i].p_state != PRS_FREE && c.pre.procs[i].p_pptr == a.actor && i != a.actor);
      return (p.P_TRACED ? 2 : 0) + (kids ? 1 : 0);
    }
    case OP_TAKESIG: {
      if (c.out.retval == 0) return 0;
      const auto& q = c.post.procs[a.actor];
      if (q.P_STOPPED_TRACE) return 1;
      if (q.P_STOPPED_SIG) return 2;
      if (q.P_WEXIT || q.p_state == PRS_ZOMBIE) return 3;
      return c.pre.procs[a.actor].P_TRACED ? 4 : 5;
    }
    case OP_KILL: {
      const int t = static_cast<int>(pfind<C, N>(c.pre, a.pid));
      if (t == NOPROC) return -1;
      if (a.sig == 0) return 0;
      const auto& p = c.pre.procs[t];
      return 1 + (P_SHOULDSTOP<C>(p) ? 2 : 0) + (p.P_TRACED ? 1 : 0);
    }
    default: return -1;
  }
}

inline std::string effect_name(const Op& op, int code) {
  switch (op.kind) {
    case OP_PTRACE:
      switch (op.req) {
        case PT_TRACE_ME: return code ? "already traced: p_oppid becomes the tracer's pid" : "untraced: p_oppid is the parent's pid";
        case PT_ATTACH:
          return std::string(code & 2 ? "caller is already the parent" : "reparented to the caller") +
                 (code & 1 ? ", target was stopped: resumed" : ", target running: SIGSTOP posted");
        case PT_CONTINUE:
        case PT_STEP:
        case PT_DETACH: {
          static const char* kDetach[] = {"", "p_oppid is the tracer: no reparent, ", "back to the original parent, ",
                                          "original parent gone: to init, "};
          return std::string(kDetach[code / 4]) + (code & 2 ? "target stopped: resumed" : "target running") +
                 (code & 1 ? " with a signal" : " without a signal");
        }
        case PT_KILL: return code ? "target stopped: resumed with SIGKILL" : "target running: SIGKILL posted";
        default: return "";
      }
    case OP_WAIT: {
      static const char* k[] = {"WNOHANG: nothing to report", "reports a stop (WUNTRACED)", "reports a trace stop",
                                "reports an exit and reaps",
                                "reports a traced exit to the tracer: back to the original parent"};
      return k[code];
    }
    case OP_EXIT:
    case OP_EXIT_BEGIN:
      return std::string(code & 2 ? "traced" : "untraced") + (code & 1 ? ", with children (to init)" : ", no children");
    case OP_TAKESIG: {
      static const char* k[] = {"no signal", "trace stop", "job-control stop", "killed", "traced: delivered", "delivered"};
      return k[code];
    }
    case OP_KILL:
      if (code == 0) return "probe (signal 0)";
      return std::string((code - 1) & 2 ? "target stopped" : "target running") + ((code - 1) & 1 ? ", traced" : "");
    default: return "";
  }
}

// A label is an int: which operation, what kind of label, and its value.
//   op:    the request's index in kAllRequests, or kAllRequests' size + OpKind
//   kind:  0 check (value: the check), 1 outcome (value: K_*), 2 effect (value: effect_code)
inline constexpr int kRequestCount = static_cast<int>(std::size(kAllRequests));
inline constexpr int kLabelOps = kRequestCount + OP_COUNT;
inline constexpr int kLabelValues = 128;  // a check index, K_*, or an effect code
inline constexpr int kLabelSpace = kLabelOps * 3 * kLabelValues;
static_assert(C_COUNT <= kLabelValues, "a label holds a check index in 7 bits");

inline int op_index(const Op& op) {
  if (op.kind != OP_PTRACE) return kRequestCount + op.kind;
  for (int i = 0; i < kRequestCount; ++i)
    if (kAllRequests[i] == op.req) return i;
  return 0;
}
inline Op op_of_index(int i) {
  if (i < kRequestCount) return Op{OP_PTRACE, kAllRequests[i]};
  return Op{static_cast<OpKind>(i - kRequestCount), PT_TRACE_ME, KERN_SECURELEVEL};
}
inline int label_id(const Op& op, int kind, int value) { return (op_index(op) * 3 + kind) * kLabelValues + value; }

inline std::string label_name(int id) {
  const int value = id % kLabelValues, kind = (id / kLabelValues) % 3;
  const Op op = op_of_index(id / kLabelValues / 3);
  const std::string name = op_name(op);
  switch (kind) {
    case 0: return "check " + std::string(kChecks[value].id) + " of " + name;
    case 1: return "outcome " + std::string(kind_name(value)) + " of " + name;
    default: return "effect '" + effect_name(op, value) + "' of " + name;
  }
}

// The labels of a step: what it covers.
template <int N>
void labels(const StepCtx<C, N>& c, std::vector<int>& out) {
  out.push_back(label_id(c.op, 1, static_cast<int>(c.out.kind)));
  if (c.out.check != NO_CHECK) out.push_back(label_id(c.op, 0, static_cast<int>(c.out.check)));
  if (c.out.kind == K_OK) {
    const int e = effect_code<N>(c);
    if (e >= 0) out.push_back(label_id(c.op, 2, e));
  }
}

}  // namespace ptm::oracle
