// Symmetry reduction: one representative for states that differ only in how
// processes are numbered. Three renamings leave every rule's behaviour the same
// (each is checked on random reachable states by //explore:symmetry_test):
//
//  1. Slots. Rules name processes by slot (p_pptr, the ghosts) but never prefer
//     one slot to another: fork1 takes a free slot, wait4 scans p_listpos, pfind
//     matches a pid. Slots 2..N-1 are sorted (live and zombie processes by pid,
//     free slots last) and every slot-valued field renamed.
//  2. Pids, by rotation. fork1 takes the first pid after lastpid that no process
//     holds, cyclically in PID_RESERVED..pid_max-1; every other rule compares
//     pids for equality only. Rotating that range so that lastpid becomes
//     pid_max-1 keeps both. pids 0 and 1 (proc0, init) and p_oppid 0 stay.
//     Pid *reuse* is preserved: it depends only on which pids are held, relative
//     to lastpid.
//  3. Prison ids. They are compared for equality only (0: not jailed), and
//     jail() issues lastprison+1; renumbered densely in order, with lastprison.
//  4. The list clock. p_listpos values are compared only with each other and a
//     new one is always listclock+k; renumbering them (with listclock) densely,
//     in order, keeps every comparison. This makes the reachable space finite:
//     the raw clock grows with every fork (and lastprison with every jail()).
//
// Reduction::none leaves states as they are (the naive reference search).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "model/state.hpp"

namespace ptm::explore {

enum class Reduction { none, full };

template <int N>
State<Concrete, N> canonical(const State<Concrete, N>& in, Reduction r) {
  if (r == Reduction::none) return in;
  State<Concrete, N> s = in;
  constexpr std::int64_t PM = pid_max<N>;
  constexpr std::int64_t M = PM - PID_RESERVED;

  // 2. Rotate pids so that lastpid is pid_max-1 (the next fork tries PID_RESERVED first).
  if (s.lastpid >= PID_RESERVED) {
    const std::int64_t shift = s.lastpid + 1;
    auto rot = [&](std::int64_t x) {
      if (x < PID_RESERVED || x >= PM) return x;
      return ((x - shift) % M + M) % M + PID_RESERVED;
    };
    for (auto& p : s.procs) {
      if (p.p_state == PRS_FREE) continue;
      p.p_pid = rot(p.p_pid);
      p.p_oppid = rot(p.p_oppid);
      p.p_pgid = rot(p.p_pgid);  // group and session ids are pids too
      p.p_sid = rot(p.p_sid);
    }
    s.lastpid = rot(s.lastpid);
  }

  // 4. Dense, order-keeping renumbering of p_listpos and listclock.
  std::array<std::int64_t, N + 1> vals{};
  int nv = 0;
  for (const auto& p : s.procs)
    if (p.p_state != PRS_FREE) vals[nv++] = p.p_listpos;
  vals[nv++] = s.listclock;
  std::sort(vals.begin(), vals.begin() + nv);
  nv = static_cast<int>(std::unique(vals.begin(), vals.begin() + nv) - vals.begin());
  auto rank = [&](std::int64_t x) {
    return static_cast<std::int64_t>(std::lower_bound(vals.begin(), vals.begin() + nv, x) - vals.begin()) +
           (vals[0] > 0 ? 1 : 0);  // keep 0 below every position if no process holds it
  };
  for (auto& p : s.procs)
    if (p.p_state != PRS_FREE) p.p_listpos = rank(p.p_listpos);
  s.listclock = rank(s.listclock);

  // 3. Prison ids, likewise (0 stays 0: it is below every issued id).
  std::array<std::int64_t, N + 2> pv{};
  int np = 0;
  for (const auto& p : s.procs)
    if (p.p_state != PRS_FREE) pv[np++] = p.p_ucred.cr_prison;
  pv[np++] = s.lastprison;
  pv[np++] = 0;
  std::sort(pv.begin(), pv.begin() + np);
  np = static_cast<int>(std::unique(pv.begin(), pv.begin() + np) - pv.begin());
  auto prank = [&](std::int64_t x) {
    return static_cast<std::int64_t>(std::lower_bound(pv.begin(), pv.begin() + np, x) - pv.begin());
  };
  for (auto& p : s.procs)
    if (p.p_state != PRS_FREE) p.p_ucred.cr_prison = prank(p.p_ucred.cr_prison);
  s.lastprison = prank(s.lastprison);

  // 1. Sort slots 2..N-1: processes by pid, free slots last.
  std::array<int, N> order{};  // order[new] = old
  for (int i = 0; i < N; ++i) order[i] = i;
  auto key = [&](int i) {
    const auto& p = s.procs[i];
    return std::pair{p.p_state == PRS_FREE ? 1 : 0, p.p_pid};
  };
  std::sort(order.begin() + 2, order.end(), [&](int a, int b) { return key(a) < key(b); });
  std::array<std::int64_t, N> renamed{};  // renamed[old] = new
  for (int i = 0; i < N; ++i) renamed[order[i]] = i;
  auto slot = [&](std::int64_t x) { return x >= 0 && x < N ? renamed[x] : x; };
  State<Concrete, N> out = s;
  for (int i = 0; i < N; ++i) {
    auto p = s.procs[order[i]];
    if (p.p_state != PRS_FREE) {
      p.p_pptr = slot(p.p_pptr);
      p.g_oparent = slot(p.g_oparent);
      p.g_waiter = slot(p.g_waiter);
    }
    out.procs[i] = p;
  }
  return out;
}

}  // namespace ptm::explore
