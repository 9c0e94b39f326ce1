#include "scn/explain.hpp"

#include <fmt/format.h>

#include <ostream>

#include "scn/run.hpp"
#include "model/recording.hpp"

namespace ptm::scn {

namespace {

using C = Concrete;
using RS = State<C, kRunProcs>;

std::string flag(bool b) { return b ? "1" : "0"; }

struct Ctx {
  const RS& s;
  const StepRecord& rec;
  int actor;
  int target;  // slot of the ptrace/kill target, NOPROC if none
  std::string name(int slot) const {
    if (slot == NOPROC) return "NULL";
    const std::string& n = slot < static_cast<int>(rec.names.size()) ? rec.names[slot] : "";
    return n.empty() ? fmt::format("slot {}", slot) : n;
  }
  const Proc<C>& P(int slot) const { return s.procs[slot]; }
  std::string cred(int slot) const {
    const auto& c = P(slot).p_ucred;
    return fmt::format("{}: uid r/e/sv {}/{}/{}, gid r/e/sv {}/{}/{}, groups {}, prison {}", name(slot), c.cr_ruid,
                       c.cr_uid, c.cr_svuid, c.cr_rgid, c.cr_groups[0], c.cr_svgid,
                       fmt::join(c.cr_groups.begin(), c.cr_groups.begin() + c.cr_ngroups, ","), c.cr_prison);
  }
};

// The state a check reads, in words (presentation only: the guards are in model/).
std::string facts(int check, const Ctx& x) {
  const RS& s = x.s;
  const auto& a = x.rec.args;
  const int t = x.target;
  const bool has_t = t != NOPROC;
  const auto tp = [&] { return x.P(t); };
  switch (check) {
    case C_ACTOR_CANNOT_RUN: {
      const auto& p = x.P(x.actor);
      return fmt::format("caller {}: state {}, P_SHOULDSTOP {}, P_WEXIT {}, P_INEXEC {}, in issignal {}, PS_INMEM {}",
                         x.name(x.actor), p.p_state == PRS_NORMAL ? "live" : p.p_state == PRS_ZOMBIE ? "zombie" : "free",
                         flag(P_SHOULDSTOP<C>(p)), flag(p.P_WEXIT), flag(p.P_INEXEC), flag(p.td_sig != 0),
                         flag(p.PS_INMEM));
    }
    case C_PFIND:
    case C_KILL_PFIND:
      return has_t ? fmt::format("pid {} is {} (live)", x.rec.line->op.kind == OP_PTRACE ? a.pt.pid : a.pid, x.name(t))
                   : fmt::format("no live process has pid {}", x.rec.line->op.kind == OP_PTRACE ? a.pt.pid : a.pid);
    case C_CANSEE_PRISON: case C_CANDEBUG_PRISON: case C_CANSIGNAL_PRISON:
      return has_t ? fmt::format("prison: caller {}, target {}", x.P(x.actor).p_ucred.cr_prison, tp().p_ucred.cr_prison) : "";
    case C_CANSEE_UIDS: case C_CANDEBUG_UIDS: case C_CANSIGNAL_UIDS:
      return has_t ? fmt::format("see_other_uids={}; real uids: caller {}, target {}; caller euid {}", s.see_other_uids,
                                 x.P(x.actor).p_ucred.cr_ruid, tp().p_ucred.cr_ruid, x.P(x.actor).p_ucred.cr_uid) : "";
    case C_CANSEE_GIDS: case C_CANDEBUG_GIDS: case C_CANSIGNAL_GIDS:
      return has_t ? fmt::format("see_other_gids={}; {}; {}", s.see_other_gids, x.cred(x.actor), x.cred(t)) : "";
    case C_CANDEBUG_UNPRIV:
      return fmt::format("unprivileged_proc_debug={}; caller euid {}, suser_enabled={}", s.unprivileged_proc_debug,
                         x.P(x.actor).p_ucred.cr_uid, s.suser_enabled);
    case C_CANDEBUG_CRED:
      return has_t ? fmt::format("{}; {}; P_SUGID({})={}", x.cred(x.actor), x.cred(t), x.name(t), flag(tp().P_SUGID)) : "";
    case C_CANDEBUG_INIT_SECURE:
      return fmt::format("target is init: {}; kern.securelevel={}", flag(t == SLOT_INIT), s.securelevel);
    case C_CANDEBUG_INEXEC: return has_t ? fmt::format("P_INEXEC({})={}", x.name(t), flag(tp().P_INEXEC)) : "";
    case C_SYSTEM: return has_t ? fmt::format("P_SYSTEM({})={}", x.name(t), flag(tp().P_SYSTEM)) : "";
    case C_ATTACH_SELF: return has_t ? fmt::format("target pid {}, caller pid {}", tp().p_pid, x.P(x.actor).p_pid) : "";
    case C_ATTACH_TRACED: case C_NOT_TRACED:
      return has_t ? fmt::format("P_TRACED({})={}", x.name(t), flag(tp().P_TRACED)) : "";
    case C_ATTACH_ANCESTOR: case C_ATTACH_ANCESTOR_LOOP:
    case C_ATTACH_ANCESTOR_ANY: case C_ATTACH_ANCESTOR_ANY_LOOP: {
      std::string walk;
      int pp = static_cast<int>(x.P(x.actor).p_pptr);
      for (int k = 0; k <= kRunProcs + 1 && pp != NOPROC; ++k, pp = static_cast<int>(x.P(pp).p_pptr))
        walk += (walk.empty() ? "" : " -> ") + x.name(pp);
      if (pp != NOPROC) walk += " -> ...";
      return fmt::format("P_TRACED({})={}; p_pptr walk from {}: {}", x.name(x.actor), flag(x.P(x.actor).P_TRACED),
                         x.name(x.actor), walk.empty() ? "NULL" : walk);
    }
    case C_NOT_YOURS:
      return has_t ? fmt::format("p_pptr({})={}, caller={}", x.name(t), x.name(static_cast<int>(tp().p_pptr)),
                                 x.name(x.actor)) : "";
    case C_NOT_STOPPED:
      return has_t ? fmt::format("P_SHOULDSTOP({})={}, P_WAITED={}", x.name(t), flag(P_SHOULDSTOP<C>(tp())),
                                 flag(tp().P_WAITED)) : "";
    case C_SIGNAL_RANGE:
      return fmt::format("data={} ((unsigned) {}) against _SIG_MAXSIG {}", a.pt.data,
                         static_cast<std::uint32_t>(a.pt.data), _SIG_MAXSIG);
    case C_IO_OP: return fmt::format("piod_op={}", a.pt.piod_op);
    case C_RWMEM_WEXIT: return has_t ? fmt::format("P_WEXIT({})={}", x.name(t), flag(tp().P_WEXIT)) : "";
    case C_RWMEM_FAULT:
      return x.rec.line->op.req == PT_IO
                 ? fmt::format("target range {:#x}+{} ({})", a.pt.piod_offs, a.pt.piod_len,
                               (a.pt.piod_op == PIOD_WRITE_D || a.pt.piod_op == PIOD_WRITE_I) ? "write: max_protection"
                                                                                           : "read: protection")
                 : fmt::format("target int at {:#x}", a.pt.addr);
    case C_RWMEM_UIOMOVE: return fmt::format("caller buffer {:#x}+{}", a.pt.piod_addr, a.pt.piod_len);
    case C_PROC_ACTION_EIO:
      return has_t ? fmt::format("before _PHOLD: PS_INMEM({})={}, PS_SWAPPINGIN={}", x.name(t), flag(tp().PS_INMEM),
                                 flag(tp().PS_SWAPPINGIN)) : "";
    case C_SET_REGS_MD: case C_SET_DBREGS_MD:
      return fmt::format("the register set passes the i386 checks: {}", a.pt.regs_ok ? "yes" : "no");
    case C_PTRACE_COPYIN: case C_PTRACE_COPYOUT: return fmt::format("caller buffer at {:#x}", a.pt.addr);
    case C_KILL_SIGRANGE: return fmt::format("signum={}", a.sig);
    case C_CANSIGNAL_SUGID: case C_CANSIGNAL_IDS:
      return has_t ? fmt::format("{}; {}; P_SUGID={}", x.cred(x.actor), x.cred(t), flag(tp().P_SUGID)) : "";
    case C_WAIT_ECHILD: case C_WAIT_SLEEP: return fmt::format("wait for {}", a.pid == -1 ? std::string("any child") : fmt::format("pid {}", a.pid));
    case C_SECURELEVEL_RAISE_ONLY: return fmt::format("kern.securelevel {} -> {}", s.securelevel, a.value);
    default: return "";
  }
}

}  // namespace

Explained explain(const StepRecord& rec) {
  const Line& l = *rec.line;
  const RS& s = rec.pre;
  int target = NOPROC;
  if (l.op.kind == OP_PTRACE) target = l.op.req == PT_TRACE_ME ? static_cast<int>(rec.args.actor) : static_cast<int>(pfind<C, kRunProcs>(s, rec.args.pt.pid));
  if (l.op.kind == OP_KILL) target = static_cast<int>(pfind<C, kRunProcs>(s, rec.args.pid));
  Ctx x{s, rec, static_cast<int>(rec.args.actor), target};
  auto [log, st] = with_procs(rec.procs, [&](auto n) {
    constexpr int N = decltype(n)::value;
    auto [lg, r] = record_step<N>(narrow<N>(s), l.op, rec.args);
    return std::pair{lg, r.out};
  });
  Explained e;
  e.out = st;
  for (const auto& entry : log) e.checks.push_back({entry.check, entry.fired, facts(entry.check, x), entry.removed});
  return e;
}

void explain_step(const StepRecord& rec, std::ostream& out) {
  const Line& l = *rec.line;
  const Explained e = explain(rec);
  out << fmt::format("{}:{}  {}\n", "line", l.line, l.text.substr(0, l.text.find("->")));
  if (e.checks.empty()) out << "  no check applies to this operation\n";
  for (const auto& c : e.checks) {
    const CheckInfo& info = kChecks[c.check];
    std::string where = info.seed_first ? fmt::format("seed {}-{}", info.seed_first, info.seed_last) : std::string(info.where);
    out << fmt::format("  {:<3} {:<22} {:<15} {}{}{}\n", c.removed ? "out" : c.fired ? "YES" : "no", info.id, where,
                       info.comment, edit_note(c.check), c.facts.empty() ? "" : fmt::format("\n      {}", c.facts));
  }
  const auto& o = e.out;
  if (o.check != NO_CHECK) {
    const CheckInfo& c = kChecks[o.check];
    out << fmt::format("  => {}, decided by {} ({}{})\n", outcome_text(o), c.id,
                       c.seed_first ? fmt::format("seed {}-{}: ", c.seed_first, c.seed_last) : "", c.comment);
  } else {
    out << fmt::format("  => {}: no check fired\n", outcome_text(o));
  }
}

}  // namespace ptm::scn
