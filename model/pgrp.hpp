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

// pg_jobc of group `pgid`: every member keeps a copy of its group's counter
// (the model has no group objects); 0 for a group with no member.
template <class D, int N>
constexpr Int<D> jobc_of(const State<D, N>& s, Int<D> pgid) {
  Int<D> r = D::num(0);
  for (const auto& q : s.procs) r = D::ite(q.p_state != D::num(PRS_FREE) && q.p_pgid == pgid, q.pg_jobc, r);
  return r;
}
template <class D, int N>
constexpr State<D, N> set_jobc(State<D, N> s, Int<D> pgid, Int<D> v) {
  for (auto& q : s.procs) q.pg_jobc = D::ite(q.p_state != D::num(PRS_FREE) && q.p_pgid == pgid, v, q.pg_jobc);
  return s;
}

// orphanpg(pg) (5.x kern_proc.c): if a member is stopped, every member gets
// SIGHUP and then SIGCONT.
template <class D, int N>
constexpr State<D, N> orphanpg(State<D, N> s, Int<D> pgid) {
  Bool<D> stopped = D::lit(false);
  for (const auto& q : s.procs) stopped = stopped || (q.p_state == D::num(PRS_NORMAL) && q.p_pgid == pgid && P_SHOULDSTOP<D>(q));
  return D::branch(
      stopped,
      [&] {
        State<D, N> t = s;
        for (int k = 0; k < N; ++k) {
          const Bool<D> member = s.procs[k].p_state != D::num(PRS_FREE) && s.procs[k].p_pgid == pgid;
          t = D::branch(member, [&] {
            return psignal<D>(psignal<D>(t, D::num(k), D::num(BSD_SIGHUP)), D::num(k), D::num(BSD_SIGCONT));
          }, [&] { return t; });
        }
        return t;
      },
      [&] { return s; });
}

// pg_jobc of `pgid` moved by one; a count that a leaving step brings to 0
// orphans the group (orphanpg).
template <class D, int N>
constexpr State<D, N> adjust_jobc(State<D, N> s, Int<D> pgid, bool entering) {
  const Int<D> v = jobc_of<D>(s, pgid) + D::num(entering ? 1 : -1);
  s = set_jobc<D>(s, pgid, v);
  if (entering) return s;
  return D::branch(v == D::num(0), [&] { return orphanpg<D>(s, pgid); }, [&] { return s; });
}

// fixjobc(p, pgrp, entering) (5.x kern_proc.c), literally: pg_jobc counts the
// members whose parent is in another group of the same session, and is kept
// up to date only here and in enter_pgrp, which does the entering half inline
// (proc_reparent, as in ptrace, does not touch it). `pgid`
// is the group p enters or leaves, `mysession` that group's session.
template <class D, int N>
constexpr State<D, N> fixjobc(State<D, N> s, Int<D> p, Int<D> pgid, Int<D> mysession, bool entering) {
  const Proc<D> pr = proc_at<D>(s, p);
  // p's parent qualifies the group.
  const Int<D> par = pr.p_pptr;
  const Bool<D> has_par = par != D::num(NOPROC);
  const Int<D> par_pgid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_pgid; }, D::num(-1));
  const Int<D> par_sid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_sid; }, D::num(-1));
  s = D::branch(has_par && par_pgid != pgid && par_sid == mysession,
                [&] { return adjust_jobc<D>(s, pgid, entering); }, [&] { return s; });
  // p's live children qualify their groups.
  for (int i = 0; i < N; ++i) {
    const Proc<D> q = s.procs[i];
    const Bool<D> counts = q.p_state == D::num(PRS_NORMAL) && q.p_pptr == p && D::num(i) != p && q.p_pgid != pgid &&
                           q.p_sid == mysession;
    s = D::branch(counts, [&] { return adjust_jobc<D>(s, q.p_pgid, entering); }, [&] { return s; });
  }
  return s;
}

// doenterpgrp() (setsid, setpgid): fixjobc(p, new, 1), fixjobc(p, old, 0),
// then p moves. `sid` is the new group's session; a new group starts at 0.
template <class D, int N>
constexpr State<D, N> enter_pgrp(State<D, N> s, Int<D> p, Int<D> pgid, Int<D> sid) {
  const Proc<D> before = proc_at<D>(s, p);
  const Bool<D> is_new = !pgrp_exists<D>(s, pgid);
  // Entering: a new group's count goes to p's copy, an existing one to its members.
  {
    const Int<D> par = before.p_pptr;
    const Int<D> par_pgid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_pgid; }, D::num(-1));
    const Int<D> par_sid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_sid; }, D::num(-1));
    const Bool<D> par_counts = par != D::num(NOPROC) && par_pgid != pgid && par_sid == sid;
    const Int<D> jn = D::ite(is_new, D::num(0), jobc_of<D>(s, pgid)) + D::ite(par_counts, D::num(1), D::num(0));
    s = set_jobc<D>(s, pgid, jn);  // existing members (none for a new group)
    for (int i = 0; i < N; ++i) {
      const Proc<D> q = s.procs[i];
      const Bool<D> counts = q.p_state == D::num(PRS_NORMAL) && q.p_pptr == p && D::num(i) != p && q.p_pgid != pgid &&
                             q.p_sid == sid;
      s = D::branch(counts, [&] { return adjust_jobc<D>(s, q.p_pgid, true); }, [&] { return s; });
    }
    // Leaving the old group.
    s = fixjobc<D>(s, p, before.p_pgid, before.p_sid, false);
    Proc<D> moved = proc_at<D>(s, p);
    moved.p_pgid = pgid;
    moved.p_sid = sid;
    moved.pg_jobc = D::ite(is_new, jn, jobc_of<D>(s, pgid));
    s = with_proc<D>(s, p, moved);
  }
  return s;
}

}  // namespace ptm
