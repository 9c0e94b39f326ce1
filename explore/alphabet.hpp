// The finite alphabet of the searches (the explorer, and the bounded search of
// `ptmodel verify`): the operations tried in each state, with their arguments
// drawn from a small abstraction. docs/explore.md lists it and says what it leaves out.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "model/step.hpp"

namespace ptm::explore {

using C = Concrete;

// The operations tried in a state: every request from every process that can
// run at every process (and the first pid no process has), resuming requests with data 0
// and an invalid signal; fork, exit (both ways), wait (any, with and without
// WNOHANG/WUNTRACED), kill with SIGSTOP/SIGKILL/SIGCONT, takesig, exec (both
// steps), getppid, setsid, setpgid(0, 0) and setpgid(pid, 0) at every pid;
// spawn (uid 1001); swapping out a
// process the swapper may take, and swapping a swapped-out one back in.
//
// The oracle's alphabet (Alphabet::oracle) adds, so that every check can
// decide some step: every operation from a process that cannot run; invalid
// addresses (the guard page) for the requests that copy in, copy out or reach
// the target's memory, a PT_IO with an unknown op, register sets the i386
// checks refuse, kill with an invalid signal and with SIGTERM; setuid, setgid,
// setegid and setgroups to 0; and the operations that change credentials and
// settings: setpgid(0, -1) and setpgid(pid, the caller's group) for every pid,
// seteuid/setuid to 1001, an
// execve of a set-uid-1001 image, jail(), getppid, finishing a swap-in, and
// each sysctl written once to its non-default value (and securelevel lowered,
// which fails).
//
// The complete alphabet (Alphabet::complete), of the witness searches (verify,
// diff, audit), has every operation of the model. It is the oracle's, and adds:
// PT_CONTINUE/PT_STEP/PT_DETACH with a valid signal (SIGTERM); wait4 for each
// pid, with WUNTRACED|WNOHANG; setuid, seteuid, setgid and setegid to each id
// of kCompleteIds; setgroups to {0} and {1001}; execve of a set-uid-root, a
// set-uid-1001 and a set-gid-1001 image; every sysctl written to the value it
// does not have (suser_enabled too; securelevel raised to 1, lowered refused);
// spawn of a root process, of uid 1001 and 1002, of a P_SUGID uid-1001 process
// and of a kernel process. Its argument domains are bounded, and named here:
// ids in kCompleteIds, signals in {0, SIGSTOP, SIGKILL, SIGCONT, SIGTERM,
// _SIG_MAXSIG+1}, the pids of the table and one unused pid.
enum class Alphabet { search, oracle, complete };
inline constexpr std::int64_t kCompleteIds[] = {0, 1001, 1002};
inline constexpr const char* kCompleteBounds =
    "ids {0, 1001, 1002}; signals {0, SIGSTOP, SIGKILL, SIGCONT, SIGTERM, 129}; the table's pids and one unused pid";

template <int N>
std::vector<std::pair<Op, Args<C>>> alphabet(const State<C, N>& s, Alphabet kind = Alphabet::search) {
  const bool oracle = kind == Alphabet::oracle || kind == Alphabet::complete;
  const bool complete = kind == Alphabet::complete;
  std::vector<std::pair<Op, Args<C>>> out;
  std::vector<std::int64_t> pids;
  for (int i = 0; i < N; ++i)
    if (s.procs[i].p_state != PRS_FREE) pids.push_back(s.procs[i].p_pid);
  for (std::int64_t q = PID_RESERVED; q < pid_max<N>; ++q)  // the first pid no process has, if any
    if (std::find(pids.begin(), pids.end(), q) == pids.end()) {
      pids.push_back(q);
      break;
    }
  auto add = [&](Op op, Args<C> a) { out.emplace_back(op, a); };
  for (int act = 1; act < N; ++act) {
    const auto& p = s.procs[act];
    if (p.p_state != PRS_NORMAL) continue;
    Args<C> a = default_args<C>();
    a.actor = act;
    const bool runs = can_run<C, N>(s, act);
    const bool takes = !P_SHOULDSTOP<C>(p) && !p.P_WEXIT && !p.P_INEXEC;
    if (takes) add(Op{OP_TAKESIG}, a);
    if (p.P_WEXIT) add(Op{OP_EXIT_END}, a);
    if (p.P_INEXEC) add(Op{OP_EXEC_END}, a);
    if (!runs) {
      if (!oracle) continue;
      // A caller that cannot run: every operation once (each is `blocked`).
      for (Req r : kAllRequests) {
        Args<C> b = a;
        b.pt.pid = pids.front();
        add(Op{OP_PTRACE, r}, b);
      }
      for (OpKind k : {OP_FORK, OP_EXIT, OP_EXIT_BEGIN, OP_WAIT, OP_KILL, OP_EXEC, OP_EXEC_BEGIN, OP_SETUID,
                       OP_SETEUID, OP_SETGID, OP_SETEGID, OP_SETGROUPS, OP_JAIL, OP_GETPPID, OP_SETSID, OP_SETPGID}) {
        Args<C> b = a;
        b.pid = pids.front();
        b.sig = BSD_SIGCONT;
        b.options = BSD_WNOHANG;
        add(Op{k}, b);
      }
      if (!p.P_WEXIT) add(Op{OP_EXIT_END}, a);
      if (!p.P_INEXEC) add(Op{OP_EXEC_END}, a);
      if (!takes) add(Op{OP_TAKESIG}, a);
      continue;
    }
    for (Req r : kAllRequests) {
      for (std::int64_t pid : pids) {
        if (r == PT_TRACE_ME && pid != pids.front()) continue;
        Args<C> b = a;
        b.pt.pid = pid;
        b.pt.addr = is_resume_req(r) ? 1 : VA_DATA;
        b.pt.piod_op = PIOD_READ_D;
        b.pt.piod_offs = b.pt.piod_addr = VA_DATA;
        b.pt.piod_len = SIZEOF_INT;
        add(Op{OP_PTRACE, r}, b);
        if (is_resume_req(r)) {
          Args<C> valid = b;
          b.pt.data = _SIG_MAXSIG + 1;
          add(Op{OP_PTRACE, r}, b);
          if (complete && r != PT_KILL) {
            valid.pt.data = BSD_SIGTERM;
            add(Op{OP_PTRACE, r}, valid);
          }
        }
        if (oracle && r != PT_TRACE_ME && !is_resume_req(r) && r != PT_ATTACH && r != PT_KILL && r != PT_UNKNOWN) {
          Args<C> bad = b;  // the guard page: neither readable nor writable anywhere
          bad.pt.addr = VA_GUARD;
          add(Op{OP_PTRACE, r}, bad);
          if (r == PT_IO) {
            Args<C> io = b;
            io.pt.piod_op = 99;
            add(Op{OP_PTRACE, r}, io);
            io = b;
            io.pt.piod_offs = VA_GUARD;
            add(Op{OP_PTRACE, r}, io);
            io = b;
            io.pt.piod_addr = VA_RO;  // a read into a read-only buffer
            add(Op{OP_PTRACE, r}, io);
          }
          if (r == PT_SETREGS || r == PT_SETDBREGS) {
            Args<C> regs = b;
            regs.pt.regs_ok = false;
            add(Op{OP_PTRACE, r}, regs);
          }
        }
      }
    }
    add(Op{OP_FORK}, a);
    add(Op{OP_SETSID}, a);
    {
      Args<C> b = a;  // setpgid(0, 0) and setpgid(pid, 0): a new group led by the caller or by pid
      b.value = 0;
      b.pid = 0;
      add(Op{OP_SETPGID}, b);
      for (std::int64_t pid : pids) {
        b.pid = pid;
        add(Op{OP_SETPGID}, b);
      }
      if (oracle) {
        b.pid = 0;
        b.value = -1;
        add(Op{OP_SETPGID}, b);
        for (std::int64_t pid : pids) {  // setpgid(pid, caller's group)
          b.pid = pid;
          b.value = p.p_pgid;
          add(Op{OP_SETPGID}, b);
        }
      }
    }
    add(Op{OP_EXIT}, a);
    add(Op{OP_EXIT_BEGIN}, a);
    add(Op{OP_EXEC_BEGIN}, a);
    for (std::int64_t opt : {std::int64_t{0}, std::int64_t{BSD_WNOHANG}, std::int64_t{BSD_WUNTRACED}}) {
      Args<C> b = a;
      b.pid = -1;
      b.options = opt;
      add(Op{OP_WAIT}, b);
    }
    if (complete) {
      Args<C> b = a;
      b.pid = -1;
      b.options = BSD_WNOHANG | BSD_WUNTRACED;
      add(Op{OP_WAIT}, b);
      for (std::int64_t pid : pids) {
        b.pid = pid;
        b.options = BSD_WNOHANG;
        if (pid > 1) add(Op{OP_WAIT}, b);
      }
    }
    for (std::int64_t pid : pids)
      for (std::int64_t sig : {std::int64_t{BSD_SIGSTOP}, std::int64_t{BSD_SIGKILL}, std::int64_t{BSD_SIGCONT}}) {
        Args<C> b = a;
        b.pid = pid;
        b.sig = sig;
        if (pid > 0) add(Op{OP_KILL}, b);
      }
    if (oracle) {
      for (std::int64_t pid : pids) {
        Args<C> b = a;
        b.pid = pid;
        b.sig = BSD_SIGTERM;
        if (pid > 0) add(Op{OP_KILL}, b);
      }
      Args<C> b = a;
      b.pid = pids.back();
      b.sig = _SIG_MAXSIG + 1;  // out of range
      add(Op{OP_KILL}, b);
      b = a;
      b.value = 1001;
      add(Op{OP_SETEUID}, b);
      add(Op{OP_SETUID}, b);
      b.value = 0;  // uid/gid 0: nothing changes for root, EPERM for anyone else
      add(Op{OP_SETUID}, b);
      add(Op{OP_SETGID}, b);
      add(Op{OP_SETEGID}, b);
      b.value = 1;
      b.groups = {0, 0, 0};
      add(Op{OP_SETGROUPS}, b);
      b = a;
      b.suid = 1001;
      add(Op{OP_EXEC}, b);
      add(Op{OP_JAIL}, a);
      add(Op{OP_GETPPID}, a);
    }
    if (complete) {
      // Every set-id call to every id of the bound (the oracle's above are among them).
      for (OpKind k : {OP_SETUID, OP_SETEUID, OP_SETGID, OP_SETEGID})
        for (std::int64_t id : kCompleteIds) {
          Args<C> b = a;
          b.value = id;
          const bool in_oracle = (k == OP_SETUID && (id == 0 || id == 1001)) || (k == OP_SETEUID && id == 1001) ||
                                 ((k == OP_SETGID || k == OP_SETEGID) && id == 0);
          if (!in_oracle) add(Op{k}, b);
        }
      Args<C> b = a;
      b.value = 1;
      b.groups = {1001, 0, 0};
      add(Op{OP_SETGROUPS}, b);
      b = a;
      b.suid = 0;  // a set-uid-root image
      add(Op{OP_EXEC}, b);
      b = a;
      b.sgid = 1001;
      add(Op{OP_EXEC}, b);
    }
  }
  if (oracle) {
    auto sysctl = [&](Sysctl k, std::int64_t v) {
      Args<C> b = default_args<C>();
      b.value = v;
      add(Op{OP_PTRACE, PT_TRACE_ME, k}, b);
      out.back().first.kind = OP_SYSCTL;
    };
    if (s.securelevel < 1) sysctl(KERN_SECURELEVEL, 1);
    if (s.securelevel > -1) sysctl(KERN_SECURELEVEL, -1);  // lowering: refused
    if (s.unprivileged_proc_debug) sysctl(UNPRIVILEGED_PROC_DEBUG, 0);
    if (s.see_other_uids) sysctl(SEE_OTHER_UIDS, 0);
    if (s.see_other_gids) sysctl(SEE_OTHER_GIDS, 0);
    if (complete) {
      if (!s.unprivileged_proc_debug) sysctl(UNPRIVILEGED_PROC_DEBUG, 1);
      if (!s.see_other_uids) sysctl(SEE_OTHER_UIDS, 1);
      if (!s.see_other_gids) sysctl(SEE_OTHER_GIDS, 1);
      sysctl(SUSER_ENABLED, s.suser_enabled ? 0 : 1);
    }
    for (int i = 2; i < N; ++i)
      if (s.procs[i].p_state == PRS_NORMAL && s.procs[i].PS_SWAPPINGIN) {
        Args<C> b = default_args<C>();
        b.pid = i;
        add(Op{OP_SWAPIN}, b);
      }
  }
  Args<C> sp = default_args<C>();
  sp.cred.cr_uid = sp.cred.cr_ruid = sp.cred.cr_svuid = 1001;
  sp.cred.cr_groups = {1001, 1001, 1001};
  sp.cred.cr_rgid = sp.cred.cr_svgid = 1001;
  add(Op{OP_SPAWN}, sp);
  if (complete) {
    Args<C> b = sp;
    b.sugid = true;  // a P_SUGID uid-1001 process
    add(Op{OP_SPAWN}, b);
    b = sp;
    b.cred.cr_uid = b.cred.cr_ruid = b.cred.cr_svuid = 1002;
    b.cred.cr_groups = {1002, 1002, 1002};
    b.cred.cr_rgid = b.cred.cr_svgid = 1002;
    add(Op{OP_SPAWN}, b);
    b = default_args<C>();  // root
    add(Op{OP_SPAWN}, b);
    b.kernel = true;  // a kernel process
    add(Op{OP_SPAWN}, b);
  }
  for (int i = 2; i < N; ++i) {
    if (s.procs[i].p_state != PRS_NORMAL) continue;
    Args<C> b = default_args<C>();
    b.pid = i;
    // Swap out what the swapper may take; bring back what it took.
    if (s.procs[i].PS_INMEM && swapout_eligible<C>(s.procs[i])) add(Op{OP_SWAPOUT}, b);
    if (!s.procs[i].PS_INMEM && !s.procs[i].PS_SWAPPINGIN) add(Op{OP_SWAPIN}, b);
  }
  return out;
}

}  // namespace ptm::explore
