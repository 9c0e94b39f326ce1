// Semantics: the seed plus a set of named deltas (model/deltas/), each a
// change FreeBSD made to these rules after the seed. `seed+a+b` applies a and
// b; `modern` applies the deltas of today's FreeBSD (model/deltas/all.hpp).
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
  D_ATTACH_ANCESTOR_ANY,     // PT_ATTACH refuses an ancestor of the caller, traced or not (a proposed fix)
  D_REAP_NOT_TO_SELF,        // wait4 gives a traced zombie back to p_oppid only when that is not the waiter
  D_GETPPID_REAL_PARENT,     // getppid() of a traced process returns its real parent, not its tracer
  D_COUNT
};

// A semantics value: bits 0..23 the deltas in force, bits 24..31 the run-time
// edit set (0: none; k: g_edit_sets[k], see below).
using SemanticsMask = std::uint32_t;
inline constexpr int kEditShift = 24;
static_assert(D_COUNT <= kEditShift, "a SemanticsMask holds one bit per delta below the edit-set index");

inline SemanticsMask g_semantics = 0;                // process-wide: the seed unless set
inline thread_local std::int64_t t_semantics = -1;  // this thread's override; -1: none

inline SemanticsMask current_semantics() {
  return t_semantics >= 0 ? static_cast<SemanticsMask>(t_semantics) : g_semantics;
}

// Run-time edits of the rules (no C++, no rebuild): a check taken out of its
// list, a check given another errno, a check moved before or after another
// check of its list. first_failing() (check.hpp) follows them in every domain;
// the reference implementation does not (lockstep is off under an edited
// semantics). Parsed and validated by model/semantics_names.hpp.
enum EditKind : int { E_REMOVE, E_ERRNO, E_BEFORE, E_AFTER };
struct Edit {
  int kind;   // EditKind
  int check;  // CheckId
  int other;  // E_BEFORE / E_AFTER: the check it moves next to
  int err;    // E_ERRNO: the new errno
  friend bool operator==(const Edit&, const Edit&) = default;
};
inline constexpr int kMaxEdits = 16;
inline constexpr int kMaxCheckIds = 128;
struct EditSet {
  int count = 0;
  Edit edits[kMaxEdits] = {};
  // Derived from the edits: by check id.
  bool removed[kMaxCheckIds] = {};
  int err[kMaxCheckIds] = {};  // 0: the check's own errno
  bool moves = false;
};
// The edit sets the command line and scenario files named; [0] is "no edits".
// Filled while parsing names, before any rule runs on another thread.
inline constexpr int kMaxEditSets = 1 << (32 - kEditShift);
inline EditSet g_edit_sets[kMaxEditSets];
inline int g_edit_set_count = 1;

inline const EditSet* edits_of(SemanticsMask m) {
  const unsigned k = m >> kEditShift;
  return k ? &g_edit_sets[k] : nullptr;
}
// Does the semantics edit the rules at run time (so the impl does not follow it)?
inline bool has_edits(SemanticsMask m) { return edits_of(m) != nullptr; }
inline SemanticsMask deltas_of(SemanticsMask m) { return m & ((SemanticsMask{1} << kEditShift) - 1); }

// Is delta d part of the semantics in force? Never during constant evaluation.
// So never `const bool x = delta_on(d);`: a const integral local is
// constant-initialised where it can be, and there delta_on() is false for
// every d (the impl's attach_ancestor_any first read it so, and lockstep
// caught it); use a plain bool.
constexpr bool delta_on(int d) {
  if (std::is_constant_evaluated()) return false;
  return (current_semantics() >> d) & 1u;
}

// The edits in force, nullptr when none. Never during constant evaluation.
inline const EditSet* current_edits() { return edits_of(current_semantics()); }

// Evaluate under `m` on this thread while alive.
struct SemanticsScope {
  std::int64_t saved;
  explicit SemanticsScope(SemanticsMask m) : saved(t_semantics) { t_semantics = m; }
  ~SemanticsScope() { t_semantics = saved; }
  SemanticsScope(const SemanticsScope&) = delete;
  SemanticsScope& operator=(const SemanticsScope&) = delete;
};

}  // namespace ptm
