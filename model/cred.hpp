// The credential predicates of kern_prot.c (kernel-context.md §3): suser_cred,
// prison_check, cr_seeotheruids, cr_seeothergids, groupmember, and the tests
// p_cansee, p_candebug and p_cansignal are made of. Each returns D::Bool.
#pragma once

#include "model/proc.hpp"

namespace ptm {

// suser_cred(cred, PRISON_ROOT): effective uid 0 and suser_enabled; jailed root
// passes because every caller here uses PRISON_ROOT.
template <class D, int N>
constexpr Bool<D> suser_prison_root(const State<D, N>& s, const Ucred<D>& c) {
  return s.suser_enabled != D::num(0) && c.cr_uid == D::num(0);
}
// suser(td): flag 0, so a jailed root fails it.
template <class D, int N>
constexpr Bool<D> suser(const State<D, N>& s, const Ucred<D>& c) {
  return suser_prison_root<D>(s, c) && c.cr_prison == D::num(0);
}

// prison_check(c1, c2) != 0
template <class D>
constexpr Bool<D> prison_check_fails(const Ucred<D>& c1, const Ucred<D>& c2) {
  return c1.cr_prison != D::num(0) && c1.cr_prison != c2.cr_prison;
}

// groupmember(g, cred)
template <class D>
constexpr Bool<D> groupmember(Int<D> g, const Ucred<D>& c) {
  Bool<D> r = D::lit(false);
  for (int i = 0; i < NGROUPS; ++i) r = r || (D::num(i) < c.cr_ngroups && c.cr_groups[i] == g);
  return r;
}

// cr_seeotheruids(u1, u2) != 0
template <class D, int N>
constexpr Bool<D> seeotheruids_fails(const State<D, N>& s, const Ucred<D>& u1, const Ucred<D>& u2) {
  return s.see_other_uids == D::num(0) && u1.cr_ruid != u2.cr_ruid && !suser_prison_root<D>(s, u1);
}

// cr_seeothergids(u1, u2) != 0: none of u1's groups is in u2's group set.
template <class D, int N>
constexpr Bool<D> seeothergids_fails(const State<D, N>& s, const Ucred<D>& u1, const Ucred<D>& u2) {
  Bool<D> shared = D::lit(false);
  for (int i = 0; i < NGROUPS; ++i)
    shared = shared || (D::num(i) < u1.cr_ngroups && groupmember<D>(u1.cr_groups[i], u2));
  return s.see_other_gids == D::num(0) && !shared && !suser_prison_root<D>(s, u1);
}

// p_candebug's subset tests: every gid of the target's (groups, rgid, svgid) is
// one of the caller's groups, and the caller's euid is the target's euid, svuid and ruid.
template <class D>
constexpr Bool<D> candebug_cred_ok(const Ucred<D>& caller, const Ucred<D>& target) {
  Bool<D> grpsubset = groupmember<D>(target.cr_rgid, caller) && groupmember<D>(target.cr_svgid, caller);
  for (int i = 0; i < NGROUPS; ++i)
    grpsubset = grpsubset && (D::num(i) >= target.cr_ngroups || groupmember<D>(target.cr_groups[i], caller));
  Bool<D> uidsubset = caller.cr_uid == target.cr_uid && caller.cr_uid == target.cr_svuid &&
                      caller.cr_uid == target.cr_ruid;
  return grpsubset && uidsubset;
}

// securelevel_gt(cred, level): the global level (per-prison levels are not modelled).
template <class D, int N>
constexpr Bool<D> securelevel_gt(const State<D, N>& s, int level) {
  return s.securelevel > D::num(level);
}

}  // namespace ptm
