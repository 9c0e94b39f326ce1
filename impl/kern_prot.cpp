// kern_prot.c of FreeBSD 5.x: suser_cred, prison_check, the see-other tests,
// p_cansee, p_candebug, p_cansignal, the setuid family, setsid and setpgid;
// jail(2) (kern_jail.c) and the sysctl writes the model has.
// /work/notes/impl-env.md names the text each follows.
#include <algorithm>

#include "impl/sim.hpp"

namespace impl {

void pgrp_free(Kernel& k, pgrp* pg);
void session_free(Kernel& k, session* s);

namespace {
const ucred& cred_of(thread* td) { return *td->td_proc->p_ucred; }
bool groupmember(gid_t g, const ucred& c) {
  return std::find(c.cr_groups, c.cr_groups + c.cr_ngroups, g) != c.cr_groups + c.cr_ngroups;
}
}  // namespace

int Kernel::suser_cred(const ucred& cred, bool prison_root) const {
  if (!sysctl.suser_enabled) return BSD_EPERM;
  if (cred.cr_uid != 0) return BSD_EPERM;
  if (cred.cr_prison != 0 && !prison_root) return BSD_EPERM;
  return 0;
}
int Kernel::prison_check(const ucred& c1, const ucred& c2) const {
  if (c1.cr_prison == 0) return 0;
  return c1.cr_prison == c2.cr_prison ? 0 : BSD_ESRCH;
}
int Kernel::cr_seeotheruids(const ucred& u1, const ucred& u2) const {
  if (!sysctl.see_other_uids && u1.cr_ruid != u2.cr_ruid)
    if (suser_cred(u1, true) != 0) return BSD_ESRCH;
  return 0;
}
int Kernel::cr_seeothergids(const ucred& u1, const ucred& u2) const {
  if (!sysctl.see_other_gids) {
    bool match = false;
    for (int i = 0; i < u1.cr_ngroups && !match; ++i) match = groupmember(u1.cr_groups[i], u2);
    if (!match && suser_cred(u1, true) != 0) return BSD_ESRCH;
  }
  return 0;
}

int Kernel::p_cansee(thread* td, proc* p) {
  const ucred& u1 = cred_of(td);
  const ucred& u2 = *p->p_ucred;
  if (prison_check(u1, u2)) return fail_at(C_CANSEE_PRISON, BSD_ESRCH);
  if (cr_seeotheruids(u1, u2)) return fail_at(C_CANSEE_UIDS, BSD_ESRCH);
  if (cr_seeothergids(u1, u2)) return fail_at(C_CANSEE_GIDS, BSD_ESRCH);
  return 0;
}

int Kernel::p_candebug(thread* td, proc* p) {
  const ucred& tc = cred_of(td);
  const ucred& pc = *p->p_ucred;
  int error;
  if (!delta_on(D_UNPRIV_AFTER_SELF) && !sysctl.unprivileged_proc_debug) {
    if ((error = suser_cred(tc, true)) != 0) return fail_at(C_CANDEBUG_UNPRIV, error);
  }
  if (td->td_proc == p) return 0;
  if (delta_on(D_UNPRIV_AFTER_SELF) && !sysctl.unprivileged_proc_debug) {  // delta unpriv_after_self
    if ((error = suser_cred(tc, true)) != 0) return fail_at(C_CANDEBUG_UNPRIV_NOT_SELF, error);
  }
  if ((error = prison_check(tc, pc)) != 0) return fail_at(C_CANDEBUG_PRISON, error);
  if ((error = cr_seeotheruids(tc, pc)) != 0) return fail_at(C_CANDEBUG_UIDS, error);
  if ((error = cr_seeothergids(tc, pc)) != 0) return fail_at(C_CANDEBUG_GIDS, error);
  // Is p's group set a subset of the caller's (its groups, real and saved gid)?
  bool grpsubset = groupmember(pc.cr_rgid, tc) && groupmember(pc.cr_svgid, tc);
  for (int i = 0; i < pc.cr_ngroups; ++i) grpsubset = grpsubset && groupmember(pc.cr_groups[i], tc);
  // Are the caller's effective uid and p's effective, saved and real uids one?
  bool uidsubset = tc.cr_uid == pc.cr_uid && tc.cr_uid == pc.cr_svuid && tc.cr_uid == pc.cr_ruid;
  bool credentialchanged = (p->p_flag & P_SUGID) != 0;
  if (!grpsubset || !uidsubset || credentialchanged) {
    if ((error = suser_cred(tc, true)) != 0) return fail_at(C_CANDEBUG_CRED, error);
  }
  // Can't trace init when securelevel > 0.
  if (p == initproc() && sysctl.securelevel > 0) return fail_at(C_CANDEBUG_INIT_SECURE, BSD_EPERM);
  // Can't trace a process that's currently exec'ing.
  if ((p->p_flag & P_INEXEC) != 0) {
    if (delta_on(D_INEXEC_EBUSY)) return fail_at(C_CANDEBUG_INEXEC_EBUSY, BSD_EBUSY);  // delta inexec_ebusy
    return fail_at(C_CANDEBUG_INEXEC, BSD_EAGAIN);
  }
  return 0;
}

int Kernel::p_cansignal(thread* td, proc* p, int signum) {
  if (td->td_proc == p) return 0;
  // "UNIX signalling semantics require that processes in the same session
  // always be able to deliver SIGCONT to one another, overriding the
  // remaining protections." (p_cansignal, before cr_cansignal's tests)
  if (signum == BSD_SIGCONT && p_session(td->td_proc) == p_session(p)) return 0;
  const ucred& tc = cred_of(td);
  const ucred& pc = *p->p_ucred;
  int error;
  if ((error = prison_check(tc, pc)) != 0) return fail_at(C_CANSIGNAL_PRISON, error);
  if ((error = cr_seeotheruids(tc, pc)) != 0) return fail_at(C_CANSIGNAL_UIDS, error);
  if ((error = cr_seeothergids(tc, pc)) != 0) return fail_at(C_CANSIGNAL_GIDS, error);
  // A set-id process takes only a few signals from unprivileged senders.
  if (p->p_flag & P_SUGID) {
    switch (signum) {
      case 0: case BSD_SIGKILL: case BSD_SIGINT: case BSD_SIGTERM: case BSD_SIGSTOP: case BSD_SIGTTIN:
      case BSD_SIGTTOU: case BSD_SIGTSTP: case BSD_SIGHUP: case BSD_SIGUSR1: case BSD_SIGUSR2:
        break;
      default:
        if ((error = suser_cred(tc, true)) != 0) return fail_at(C_CANSIGNAL_SUGID, error);
    }
  }
  if (tc.cr_ruid != pc.cr_ruid && tc.cr_ruid != pc.cr_svuid && tc.cr_uid != pc.cr_ruid && tc.cr_uid != pc.cr_svuid) {
    if ((error = suser_cred(tc, true)) != 0) return fail_at(C_CANSIGNAL_IDS, error);
  }
  return 0;
}

namespace {
// crcopy + change: the process gets a new credential.
template <class F>
void change_cred(proc* p, F&& f) {
  auto n = std::make_shared<ucred>(*p->p_ucred);
  f(*n);
  p->p_ucred = n;
}
}  // namespace

// setuid() and setgid(): kern_prot.c defines POSIX_APPENDIX_B_4_2_2 and no
// header defines _POSIX_SAVED_IDS, so the permission test is
// `uid != cr_ruid && uid != cr_uid && suser_cred(cr, PRISON_ROOT) != 0` (EPERM)
// and every permitted call sets the real, saved and effective ids, each with
// setsugid() when it changes (the `#ifdef _POSIX_SAVED_IDS` guard around the
// real/saved block is compiled out).
int Kernel::setuid(thread* td, uid_t uid) {
  proc* p = td->td_proc;
  const ucred old = *p->p_ucred;
  if (uid != old.cr_ruid &&  // allow setuid(getuid())
      uid != old.cr_uid &&   // allow setuid(geteuid()) (B.4.2.2)
      suser_cred(old, true) != 0)
    return fail_at(C_SETUID_PERM, BSD_EPERM);
  PROC_LOCK(p);
  if (uid != old.cr_ruid) { change_cred(p, [&](ucred& c) { c.cr_ruid = uid; }); setsugid(p); }
  if (uid != old.cr_svuid) { change_cred(p, [&](ucred& c) { c.cr_svuid = uid; }); setsugid(p); }
  if (uid != old.cr_uid) { change_cred(p, [&](ucred& c) { c.cr_uid = uid; }); setsugid(p); }
  PROC_UNLOCK(p);
  return 0;
}
int Kernel::seteuid(thread* td, uid_t euid) {
  proc* p = td->td_proc;
  const ucred old = *p->p_ucred;
  if (euid != old.cr_ruid && euid != old.cr_svuid && suser_cred(old, true) != 0)
    return fail_at(C_SETEUID_PERM, BSD_EPERM);
  if (old.cr_uid != euid) { change_cred(p, [&](ucred& c) { c.cr_uid = euid; }); setsugid(p); }
  return 0;
}
int Kernel::setgid(thread* td, gid_t gid) {
  proc* p = td->td_proc;
  const ucred old = *p->p_ucred;
  if (gid != old.cr_rgid &&       // allow setgid(getgid())
      gid != old.cr_groups[0] &&  // allow setgid(getegid()) (B.4.2.2)
      suser_cred(old, true) != 0)
    return fail_at(C_SETGID_PERM, BSD_EPERM);
  PROC_LOCK(p);
  if (old.cr_rgid != gid) { change_cred(p, [&](ucred& c) { c.cr_rgid = gid; }); setsugid(p); }
  if (old.cr_svgid != gid) { change_cred(p, [&](ucred& c) { c.cr_svgid = gid; }); setsugid(p); }
  if (old.cr_groups[0] != gid) { change_cred(p, [&](ucred& c) { c.cr_groups[0] = gid; }); setsugid(p); }
  PROC_UNLOCK(p);
  return 0;
}
int Kernel::setegid(thread* td, gid_t egid) {
  proc* p = td->td_proc;
  const ucred old = *p->p_ucred;
  if (egid != old.cr_rgid && egid != old.cr_svgid && suser_cred(old, true) != 0)
    return fail_at(C_SETEGID_PERM, BSD_EPERM);
  if (old.cr_groups[0] != egid) { change_cred(p, [&](ucred& c) { c.cr_groups[0] = egid; }); setsugid(p); }
  return 0;
}
int Kernel::setgroups(thread* td, int ngroups, const gid_t* gids) {
  proc* p = td->td_proc;
  if (suser_cred(*p->p_ucred, true) != 0) return fail_at(C_SETGROUPS_PERM, BSD_EPERM);
  ngroups = std::min(ngroups, NGROUPS);
  change_cred(p, [&](ucred& c) {
    if (ngroups < 1) {
      c.cr_ngroups = 1;  // keep the egid
    } else {
      std::copy(gids, gids + ngroups, c.cr_groups);
      c.cr_ngroups = ngroups;
    }
  });
  setsugid(p);
  return 0;
}
int Kernel::jail(thread* td) {
  proc* p = td->td_proc;
  if (suser_cred(*p->p_ucred, false) != 0) return fail_at(C_JAIL_PERM, BSD_EPERM);
  int id = ++lastprison;
  change_cred(p, [&](ucred& c) { c.cr_prison = id; });
  td->td_retval[0] = id;
  return 0;
}
// setsid() (5.x kern_prot.c): EPERM when the caller already leads a group
// (p_pgid == p_pid) or its pid names a group; otherwise enterpgrp() with a new
// group and a new session, and the new sid (the pid) is the return value.
int Kernel::setsid(thread* td) {
  proc* p = td->td_proc;
  pgrp* newpgrp = pgrp_alloc();       // MALLOC(newpgrp, ..., M_PGRP, M_WAITOK | M_ZERO)
  session* newsess = session_alloc();  // MALLOC(newsess, ..., M_SESSION, M_WAITOK | M_ZERO)
  int error = 0;
  sx_xlock(proctree_lock);
  if (p_pgid(p) == p->p_pid || pgfind(p->p_pid) != nullptr) {
    error = fail_at(C_SETSID_PERM, BSD_EPERM);
  } else {
    (void)enterpgrp(p, p->p_pid, newpgrp, newsess);
    td->td_retval[0] = p->p_pid;
    newpgrp = nullptr;
    newsess = nullptr;
  }
  sx_xunlock(proctree_lock);
  if (newpgrp != nullptr) pgrp_free(*this, newpgrp);
  if (newsess != nullptr) session_free(*this, newsess);
  return error;
}

// setpgid() (5.x kern_prot.c), its tests in the source's order:
//   pgid < 0: EINVAL;
//   a target other than the caller: pfind fails or !inferior: ESRCH;
//   p_cansee fails: its error; no pgrp or another session: EPERM; P_EXEC: EACCES;
//   SESS_LEADER(target): EPERM;
//   pgid 0 means the target's pid; no group pgid: a new one if pgid is the
//   target's pid, else EPERM; the target's own group: nothing to do; a group
//   of another session, not named by the target's pid: EPERM; else join it.
int Kernel::setpgid(thread* td, int pid, int pgid) {
  proc* curp = td->td_proc;
  proc* targp;
  pgrp* pg;
  int error;
  if (pgid < 0) return fail_at(C_SETPGID_EINVAL, BSD_EINVAL);
  error = 0;
  pgrp* newpgrp = pgrp_alloc();  // MALLOC(newpgrp, ..., M_PGRP, M_WAITOK | M_ZERO)
  sx_xlock(proctree_lock);
  if (pid != 0 && pid != curp->p_pid) {
    if ((targp = pfind(pid)) == nullptr) {
      error = fail_at(C_SETPGID_ESRCH, BSD_ESRCH);
      goto done;
    }
    last_check = C_SETPGID_INFERIOR_LOOP;  // what a walk that never ends is attributed to
    if (!inferior(targp)) {
      PROC_UNLOCK(targp);
      error = fail_at(C_SETPGID_NOT_INFERIOR, BSD_ESRCH);
      goto done;
    }
    if ((error = p_cansee(td, targp)) != 0) {
      PROC_UNLOCK(targp);
      error = fail_at(C_SETPGID_CANSEE, error);
      goto done;
    }
    if (targp->p_pgrp == nullptr || p_session(targp) != p_session(curp)) {
      PROC_UNLOCK(targp);
      error = fail_at(C_SETPGID_SESSION, BSD_EPERM);
      goto done;
    }
    if (targp->p_flag & P_EXEC) {
      PROC_UNLOCK(targp);
      error = fail_at(C_SETPGID_EXEC, BSD_EACCES);
      goto done;
    }
    PROC_UNLOCK(targp);
  } else {
    targp = curp;
  }
  if (SESS_LEADER(targp)) {
    error = fail_at(C_SETPGID_LEADER, BSD_EPERM);
    goto done;
  }
  if (pgid == 0) pgid = targp->p_pid;
  if ((pg = pgfind(pgid)) == nullptr) {
    if (pgid == targp->p_pid) {
      error = enterpgrp(targp, pgid, newpgrp, nullptr);
      if (error == 0) newpgrp = nullptr;
    } else {
      error = fail_at(C_SETPGID_PGRP, BSD_EPERM);
    }
  } else {
    if (pg == targp->p_pgrp) goto done;
    if (pg->pg_id != targp->p_pid && pg->pg_session != p_session(curp)) {
      error = fail_at(C_SETPGID_PGRP, BSD_EPERM);
      goto done;
    }
    error = enterthispgrp(targp, pg);
  }
done:
  sx_xunlock(proctree_lock);
  KASSERT(error == 0 || newpgrp != nullptr, "setpgid failed and newpgrp is NULL");
  if (newpgrp != nullptr) pgrp_free(*this, newpgrp);
  return error;
}

int Kernel::sysctl_write(int which, int value) {
  switch (which) {
    case 0:
      if (value < sysctl.securelevel) return fail_at(C_SECURELEVEL_RAISE_ONLY, BSD_EPERM);
      sysctl.securelevel = value;
      break;
    case 1: sysctl.unprivileged_proc_debug = value; break;
    case 2: sysctl.see_other_uids = value; break;
    case 3: sysctl.see_other_gids = value; break;
    case 4: sysctl.suser_enabled = value; break;
  }
  return 0;
}

}  // namespace impl
