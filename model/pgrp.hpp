// Process groups and sessions (5.x sys/kern/kern_proc.c: pgfind(), fixjobc(),
// orphanpg(); docs/environment.md). The model keeps, per process, the id of its
// group (p_pgid) and of its session (p_sid); a group or a session exists while
// a live or zombie process is in it (a zombie leaves its group when wait1()
// reaps it). Controlling terminals are not modelled: no process has one.
#pragma once

#include "model/signals.hpp"

namespace ptm {

// pgfind(pgid) != NULL: some live or zombie process is in group `pgid`.
template <class D, int N>
constexpr Bool<D> pgrp_exists(const State<D, N>& s, Int<D> pgid) {
  Bool<D> r = D::lit(false);
  for (const auto& q : s.procs) r = r || (q.p_state != D::num(PRS_FREE) && q.p_pgid == pgid);
  return r;
}

// The session of group `pgid` (every member has the same), -1 if none.
template <class D, int N>
constexpr Int<D> pgrp_session(const State<D, N>& s, Int<D> pgid) {
  Int<D> r = D::num(-1);
  for (const auto& q : s.procs) r = D::ite(q.p_state != D::num(PRS_FREE) && q.p_pgid == pgid, q.p_sid, r);
  return r;
}

// SESS_LEADER(p): p leads its session (s_leader == p; the session id is its pid).
template <class D>
constexpr Bool<D> SESS_LEADER(const Proc<D>& p) {
  return p.p_state == D::num(PRS_NORMAL) && p.p_sid == p.p_pid;
}

// Is group `pgid` orphaned (pg_jobc == 0)? fixjobc() counts the members whose
// parent is in another group of the same session. A zombie counts neither as a
// member nor as a parent (exit1() calls fixjobc(p, p->p_pgrp, 0) for itself and
// its children in the part of exit that `exit-end` covers).
template <class D, int N>
constexpr Bool<D> pgrp_orphaned(const State<D, N>& s, Int<D> pgid) {
  Bool<D> qualifies = D::lit(false);
  for (int i = 0; i < N; ++i) {
    const Proc<D>& q = s.procs[i];
    Bool<D> member = q.p_state == D::num(PRS_NORMAL) && q.p_pgid == pgid;
    for (int j = 0; j < N; ++j) {
      const Proc<D>& par = s.procs[j];
      qualifies = qualifies || (member && q.p_pptr == D::num(j) && par.p_state == D::num(PRS_NORMAL) &&
                                par.p_pgid != pgid && par.p_sid == q.p_sid);
    }
  }
  return !qualifies;
}

// fixjobc() → orphanpg(): a group that an operation left orphaned (it was not
// before, it is now) and that has a stopped member gets SIGHUP then SIGCONT,
// each member in turn. `before` and `after` are the states around the change
// of parents or groups (exit1, setsid, setpgid); the signals go into `into`
// (by default `after`). Membership is the one of `before`: fixjobc() runs
// while the process that moves or exits is still in its old group, so
// orphanpg() of that group signals (and looks for a stop in) it too, and the
// group it enters does not yet hold it. (fixjobc's counts, adjusted
// entering-then-leaving, reach 0 exactly when a group with qualifying members
// before has none after: docs/environment.md.)
template <class D, int N>
constexpr State<D, N> orphanpg_all(const State<D, N>& before, const State<D, N>& after, State<D, N> into) {
  for (int i = 0; i < N; ++i) {
    const Int<D> g = before.procs[i].p_pgid;
    // Visit each group once: at its first member in table order.
    Bool<D> first = before.procs[i].p_state != D::num(PRS_FREE);
    for (int j = 0; j < i; ++j) first = first && !(before.procs[j].p_state != D::num(PRS_FREE) && before.procs[j].p_pgid == g);
    Bool<D> stopped = D::lit(false);
    for (const auto& q : before.procs) stopped = stopped || (q.p_state == D::num(PRS_NORMAL) && q.p_pgid == g && P_SHOULDSTOP<D>(q));
    const Bool<D> newly = first && stopped && !pgrp_orphaned<D>(before, g) && pgrp_orphaned<D>(after, g);
    into = D::branch(
        newly,
        [&] {
          State<D, N> t = into;
          for (int k = 0; k < N; ++k) {
            const Bool<D> member = before.procs[k].p_state != D::num(PRS_FREE) && before.procs[k].p_pgid == g;
            t = D::branch(member, [&] {
              return psignal<D>(psignal<D>(t, D::num(k), D::num(BSD_SIGHUP)), D::num(k), D::num(BSD_SIGCONT));
            }, [&] { return t; });
          }
          return t;
        },
        [&] { return into; });
  }
  return into;
}
template <class D, int N>
constexpr State<D, N> orphanpg_all(const State<D, N>& before, const State<D, N>& after) {
  return orphanpg_all<D, N>(before, after, after);
}

}  // namespace ptm
