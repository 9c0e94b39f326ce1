// Semantics: the seed plus a set of named deltas (model/deltas/), each a
// change FreeBSD made to these rules after the seed. `seed+a+b` applies a and
// b; `modern` applies every shipped delta.
//
// The semantics in force is a run-time value: the rules ask delta_on(d) where a
// delta changes an effect, and first_failing() leaves out the checks a delta
// adds (when it is off) or removes (when it is on), as the check table says
// (CheckInfo::added_by / removed_by). Under constant evaluation every delta is
// off: the compile-time facts are about the seed.
//
// The process-wide semantics is set once, before any rule runs (by the command
// line); a thread can evaluate under another for a while (SemanticsScope), which
// is how `ptmodel diff` steps the same state under A and B.
#pragma once

#include <cstdint>
#include <type_traits>

namespace ptm {

// One bit per delta, in this order. The files are model/deltas/<name>.hpp.
enum DeltaId : int {
  D_TRACE_ME_REFUSALS,       // PT_TRACE_ME: EBUSY when traced, EPERM when the parent is init
  D_WEXIT_ESRCH,             // a target with P_WEXIT: ESRCH before p_cansee
  D_TRACE_STOP_REQUIRED,     // the stop test wants P_STOPPED_TRACE, not any stop
  D_DETACH_REAL_PARENT,      // PT_DETACH returns the process to its real parent (or init)
  D_ATTACH_CLEARS_SIG_STOP,  // PT_ATTACH to a job-stopped process clears that stop, then SIGSTOP
  D_RESUME_SIGNAL_RANGE,     // the signal-number check covers PT_STEP too
  D_INEXEC_EBUSY,            // p_candebug: P_INEXEC gives EBUSY (not EAGAIN)
  D_UNPRIV_AFTER_SELF,       // p_candebug: unprivileged_proc_debug tested after the self exemption
  D_COUNT
};

using SemanticsMask = std::uint32_t;
static_assert(D_COUNT <= 32, "a SemanticsMask holds one bit per delta");

inline SemanticsMask g_semantics = 0;                // process-wide: the seed unless set
inline thread_local std::int64_t t_semantics = -1;  // this thread's override; -1: none

inline SemanticsMask current_semantics() {
  return t_semantics >= 0 ? static_cast<SemanticsMask>(t_semantics) : g_semantics;
}

// Is delta d part of the semantics in force? Never during constant evaluation.
constexpr bool delta_on(int d) {
  if (std::is_constant_evaluated()) return false;
  return (current_semantics() >> d) & 1u;
}

// Evaluate under `m` on this thread while alive.
struct SemanticsScope {
  std::int64_t saved;
  explicit SemanticsScope(SemanticsMask m) : saved(t_semantics) { t_semantics = m; }
  ~SemanticsScope() { t_semantics = saved; }
  SemanticsScope(const SemanticsScope&) = delete;
  SemanticsScope& operator=(const SemanticsScope&) = delete;
};

}  // namespace ptm
