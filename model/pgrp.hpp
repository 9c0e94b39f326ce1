// Process groups and sessions (5.x sys/kern/kern_proc.c: pgfind(), fixjobc(),
// orphanpg(); docs/environment.md). The model keeps, per process, the id of its
// group (p_pgid) and of its session (p_sid); a group or a session exists while
// a live or zombie process is in it (a zombie leaves its group when wait1()
// reaps it). Controlling terminals are not modelled: no process has one.
#pragma once

#include "model/signals.hpp"

namespace ptm {

// A live or zombie process in group `pgid`.
template <class D>
constexpr Bool<D> in_pgrp(const Proc<D>& q, Int<D> pgid) {
  return q.p_state != D::num(PRS_FREE) && q.p_pgid == pgid;
}

// pgfind(pgid) != NULL: some live or zombie process is in group `pgid`.
template <class D, int N>
constexpr Bool<D> pgrp_exists(const State<D, N>& s, Int<D> pgid) {
  return any_slot<D>(s, [&](Int<D>, const Proc<D>& q) { return in_pgrp<D>(q, pgid); });
}

// The session of group `pgid` (every member has the same), -1 if none.
template <class D, int N>
constexpr Int<D> pgrp_session(const State<D, N>& s, Int<D> pgid) {
  const Int<D> m = last_slot<D>(s, [&](Int<D>, const Proc<D>& q) { return in_pgrp<D>(q, pgid); });
  return read_slot<D>(s, m, [](const Proc<D>& q) { return q.p_sid; }, D::num(-1));
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
  const Int<D> m = last_slot<D>(s, [&](Int<D>, const Proc<D>& q) { return in_pgrp<D>(q, pgid); });
  return read_slot<D>(s, m, [](const Proc<D>& q) { return q.pg_jobc; }, D::num(0));
}
template <class D, int N>
constexpr State<D, N> set_jobc(State<D, N> s, Int<D> pgid, Int<D> v) {
  s.procs = map_slots<D>(s, [&](Int<D>, Proc<D> q) {
    q.pg_jobc = D::ite(in_pgrp<D>(q, pgid), v, q.pg_jobc);
    return q;
  });
  return s;
}

// orphanpg(pg) (5.x kern_proc.c): if a member is stopped, every member gets
// SIGHUP and then SIGCONT (signals that stop no one: each member changes alone).
template <class D>
constexpr Proc<D> orphaned_member(const Proc<D>& q) {
  return psignal_nonstop<D>(psignal_nonstop<D>(q, BSD_SIGHUP), BSD_SIGCONT);
}
template <class D, int N>
constexpr Bool<D> has_stopped_member(const State<D, N>& s, Int<D> pgid) {
  return any_slot<D>(s, [&](Int<D>, const Proc<D>& q) {
    return q.p_state == D::num(PRS_NORMAL) && q.p_pgid == pgid && P_SHOULDSTOP<D>(q);
  });
}

// fixjobc(p, pgrp, entering) (5.x kern_proc.c): pg_jobc counts the members
// whose parent is in another group of the same session, and is kept up to
// date only here and in enter_pgrp, which does the entering half inline
// (proc_reparent, as in ptrace, does not touch it). `pgid` is the group p
// enters or leaves, `mysession` that group's session.
//
// The kernel adjusts the group qualified by p's parent, then the group of
// each qualifying live child, one by one (adjust: the count moves by one; a
// count that a leaving step brings to 0 orphans the group, orphanpg). The
// adjustments of one group touch only its members and their counts, and a
// group's count reaches 0 at most once on the way down: so group by group,
// the count moves by the number m of adjustments it gets, and (leaving) the
// group is orphaned exactly when its count J was in 1..m.
template <class D, int N>
constexpr State<D, N> fixjobc(State<D, N> s, Int<D> p, Int<D> pgid, Int<D> mysession, bool entering) {
  const Proc<D> pr = proc_at<D>(s, p);
  // p's parent qualifies the group.
  const Int<D> par = pr.p_pptr;
  const Bool<D> has_par = par != D::num(NOPROC);
  const Int<D> par_pgid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_pgid; }, D::num(-1));
  const Int<D> par_sid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_sid; }, D::num(-1));
  const Bool<D> par_counts = has_par && par_pgid != pgid && par_sid == mysession;
  // p's live children qualify their groups.
  auto child_counts = [&](Int<D> i, const Proc<D>& q) {
    return q.p_state == D::num(PRS_NORMAL) && q.p_pptr == p && i != p && q.p_pgid != pgid && q.p_sid == mysession;
  };
  const State<D, N> before = s;
  s.procs = map_slots<D>(before, [&](Int<D>, const Proc<D>& q) {
    const Int<D> g = q.p_pgid;
    const Int<D> m = D::ite(par_counts && g == pgid, D::num(1), D::num(0)) +
                     count_slots<D>(before, [&](Int<D> i, const Proc<D>& c) { return child_counts(i, c) && c.p_pgid == g; });
    const Int<D> j = jobc_of<D>(before, g);
    Proc<D> r = q;
    r.pg_jobc = D::ite(m == D::num(0), q.pg_jobc, entering ? Int<D>(j + m) : Int<D>(j - m));
    if (!entering) {
      const Bool<D> orphaned = j >= D::num(1) && j <= m && has_stopped_member<D>(before, g);
      r = ite_value<D>(orphaned, orphaned_member<D>(r), r);
    }
    return ite_value<D>(q.p_state != D::num(PRS_FREE), r, q);
  });
  return s;
}

// doenterpgrp() (setsid, setpgid): fixjobc(p, new, 1), fixjobc(p, old, 0),
// then p moves. `sid` is the new group's session; a new group starts at 0.
template <class D, int N>
constexpr State<D, N> enter_pgrp(State<D, N> s, Int<D> p, Int<D> pgid, Int<D> sid) {
  const Proc<D> before = proc_at<D>(s, p);
  const Bool<D> is_new = !pgrp_exists<D>(s, pgid);
  // Entering: a new group's count goes to p's copy, an existing one to its members.
  const Int<D> par = before.p_pptr;
  const Int<D> par_pgid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_pgid; }, D::num(-1));
  const Int<D> par_sid = field_or<D>(s, par, [](const Proc<D>& q) { return q.p_sid; }, D::num(-1));
  const Bool<D> par_counts = par != D::num(NOPROC) && par_pgid != pgid && par_sid == sid;
  const Int<D> jn = D::ite(is_new, D::num(0), jobc_of<D>(s, pgid)) + D::ite(par_counts, D::num(1), D::num(0));
  s = set_jobc<D>(s, pgid, jn);  // existing members (none for a new group)
  // p's live children qualify their groups (as fixjobc's entering half).
  {
    auto child_counts = [&](Int<D> i, const Proc<D>& q) {
      return q.p_state == D::num(PRS_NORMAL) && q.p_pptr == p && i != p && q.p_pgid != pgid && q.p_sid == sid;
    };
    const State<D, N> b = s;
    s.procs = map_slots<D>(b, [&](Int<D>, const Proc<D>& q) {
      const Int<D> g = q.p_pgid;
      const Int<D> m = count_slots<D>(b, [&](Int<D> i, const Proc<D>& c) { return child_counts(i, c) && c.p_pgid == g; });
      Proc<D> r = q;
      r.pg_jobc = D::ite(m == D::num(0), q.pg_jobc, jobc_of<D>(b, g) + m);
      return ite_value<D>(q.p_state != D::num(PRS_FREE), r, q);
    });
  }
  // Leaving the old group.
  s = fixjobc<D>(s, p, before.p_pgid, before.p_sid, false);
  Proc<D> moved = proc_at<D>(s, p);
  moved.p_pgid = pgid;
  moved.p_sid = sid;
  moved.pg_jobc = D::ite(is_new, jn, jobc_of<D>(s, pgid));
  s = with_proc<D>(s, p, moved);
  return s;
}

}  // namespace ptm
