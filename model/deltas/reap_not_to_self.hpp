// Delta reap_not_to_self: wait4 gives a traced zombie back to the process its
// p_oppid names only when that is not the waiter itself.
//
// The patch: the seed's wait1 (5.x kern_exit.c, "If we got the child via a
// ptrace 'attach', we need to give it back to the old parent") hands every
// zombie whose p_oppid names a live process to that process, unfreed. When the
// tracer is also the parent (PT_TRACE_ME, or a parent attaching its own
// child), p_oppid names the waiter: the child is handed to the waiter itself,
// and its next wait reports the same exit again where FreeBSD's tests expect
// ECHILD (scenarios/freebsd/, cause R1). With the delta such a zombie is freed
// by the first wait.
//
// FreeBSD: the 2003 condition `p->p_oppid && (t = pfind(p->p_oppid)) != NULL`
// is in every copy up to releng/10.2; head by late 2015 and release 10.4 test
// `p->p_oppid != 0 && p->p_oppid != p->p_pptr->p_pid` (the zombie's parent is
// the waiter), and today's proc_reap() `p->p_oppid != p->p_pptr->p_pid`, with
// p_oppid always the real parent's pid (docs/history-wait-getppid.md). The
// commit was not identified; ptrace_test.c's "exactly once" cases of 2015
// (parent_wait_after_trace_me, parent_wait_after_attach) test it.
#pragma once

#include "model/deltas/delta.hpp"

namespace ptm::deltas::reap_not_to_self {

inline constexpr DeltaInfo info{D_REAP_NOT_TO_SELF, "reap_not_to_self",
                                "wait4 gives a traced zombie back to p_oppid only when that is not the waiter",
                                "not in 10.2; in 10.4 and current FreeBSD (proc_reap)"};

}  // namespace ptm::deltas::reap_not_to_self
