// State-aware, weighted generators of operations for the property tests: the
// operation, its caller and its arguments are drawn from what the current
// model state makes interesting (mostly live processes and their pids,
// sometimes zombies, reaped or reused pids, pid 0, init, kernel processes and
// pids never used; signals in and out of range; valid and faulting addresses;
// set-id and plain credentials; sysctl values).
#pragma once

#include <fmt/format.h>
#include <rapidcheck.h>

#include <memory>
#include <vector>

#include "model/kern_ptrace.hpp"
#include "model/step.hpp"

namespace ptm::props {

inline constexpr int kN = 8;  // the scenario runner's table: generated traces replay as scenarios
using S = State<Concrete, kN>;
using A = Args<Concrete>;

struct GenOp {
  Op op;
  A args;
};

namespace detail {

inline std::vector<int> slots_where(const S& s, bool (*pred)(const S&, int)) {
  std::vector<int> out;
  for (int i = 0; i < kN; ++i)
    if (pred(s, i)) out.push_back(i);
  return out;
}
inline bool occupied(const S& s, int i) { return s.procs[i].p_state != PRS_FREE; }
inline bool user_live(const S& s, int i) {
  return i > SLOT_INIT && s.procs[i].p_state == PRS_NORMAL && !s.procs[i].P_KTHREAD;
}
inline bool runs(const S& s, int i) { return can_run<Concrete, kN>(s, i); }
inline bool traced_stopped(const S& s, int i) {
  const auto& p = s.procs[i];
  return p.p_state == PRS_NORMAL && p.P_TRACED && P_SHOULDSTOP<Concrete>(p);
}

template <class T>
rc::Gen<T> pick(const std::vector<T>& v) {
  return rc::gen::elementOf(v);
}
// weightedOneOf for a list built at run time: each generator `weight` times.
template <class T>
rc::Gen<T> weighted(const std::vector<std::pair<std::size_t, rc::Gen<T>>>& choices) {
  std::vector<rc::Gen<T>> flat;
  for (const auto& [w, g] : choices)
    for (std::size_t i = 0; i < w; ++i) flat.push_back(g);
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, flat.size()), [flat](std::size_t i) { return flat[i]; });
}

// A caller: mostly one that can run, sometimes any process at all.
inline rc::Gen<int> actor(const S& s) {
  auto run = slots_where(s, runs);
  auto any = slots_where(s, occupied);
  if (run.empty()) return pick(any);
  return rc::gen::weightedOneOf<int>({{9, pick(run)}, {1, pick(any)}});
}

// A pid argument: mostly a live process's pid (tracees and the caller's
// relatives first), sometimes a zombie's, proc0's, init's, a kernel process's,
// a pid used before (maybe reused), or one never used.
inline rc::Gen<std::int64_t> pid_arg(const S& s, int caller) {
  std::vector<std::int64_t> live, zombie, near;
  for (int i = 0; i < kN; ++i) {
    const auto& p = s.procs[i];
    if (p.p_state == PRS_NORMAL && i > SLOT_INIT) live.push_back(p.p_pid);
    if (p.p_state == PRS_ZOMBIE) zombie.push_back(p.p_pid);
    if (p.p_state == PRS_NORMAL && (p.p_pptr == caller || (caller >= 0 && s.procs[caller].p_pptr == i)))
      near.push_back(p.p_pid);
  }
  std::vector<std::pair<std::size_t, rc::Gen<std::int64_t>>> g;
  if (!live.empty()) g.push_back({10, pick(live)});
  if (!near.empty()) g.push_back({10, pick(near)});
  if (!zombie.empty()) g.push_back({2, pick(zombie)});
  g.push_back({1, rc::gen::elementOf(std::vector<std::int64_t>{0, 1})});
  g.push_back({1, rc::gen::inRange<std::int64_t>(2, pid_max<kN>)});  // used before, reused, or never
  g.push_back({1, rc::gen::elementOf(std::vector<std::int64_t>{999, 100000})});
  return weighted<std::int64_t>(g);
}

inline rc::Gen<std::int64_t> signal_arg() {
  return rc::gen::weightedOneOf<std::int64_t>({
      {6, rc::gen::elementOf(std::vector<std::int64_t>{0, BSD_SIGSTOP, BSD_SIGKILL, BSD_SIGCONT, BSD_SIGTERM, BSD_SIGCHLD,
                                         BSD_SIGTRAP, BSD_SIGUSR1, BSD_SIGTSTP, BSD_SIGHUP})},
      {2, rc::gen::inRange<std::int64_t>(1, _SIG_MAXSIG + 1)},
      {1, rc::gen::elementOf(std::vector<std::int64_t>{-1, _SIG_MAXSIG + 1, 1000, 70000, INT32_MIN, INT32_MAX})},
  });
}

inline rc::Gen<std::int64_t> address_arg() {
  return rc::gen::weightedOneOf<std::int64_t>({
      {6, rc::gen::elementOf(std::vector<std::int64_t>{VA_DATA, VA_DATA + 0x100, VA_TEXT, VA_SHM})},
      {2, rc::gen::elementOf(std::vector<std::int64_t>{VA_RO, VA_GUARD, VA_RO - 2, VA_GUARD - 16, VA_END - 2})},
      {1, rc::gen::elementOf(std::vector<std::int64_t>{0, 1, VA_END, 0x7fffffff})},
  });
}

inline rc::Gen<Ucred<Concrete>> cred_arg() {
  return rc::gen::map(rc::gen::tuple(rc::gen::elementOf(std::vector<std::int64_t>{1001, 1001, 1002, 0}),
                                     rc::gen::elementOf(std::vector<std::int64_t>{1001, 1001, 1002, 0}),
                                     rc::gen::element<int>(0, 0, 0, 1, 2), rc::gen::elementOf(std::vector<std::int64_t>{0, 0, 0, 1})),
                      [](const auto& t) {
                        auto [uid, gid, shape, jail] = t;
                        Ucred<Concrete> c = root_cred<Concrete>();
                        c.cr_uid = c.cr_ruid = c.cr_svuid = uid;
                        c.cr_groups = {gid, gid, gid};
                        c.cr_rgid = c.cr_svgid = gid;
                        if (shape == 1) c.cr_svuid = 0;  // a saved uid of root
                        if (shape == 2) {                // a supplementary group
                          c.cr_ngroups = 2;
                          c.cr_groups[1] = 5;
                        }
                        c.cr_prison = jail;
                        return c;
                      });
}

}  // namespace detail

// Operations this state makes interesting: what a person testing ptrace would
// try next. Each is a generator (its arguments are still drawn at random).
inline std::vector<std::pair<std::size_t, rc::Gen<GenOp>>> directed(const std::shared_ptr<const S>& sp) {
  using namespace detail;
  const S& s = *sp;
  std::vector<std::pair<std::size_t, rc::Gen<GenOp>>> out;
  std::size_t w = 1;  // the weight of the next candidates
  auto add = [&](rc::Gen<GenOp> g) { out.emplace_back(w, std::move(g)); };
  auto fixed = [](OpKind k, int actor, std::int64_t pid = 0) {
    GenOp g{Op{k}, default_args<Concrete>()};
    g.args.actor = actor;
    g.args.pid = pid;
    return rc::gen::just(g);
  };
  // A request of any kind from `actor` at `pid`, with random arguments.
  auto any_request = [](int actor, std::int64_t pid) {
    return rc::gen::map(rc::gen::tuple(rc::gen::elementOf(std::vector<Req>(std::begin(kAllRequests), std::end(kAllRequests))),
                                       address_arg(), signal_arg(),
                                       rc::gen::elementOf(std::vector<std::int64_t>{PIOD_READ_D, PIOD_WRITE_I, 9}),
                                       address_arg(), rc::gen::elementOf(std::vector<std::int64_t>{4, 64, 0}),
                                       rc::gen::element(true, true, false)),
                        [actor, pid](const auto& t) {
                          auto [r, addr, data, op, buf, len, regs_ok] = t;
                          GenOp g{Op{OP_PTRACE, r}, default_args<Concrete>()};
                          g.args.actor = actor;
                          g.args.pt = PtraceArgs<Concrete>{pid, is_resume_req(r) ? 1 : addr, data, op, addr, buf, len,
                                                           regs_ok};
                          return g;
                        });
  };
  // Knobs that open whole classes of refusals: init under a raised securelevel,
  // unprivileged debugging off, other users' and groups' processes hidden.
  auto knob = [](Sysctl k, std::int64_t v) {
    GenOp g{Op{OP_SYSCTL, PT_TRACE_ME, k}, default_args<Concrete>()};
    g.args.value = v;
    return rc::gen::just(g);
  };
  if (s.securelevel <= 0) add(knob(KERN_SECURELEVEL, 1));
  add(knob(UNPRIVILEGED_PROC_DEBUG, s.unprivileged_proc_debug ? 0 : 1));
  add(knob(SEE_OTHER_UIDS, s.see_other_uids ? 0 : 1));
  add(knob(SEE_OTHER_GIDS, s.see_other_gids ? 0 : 1));
  for (int t = 2; t < kN; ++t) {
    const auto& tp = s.procs[t];
    if (tp.p_state != PRS_NORMAL) continue;
    const int pp = static_cast<int>(tp.p_pptr);
    const bool parent_runs = pp >= 0 && runs(s, pp);
    // A tracer working on its tracee; a started set-up is finished first.
    if (tp.P_TRACED && parent_runs) {
      w = 10;
      if (P_SHOULDSTOP<Concrete>(tp) && !tp.P_WAITED) add(fixed(OP_WAIT, pp, tp.p_pid));
      if (P_SHOULDSTOP<Concrete>(tp) && tp.P_WAITED) {
        w = 6;
        add(any_request(pp, tp.p_pid));
        add(any_request(pp, tp.p_pid));
        w = tp.PS_INMEM ? 2 : 8;
        if (!tp.PS_SWAPPINGIN) add(fixed(tp.PS_INMEM ? OP_SWAPOUT : OP_SWAPIN_BEGIN, SLOT_INIT, t));
        w = 3;
        // Resume it with a signal (any number: PT_STEP does not check it).
        add(rc::gen::map(rc::gen::tuple(rc::gen::element(PT_CONTINUE, PT_STEP, PT_DETACH), signal_arg()),
                                   [pp, pid = tp.p_pid](const auto& x) {
                                     GenOp g{Op{OP_PTRACE, std::get<0>(x)}, default_args<Concrete>()};
                                     g.args.actor = pp;
                                     g.args.pt.pid = pid;
                                     g.args.pt.data = std::get<1>(x);
                                     return g;
                                   }));
        // Its registers while a swap-in is under way.
        w = 20;
        if (tp.PS_SWAPPINGIN)
          add(rc::gen::map(rc::gen::element(PT_GETREGS, PT_SETREGS, PT_GETFPREGS, PT_SETFPREGS, PT_GETDBREGS,
                                                      PT_SETDBREGS),
                                     [pp, pid = tp.p_pid](Req r) {
                                       GenOp g{Op{OP_PTRACE, r}, default_args<Concrete>()};
                                       g.args.actor = pp;
                                       g.args.pt.pid = pid;
                                       g.args.pt.addr = VA_DATA;
                                       return g;
                                     }));
      }
    }
    w = 4;
    if (runs(s, t) && (tp.td_sig != 0 || sig_lowest<Concrete>(tp.p_siglist) != 0)) add(fixed(OP_TAKESIG, t));
    w = 2;
    // Start tracing: a child asks for it, or its parent attaches; a tracer stops its tracee.
    if (runs(s, t) && !tp.P_TRACED && user_live(s, t) && parent_runs && pp > SLOT_INIT) {
      GenOp g{Op{OP_PTRACE, PT_TRACE_ME}, default_args<Concrete>()};
      g.args.actor = t;
      add(rc::gen::just(g));
    }
    if (tp.P_TRACED && parent_runs && !P_SHOULDSTOP<Concrete>(tp)) {
      GenOp g{Op{OP_KILL}, default_args<Concrete>()};
      g.args.actor = pp;
      g.args.pid = tp.p_pid;
      g.args.sig = BSD_SIGSTOP;
      add(rc::gen::just(g));
    }
    // A child attaching its own parent: a p_pptr cycle.
    if (runs(s, t) && !tp.P_TRACED && pp > SLOT_INIT && user_live(s, pp)) {
      GenOp g{Op{OP_PTRACE, PT_ATTACH}, default_args<Concrete>()};
      g.args.actor = t;
      g.args.pt.pid = s.procs[pp].p_pid;
      add(rc::gen::just(g));
    }
    // Below a cycle: fork, trace yourself, attach someone: the walk never ends.
    if (runs(s, t) && ancestor_cycle<kN>(s, pp)[0] != NOPROC) {
      add(fixed(OP_FORK, t));
      if (!tp.P_TRACED) {
        GenOp g{Op{OP_PTRACE, PT_TRACE_ME}, default_args<Concrete>()};
        g.args.actor = t;
        add(rc::gen::just(g));
      } else {
        add(rc::gen::map(pid_arg(s, t), [t](std::int64_t pid) {
          GenOp g{Op{OP_PTRACE, PT_ATTACH}, default_args<Concrete>()};
          g.args.actor = t;
          g.args.pt.pid = pid;
          return g;
        }));
      }
    }
    // setpgid() on a process in a p_pptr cycle: inferior() never returns.
    if (runs(s, t))
      for (int o = 2; o < kN; ++o)
        if (s.procs[o].p_state == PRS_NORMAL && ancestor_cycle<kN>(s, o)[0] != NOPROC) {
          w = 3;
          GenOp g{Op{OP_SETPGID}, default_args<Concrete>()};
          g.args.actor = t;
          g.args.pid = s.procs[o].p_pid;
          g.args.value = 0;
          add(rc::gen::just(g));
        }
    // Requests across users, prisons, into an exec window, and from root at init.
    if (runs(s, t)) {
      for (int o = 1; o < kN; ++o) {
        const auto& op = s.procs[o];
        if (o == t || op.p_state != PRS_NORMAL) continue;
        w = op.P_INEXEC ? 8 : 1;
        const bool other = op.p_ucred.cr_ruid != tp.p_ucred.cr_ruid || op.p_ucred.cr_groups[0] != tp.p_ucred.cr_groups[0] ||
                           op.p_ucred.cr_prison != tp.p_ucred.cr_prison || op.P_INEXEC || op.P_SUGID ||
                           (o == SLOT_INIT && tp.p_ucred.cr_uid == 0);
        if (other) {
          add(any_request(t, op.p_pid));
          if (op.p_pptr == t) add(fixed(OP_SETPGID, t, op.p_pid));  // a descendant it may not see
        }
      }
      w = 1;
      add(any_request(t, 100000));  // a pid never used
      add(fixed(OP_EXEC_BEGIN, t));  // open an exec window
    }
    if (tp.P_INEXEC) {
      w = 1;
      add(fixed(OP_EXEC_END, t));
    }
  }
  return out;
}

// One operation for the state `s`.
inline rc::Gen<GenOp> gen_op(const S& state) {
  using namespace detail;
  // Generators are lazy (and re-run while shrinking): they hold a copy of the state.
  const auto sp = std::make_shared<const S>(state);
  const S& s = *sp;
  auto base = [sp](OpKind k, Req r = PT_TRACE_ME) {
    const S& s = *sp;
    return rc::gen::map(actor(s), [k, r](int act) {
      GenOp g{Op{k, r}, default_args<Concrete>()};
      g.args.actor = act;
      return g;
    });
  };
  auto with = [](rc::Gen<GenOp> g, auto f) { return rc::gen::mapcat(std::move(g), f); };

  // A ptrace request with state-aware arguments. Tracers mostly target their tracees.
  auto ptrace_gen = rc::gen::mapcat(rc::gen::elementOf(std::vector<Req>(std::begin(kAllRequests), std::end(kAllRequests))),
                                    [sp](Req r) {
    return rc::gen::mapcat(detail::actor(*sp), [sp, r](int act) {
      const S& s = *sp;
      return rc::gen::map(rc::gen::tuple(detail::pid_arg(s, act), detail::address_arg(), detail::signal_arg(),
                                         rc::gen::elementOf(std::vector<std::int64_t>{PIOD_READ_D, PIOD_WRITE_D, PIOD_READ_I,
                                                                        PIOD_WRITE_I, PIOD_READ_D, 0, 7}),
                                         detail::address_arg(), detail::address_arg(),
                                         rc::gen::elementOf(std::vector<std::int64_t>{4, 4, 16, 64, 4096, 0, 8192}),
                                         rc::gen::element(true, true, true, false), rc::gen::element(0, 0, 1)),
                          [sp, r, act](const auto& t) {
                            const S& s = *sp;
                            auto [pid, addr, data, op, offs, buf, len, regs_ok, resume_here] = t;
                            GenOp g{Op{OP_PTRACE, r}, default_args<Concrete>()};
                            g.args.actor = act;
                            // A tracer usually names one of its stopped tracees.
                            for (int i = 0; i < kN; ++i)
                              if (detail::traced_stopped(s, i) && s.procs[i].p_pptr == act && pid % 3 != 0)
                                pid = s.procs[i].p_pid;
                            g.args.pt = PtraceArgs<Concrete>{pid,  is_resume_req(r) && resume_here ? 1 : addr,
                                                             is_resume_req(r) && data > 200 && pid % 2 ? 0 : data,
                                                             op,   offs, buf, len, regs_ok};
                            if (is_resume_req(r) && !resume_here) g.args.pt.addr = 1;
                            return g;
                          });
    });
  });

  auto kill_gen = with(base(OP_KILL), [sp](GenOp g) {
    return rc::gen::map(rc::gen::tuple(detail::pid_arg(*sp, static_cast<int>(g.args.actor)), detail::signal_arg()),
                        [g](const auto& t) {
  GenOp r = g;
                          r.args.pid = std::get<0>(t) > 0 ? std::get<0>(t) : 2;  // kill(0) and kill(-1): not modelled
                          r.args.sig = std::get<1>(t);
                          return r;
                        });
  });
  auto wait_gen = with(base(OP_WAIT), [sp](GenOp g) {
    return rc::gen::map(rc::gen::tuple(rc::gen::weightedOneOf<std::int64_t>(
                                           {{2, rc::gen::just<std::int64_t>(-1)},
                                            {3, detail::pid_arg(*sp, static_cast<int>(g.args.actor))}}),
                                       rc::gen::elementOf(std::vector<std::int64_t>{0, BSD_WNOHANG, BSD_WUNTRACED,
                                                                      BSD_WNOHANG | BSD_WUNTRACED, BSD_WNOHANG})),
                        [g](const auto& t) {
  GenOp r = g;
                          r.args.pid = std::get<0>(t);  // 0 and < -1: a process group
                          r.args.options = std::get<1>(t);
                          return r;
                        });
  });
  // setpgid(pid, pgid): the caller (0) or another process; a new group, an
  // invalid one, or the group of some process.
  auto setpgid_gen = with(base(OP_SETPGID), [sp](GenOp g) {
    std::vector<std::int64_t> pgids{0, 0, -1, 7};
    for (const auto& q : sp->procs)
      if (q.p_state != PRS_FREE) pgids.push_back(q.p_pgid);
    return rc::gen::map(rc::gen::tuple(rc::gen::weightedOneOf<std::int64_t>(
                                           {{2, rc::gen::just<std::int64_t>(0)},
                                            {3, detail::pid_arg(*sp, static_cast<int>(g.args.actor))}}),
                                       rc::gen::elementOf(pgids)),
                        [g](const auto& t) {
                          GenOp r = g;
                          r.args.pid = std::get<0>(t);
                          r.args.value = std::get<1>(t);
                          return r;
                        });
  });
  auto spawn_gen = rc::gen::map(rc::gen::tuple(detail::cred_arg(), rc::gen::element(false, false, false, true),
                                               rc::gen::element(false, false, false, false, false, false, true)),
                                [](const auto& t) {
                                  GenOp g{Op{OP_SPAWN}, default_args<Concrete>()};
                                  g.args.cred = std::get<0>(t);
                                  g.args.sugid = std::get<1>(t);
                                  g.args.kernel = std::get<2>(t);
                                  return g;
                                });
  auto value_op = [&](OpKind k, rc::Gen<std::int64_t> v) {
    return with(base(k), [v](GenOp g) {
      return rc::gen::map(v, [g](std::int64_t x) {
  GenOp r = g;
        r.args.value = x;
        return r;
      });
    });
  };
  auto exec_gen = [&](OpKind k) {
    return with(base(k), [](GenOp g) {
      return rc::gen::map(rc::gen::tuple(rc::gen::elementOf(std::vector<std::int64_t>{-1, -1, -1, 0, 1002}),
                                         rc::gen::elementOf(std::vector<std::int64_t>{-1, -1, -1, 0})),
                          [g](const auto& t) {
  GenOp r = g;
                            r.args.suid = std::get<0>(t);
                            r.args.sgid = std::get<1>(t);
                            return r;
                          });
    });
  };
  auto swap_gen = [&](OpKind k) {
    auto occ = detail::slots_where(s, detail::occupied);
    return rc::gen::map(detail::pick(occ), [k](int slot) {
      GenOp g{Op{k}, default_args<Concrete>()};
      g.args.pid = slot;
      return g;
    });
  };
  auto sysctl_gen = rc::gen::map(
      rc::gen::tuple(rc::gen::element(KERN_SECURELEVEL, UNPRIVILEGED_PROC_DEBUG, SEE_OTHER_UIDS, SEE_OTHER_GIDS,
                                      SUSER_ENABLED),
                     rc::gen::elementOf(std::vector<std::int64_t>{0, 0, 1, -1, 2})),
      [](const auto& t) {
        GenOp g{Op{OP_SYSCTL, PT_TRACE_ME, std::get<0>(t)}, default_args<Concrete>()};
        g.args.value = std::get<1>(t);
        return g;
      });
  auto setgroups_gen = with(base(OP_SETGROUPS), [](GenOp g) {
    return rc::gen::map(rc::gen::element(0, 1, 2, 3), [g](int n) {
  GenOp r = g;
      r.args.value = n;
      r.args.groups = {1001, 5, 0};
      return r;
    });
  });
  auto ids = rc::gen::elementOf(std::vector<std::int64_t>{1001, 1002, 0, 5});

  auto random_op = rc::gen::weightedOneOf<GenOp>({
      {40, ptrace_gen},
      {8, kill_gen},
      {14, base(OP_TAKESIG)},
      {8, wait_gen},
      {7, base(OP_FORK)},
      {6, spawn_gen},
      {2, value_op(OP_EXIT, rc::gen::elementOf(std::vector<std::int64_t>{0, 1, 7}))},
      {2, value_op(OP_EXIT_BEGIN, rc::gen::elementOf(std::vector<std::int64_t>{0, 3}))},
      {2, base(OP_EXIT_END)},
      {2, exec_gen(OP_EXEC)},
      {1, exec_gen(OP_EXEC_BEGIN)},
      {1, base(OP_EXEC_END)},
      {1, value_op(OP_SETUID, ids)},
      {1, value_op(OP_SETEUID, ids)},
      {1, value_op(OP_SETGID, ids)},
      {1, value_op(OP_SETEGID, ids)},
      {1, setgroups_gen},
      {1, base(OP_JAIL)},
      {1, base(OP_GETPPID)},
      {2, base(OP_SETSID)},
      {4, setpgid_gen},
      {3, sysctl_gen},
      {1, swap_gen(OP_SWAPOUT)},
      {1, swap_gen(OP_SWAPIN_BEGIN)},
      {1, swap_gen(OP_SWAPIN)},
  });
  auto d = directed(sp);
  if (d.empty()) return random_op;
  return rc::gen::weightedOneOf<GenOp>({{1, random_op}, {1, detail::weighted<GenOp>(d)}});
}

// The operation can be written as a scenario line in this state (its caller
// and swap target exist), which is what a shrunk sequence must keep.
inline bool expressible(const S& s, const GenOp& g) {
  if (has_actor(g.op.kind) && !detail::occupied(s, static_cast<int>(g.args.actor))) return false;
  if ((g.op.kind == OP_SWAPOUT || g.op.kind == OP_SWAPIN || g.op.kind == OP_SWAPIN_BEGIN) &&
      !detail::occupied(s, static_cast<int>(g.args.pid)))
    return false;
  return true;
}

}  // namespace ptm::props
