#include "scn/run.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ostream>

#include "impl/trap.hpp"
#include "model/memory.hpp"
#include "model/properties.hpp"

namespace ptm::scn {

namespace {

using C = Concrete;

struct Named {
  int slot;
  std::int64_t pid;
  bool gone = false;
};

template <int N>
class Run {
 public:
  Run(const Scenario& sc, std::ostream& out, const RunOptions& opt)
      : sc_(sc), out_(out), opt_(opt), k_(N, pid_max<N>) {
    s_ = initial_state<C, N>();
    names_["proc0"] = {SLOT_PROC0, 0};
    names_["init"] = {SLOT_INIT, 1};
  }

  RunResult go() {
    RunResult r;
    if (!opt_.quiet) out_ << fmt::format("== {}\n", sc_.file);
    for (const Line& l : sc_.lines) {
      StepRecord rec = l.type == Line::EXPECT_STATE ? expect_state(l) : operation(l);
      if (rec.expectation_failed) ++r.failures;
      if (divergence_line_ && !r.divergence) r.divergence = divergence_line_;
      ++r.lines_run;
      if (opt_.keep_records) r.steps.push_back(std::move(rec));
    }
    if (r.divergence) ++r.failures;
    if (!opt_.quiet || r.failures)
      out_ << fmt::format("{}: {} steps, {} expectation{} failed{}\n", sc_.file, sc_.lines.size(),
                          r.failures - (r.divergence ? 1 : 0), r.failures - (r.divergence ? 1 : 0) == 1 ? "" : "s",
                          opt_.model_only ? (has_edits(current_semantics()) ? ", model only (the impl does not follow run-time edits)" : ", model only")
                          : r.divergence  ? fmt::format(", model and impl DIVERGE at line {}", r.divergence)
                                          : ", model and impl agree");
    return r;
  }

 private:
  [[noreturn]] void fail(const Line& l, const std::string& msg) const {
    throw InputError(fmt::format("{}:{}: {}", sc_.file, l.line, msg));
  }

  // The slot of a named process that still exists (live or zombie).
  int slot_of(const Line& l, const std::string& name) const {
    const Named& n = names_.at(name);
    if (n.slot == NOPROC) fail(l, fmt::format("process `{}` was never made (its fork or spawn failed)", name));
    if (n.gone) fail(l, fmt::format("process `{}` no longer exists (it was reaped)", name));
    return n.slot;
  }

  std::string slot_name(std::int64_t slot) const {
    if (slot == NOPROC) return "NULL";
    for (const auto& [k, v] : names_)
      if (!v.gone && v.slot == slot) return k;
    return fmt::format("slot{}", slot);
  }
  std::string pid_text(std::int64_t pid) const {
    for (const auto& [k, v] : names_)
      if (v.pid == pid) return fmt::format("{} ({})", pid, k);
    return fmt::format("{}", pid);
  }

  // What changed, one line per process.
  void print_diff(const RunState& a, const RunState& b) {
    auto glob = [&](const char* name, std::int64_t x, std::int64_t y) {
      if (x != y) out_ << fmt::format("        {} {} -> {}\n", name, x, y);
    };
    for (const auto& k : kSysctls<C, kRunProcs>) glob(k.name, a.*k.field, b.*k.field);
    for (int i = 0; i < kRunProcs; ++i) {
      const Proc<C>& p = a.procs[i];
      const Proc<C>& q = b.procs[i];
      std::vector<std::string> ch;
      auto st = [](std::int64_t v) { return v == PRS_FREE ? "free" : v == PRS_NORMAL ? "live" : "zombie"; };
      if (p.p_state != q.p_state) ch.push_back(fmt::format("{} -> {}", st(p.p_state), st(q.p_state)));
      if (q.p_state == PRS_FREE) {
        if (!ch.empty()) out_ << fmt::format("        {}: {}\n", slot_name(i), fmt::join(ch, ", "));
        continue;
      }
      if (p.p_state == PRS_FREE) {  // a new process: show what it starts with
        const auto& d = q.p_ucred;
        out_ << fmt::format("        {}: new, pid {}, parent {}, uids (r,e,sv) {},{},{}, gids (r,e,sv) {},{},{}{}{}\n",
                            slot_name(i), q.p_pid, slot_name(q.p_pptr), d.cr_ruid, d.cr_uid, d.cr_svuid, d.cr_rgid,
                            d.cr_groups[0], d.cr_svgid, q.P_SUGID ? ", P_SUGID" : "",
                            q.P_SYSTEM ? ", P_SYSTEM" : "");
        continue;
      }
      if (p.p_pid != q.p_pid) ch.push_back(fmt::format("pid {}", q.p_pid));
      if (p.p_pptr != q.p_pptr) ch.push_back(fmt::format("p_pptr {} -> {}", slot_name(p.p_pptr), slot_name(q.p_pptr)));
      if (p.p_oppid != q.p_oppid) ch.push_back(fmt::format("p_oppid {} -> {}", p.p_oppid, pid_text(q.p_oppid)));
      if (p.p_pgid != q.p_pgid && p.p_state != PRS_FREE) ch.push_back(fmt::format("p_pgid {} -> {}", p.p_pgid, q.p_pgid));
      if (p.p_sid != q.p_sid && p.p_state != PRS_FREE) ch.push_back(fmt::format("p_sid {} -> {}", p.p_sid, q.p_sid));
      auto flag = [&](const char* n, bool x, bool y) {
        if (x != y) ch.push_back(fmt::format("{}{}", y ? "+" : "-", n));
      };
      flag("P_SYSTEM", p.P_SYSTEM, q.P_SYSTEM);
      flag("P_TRACED", p.P_TRACED, q.P_TRACED);
      flag("P_WAITED", p.P_WAITED, q.P_WAITED);
      flag("P_WEXIT", p.P_WEXIT, q.P_WEXIT);
      flag("P_SUGID", p.P_SUGID, q.P_SUGID);
      flag("P_INEXEC", p.P_INEXEC, q.P_INEXEC);
      flag("P_EXEC", p.P_EXEC, q.P_EXEC);
      flag("P_STOPPED_SIG", p.P_STOPPED_SIG, q.P_STOPPED_SIG);
      flag("P_STOPPED_TRACE", p.P_STOPPED_TRACE, q.P_STOPPED_TRACE);
      flag("PS_INMEM", p.PS_INMEM, q.PS_INMEM);
      flag("PS_SWAPPINGIN", p.PS_SWAPPINGIN, q.PS_SWAPPINGIN);
      flag("PSL_T", p.td_sstep, q.td_sstep);
      if (p.p_xstat != q.p_xstat) ch.push_back(fmt::format("p_xstat {} -> {}", p.p_xstat, q.p_xstat));
      if (p.p_siglist != q.p_siglist) ch.push_back(fmt::format("pending {}", sigset_text(q.p_siglist)));
      if (p.td_pc != q.td_pc) ch.push_back(fmt::format("pc {:#x}", q.td_pc));
      const auto& c = p.p_ucred;
      const auto& d = q.p_ucred;
      if (c.cr_uid != d.cr_uid || c.cr_ruid != d.cr_ruid || c.cr_svuid != d.cr_svuid)
        ch.push_back(fmt::format("uids (r,e,sv) {},{},{}", d.cr_ruid, d.cr_uid, d.cr_svuid));
      if (c.cr_groups != d.cr_groups || c.cr_rgid != d.cr_rgid || c.cr_svgid != d.cr_svgid || c.cr_ngroups != d.cr_ngroups)
        ch.push_back(fmt::format("gids (r,e,sv) {},{},{} groups {}", d.cr_rgid, d.cr_groups[0], d.cr_svgid,
                                 fmt::join(d.cr_groups.begin(), d.cr_groups.begin() + d.cr_ngroups, ",")));
      if (c.cr_prison != d.cr_prison) ch.push_back(fmt::format("prison {}", d.cr_prison));
      if (!ch.empty()) out_ << fmt::format("        {}: {}\n", slot_name(i), fmt::join(ch, ", "));
    }
  }

  bool check_expect(const Line& l, const Outcome<C>& o, std::string& why) const {
    const Expect& e = expect_of(l);
    auto want_pid = [&](const std::string& name) { return names_.at(name).pid; };
    bool ok = true;
    switch (e.what) {
      case Expect::NONE: return true;
      case Expect::OK_ANY: ok = o.kind == K_OK; break;
      case Expect::OK_VALUE:
        if (eff_.word_unspecified) {
          why = fmt::format("expected `{}`, but the word read is unspecified (register contents, or bytes a "
                            "faulting copy left: docs/environment.md)", e.text);
          return false;
        }
        if (e.io_len && eff_.io_len_unspecified) {
          why = fmt::format("expected `{}`, but the piod_len copied back is unspecified (a copyout that faulted part "
                            "way: docs/environment.md)", e.text);
          return false;
        }
        ok = o.kind == K_OK && o.retval == e.value && (!e.io_len || o.status == (*e.io_len & 0xffffffff));
        break;
      case Expect::OK_PROC: ok = o.kind == K_OK && o.retval == want_pid(e.proc); break;
      case Expect::ERR: ok = o.kind == K_ERR && o.error == e.value; break;
      case Expect::HANG: ok = o.kind == K_HANG; break;
      case Expect::FAULT: ok = o.kind == K_FAULT; break;
      case Expect::BLOCKED: ok = o.kind == K_BLOCKED; break;
      case Expect::WAIT_STATUS: {
        std::int64_t st = e.status == Expect::STOPPED ? BSD_W_STOPCODE(e.status_value)
                        : e.status == Expect::EXITED  ? BSD_W_EXITCODE(e.status_value, 0)
                                                      : BSD_W_EXITCODE(0, e.status_value);
        ok = o.kind == K_OK && o.status == st && o.retval != 0;
        if (!e.proc.empty()) ok = ok && o.retval == want_pid(e.proc);
        else if (!l.target.empty()) ok = ok && o.retval == want_pid(l.target);
        break;
      }
    }
    if (!ok) {
      // A wait shows what it reported (pid and status), not only the pid.
      const std::string got = l.op.kind == OP_WAIT && o.kind == K_OK && o.retval != 0
                                  ? fmt::format("{} {}", pid_text(o.retval), status_text(o.status))
                                  : outcome_text(o);
      why = fmt::format("expected `{}`, got `{}`", e.text, got);
    }
    return ok;
  }

  std::string status_text(std::int64_t st) const {
    if ((st & 0177) == 0177) return fmt::format("stopped {}", signal_name(st >> 8));
    if ((st & 0177) == 0) return fmt::format("exited {}", (st >> 8) & 0xff);
    return fmt::format("signaled {}", signal_name(st & 0177));
  }

  StepRecord operation(const Line& l) {
    StepRecord rec;
    rec.line = &l;
    Args<C> a = l.args;
    if (!l.actor.empty()) a.actor = slot_of(l, l.actor);
    if (!l.target.empty()) {
      const Named& t = names_.at(l.target);
      // A name whose fork failed stands for no pid (not -1, which wait4 and kill read as "any").
      if (t.slot == NOPROC) fail(l, fmt::format("process `{}` was never made (its fork or spawn failed)", l.target));
      if (l.op.kind == OP_SWAPOUT || l.op.kind == OP_SWAPIN || l.op.kind == OP_SWAPIN_BEGIN)
        a.pid = slot_of(l, l.target);
      else if (l.op.kind == OP_PTRACE)
        a.pt.pid = t.pid;  // the pid it had: after a reap it may name someone else
      else
        a.pid = t.pid;
    }
    if (!l.pgid_of.empty()) {
      if (names_.at(l.pgid_of).slot == NOPROC)
        fail(l, fmt::format("process `{}` was never made (its fork or spawn failed)", l.pgid_of));
      a.value = names_.at(l.pgid_of).pid;
    }
    const State<C, N> pre = s_;
    rec.procs = N;
    rec.pre = widen<N>(pre);
    rec.args = a;
    for (int i = 0; i < N; ++i) rec.names.push_back(s_.procs[i].p_state == PRS_FREE ? "" : slot_name(i));
    auto [st, eff] = step_with_memory<N>(s_, mem_, l.op, a);
    eff_ = eff;
    rec.out = st.out;
    rec.post = widen<N>(st.next);
    s_ = st.next;
    if (!opt_.model_only && !divergence_line_) lockstep(l, a, rec.out, eff);
    // Bind the name of a new process; mark reaped ones gone.
    if (!l.bind.empty() && st.out.kind == K_OK) {
      for (int i = 0; i < N; ++i)
        if (s_.procs[i].p_state == PRS_NORMAL && s_.procs[i].p_pid == st.out.retval) names_[l.bind] = {i, st.out.retval};
    } else if (!l.bind.empty()) {
      names_[l.bind] = {NOPROC, -1, true};
    }
    for (auto& [k, v] : names_)
      if (!v.gone && (s_.procs[v.slot].p_state == PRS_FREE || s_.procs[v.slot].p_pid != v.pid)) v.gone = true;

    StepCtx<C, N> ctx{pre, l.op, a, rec.out, s_};
    for_each_property<C, N>(ctx, [&](std::string_view id, std::string_view, bool holds) {
      if (!holds) rec.violated.emplace_back(id);
    });

    std::string why;
    rec.expectation_failed = !check_expect(l, rec.out, why);
    for (const auto& prop : expect_of(l).violates) {
      if (std::find(rec.violated.begin(), rec.violated.end(), prop) != rec.violated.end()) continue;
      rec.expectation_failed = true;
      why += fmt::format("{}expected the step to violate {}, but it holds", why.empty() ? "" : "; ", prop);
    }
    rec.failure = why;
    if (!opt_.quiet || rec.expectation_failed) {
      std::string result = outcome_text(rec.out);
      if (l.op.kind == OP_PTRACE && l.op.req == PT_IO && rec.out.kind == K_OK)
        result += eff_.io_len_unspecified ? " len=unspecified" : fmt::format(" len={}", rec.out.status);
      if (l.op.kind == OP_PTRACE && (l.op.req == PT_READ_I || l.op.req == PT_READ_D) && rec.out.kind == K_OK &&
          eff_.word_unspecified)
        result = "unspecified (the word read)";
      if (l.op.kind == OP_WAIT && rec.out.kind == K_OK && rec.out.retval != 0)
        result = fmt::format("{} {}", pid_text(rec.out.retval), status_text(rec.out.status));
      if (l.op.kind == OP_TAKESIG && rec.out.kind == K_OK)
        result = rec.out.retval ? fmt::format("took {}", signal_name(rec.out.retval)) : "0 (no signal)";
      out_ << fmt::format("{:4}  {:<44} -> {}", l.line, l.text.substr(0, l.text.find("->")), result);
      if (rec.out.check != NO_CHECK) out_ << "   [" << check_text(static_cast<int>(rec.out.check)) << "]";
      if (rec.out.kind == K_HANG) {
        std::vector<std::string> cyc;
        // PT_ATTACH walks from the caller's parent; setpgid's inferior() from the target.
        const int from = l.op.kind == OP_SETPGID ? static_cast<int>(pfind<C>(pre, a.pid))
                                                 : static_cast<int>(pre.procs[a.actor].p_pptr);
        for (int q : ancestor_cycle<N>(pre, from))
          if (q != NOPROC) cyc.push_back(slot_name(q));
        out_ << fmt::format("\n        the p_pptr walk from {} cycles for ever through {}", slot_name(a.actor),
                            fmt::join(cyc, " -> "));
      }
      const bool expects = expect_of(l).what != Expect::NONE || !expect_of(l).violates.empty();
      out_ << (!expects ? "" : rec.expectation_failed ? "   MISMATCH" : "   (as expected)") << "\n";
      if (rec.expectation_failed) out_ << fmt::format("{}:{}: {}\n", sc_.file, l.line, why);
      if (!opt_.quiet) print_diff(rec.pre, rec.post);
      if ((opt_.properties || !expect_of(l).violates.empty()) && !rec.violated.empty())
        out_ << fmt::format("        violates: {}\n", fmt::join(rec.violated, ", "));
    }
    return rec;
  }

  StepRecord expect_state(const Line& l) {
    StepRecord rec;
    rec.line = &l;
    rec.procs = N;
    rec.pre = rec.post = widen<N>(s_);
    const Named& n = names_.at(l.actor);
    const bool gone = n.gone;
    const Proc<C> p = gone ? empty_proc<C>() : s_.procs[n.slot];
    std::vector<std::string> bad;
    if (l.only_under && *l.only_under != current_semantics()) {
      // `expect [SEM] ...` under another semantics: nothing to check.
      if (!opt_.quiet) out_ << fmt::format("{:4}  {:<44}    (not under this semantics)\n", l.line, l.text);
      return rec;
    }
    for (const Fact& f : l.facts) {
      bool live = !gone && p.p_state == PRS_NORMAL;
      bool ok = true;
      std::string actual;
      const char* where = gone ? "gone" : p.p_state == PRS_ZOMBIE ? "a zombie" : P_SHOULDSTOP<C>(p) ? "stopped" : "running";
      if (f.field) {
        const std::string have = gone ? "-" : field_text(p, f.key, [&](std::int64_t slot) { return slot_name(slot); });
        ok = !gone && have == f.value;
        actual = fmt::format("{} is {}", f.key, have);
      } else if (f.key == "running") ok = live && !P_SHOULDSTOP<C>(p);
      else if (f.key == "stopped") ok = live && P_SHOULDSTOP<C>(p);
      else if (f.key == "zombie") ok = !gone && p.p_state == PRS_ZOMBIE;
      else if (f.key == "gone") ok = gone;
      else if (f.key == "traced") ok = !gone && p.P_TRACED;
      else if (f.key == "untraced") ok = !gone && !p.P_TRACED;
      else if (f.key == "exiting") ok = live && p.P_WEXIT;
      else if (f.key == "inexec") ok = live && p.P_INEXEC;
      else if (f.key == "sugid") ok = !gone && p.P_SUGID;
      else if (f.key == "swapped") ok = live && !p.PS_INMEM;
      else if (f.key == "inmem") ok = live && p.PS_INMEM;
      else if (f.key == "parent") {
        ok = !gone && slot_name(p.p_pptr) == f.value;
        actual = fmt::format("parent is {}", gone ? "-" : slot_name(p.p_pptr));
      } else if (f.key == "oppid") {
        std::int64_t want = names_.count(f.value) ? names_.at(f.value).pid : std::stoll(f.value, nullptr, 0);
        ok = !gone && p.p_oppid == want;
        actual = fmt::format("p_oppid is {}", p.p_oppid);
      } else if (f.key == "pgid" || f.key == "sid") {
        std::int64_t want = names_.count(f.value) ? names_.at(f.value).pid : std::stoll(f.value, nullptr, 0);
        const std::int64_t have = f.key == "pgid" ? p.p_pgid : p.p_sid;
        ok = !gone && have == want;
        actual = fmt::format("p_{} is {}", f.key, have);
      } else if (f.key == "xstat") {
        auto sig = signal_by_name(f.value);
        std::int64_t want = sig ? *sig : std::stoll(f.value, nullptr, 0);
        ok = !gone && p.p_xstat == want;
        actual = fmt::format("p_xstat is {}", p.p_xstat);
      } else if (f.key == "pending") {
        ok = !gone && sigset_text(p.p_siglist) == f.value;
        actual = fmt::format("pending is {}", sigset_text(p.p_siglist));
      }
      if (!ok)
        bad.push_back(fmt::format("{}{} but {}", f.key, f.value.empty() ? "" : "=" + f.value,
                                  actual.empty() ? fmt::format("{} is {}", l.actor, where) : actual));
    }
    rec.expectation_failed = !bad.empty();
    rec.failure = fmt::format("expected {}", fmt::join(bad, "; "));
    if (!opt_.quiet || rec.expectation_failed)
      out_ << fmt::format("{:4}  {:<44}    {}\n", l.line, l.text, rec.expectation_failed ? "MISMATCH" : "(as expected)");
    if (rec.expectation_failed) out_ << fmt::format("{}:{}: {}\n", sc_.file, l.line, rec.failure);
    return rec;
  }

  // The same step on the reference implementation: the first disagreement in
  // outcome or abstract state is reported, and the impl is not run further.
  void lockstep(const Line& l, const Args<C>& a, const Outcome<C>& out, MemoryEffect eff) {
    auto io = impl::apply(k_, l.op, a);
    auto diffs = impl::lockstep_differences<N>(k_, l.op, out, io, s_, mem_, eff);
    if (diffs.empty()) return;
    divergence_line_ = l.line;
    out_ << fmt::format("{}:{}: model and impl DIVERGE after `{}`\n", sc_.file, l.line, l.text);
    for (const auto& d : diffs) out_ << "        " << d << "\n";
  }

  const Scenario& sc_;
  std::ostream& out_;
  RunOptions opt_;
  impl::Kernel k_;
  int divergence_line_ = 0;
  State<C, N> s_;
  Memory<N> mem_;
  MemoryEffect eff_;  // what the current step's contents leave unspecified
  std::map<std::string, Named> names_;
};

}  // namespace

std::string outcome_text(const Outcome<Concrete>& o) {
  return o.kind == K_OK ? fmt::format("{}", o.retval) : outcome_name(o.kind, o.error);
}

std::string edit_note(int check) {
  const EditSet* e = current_edits();
  if (!e) return "";
  std::vector<std::string> notes;
  for (int i = 0; i < e->count; ++i) {
    const Edit& x = e->edits[i];
    if (x.check != check) continue;
    if (x.kind == E_REMOVE) notes.push_back("taken out");
    if (x.kind == E_ERRNO) notes.push_back(fmt::format("{} instead of {}", errno_name(x.err), errno_name(kChecks[check].err)));
    if (x.kind == E_BEFORE || x.kind == E_AFTER)
      notes.push_back(fmt::format("moved {} {}", x.kind == E_BEFORE ? "before" : "after", kChecks[x.other].id));
  }
  return notes.empty() ? "" : fmt::format(" (run-time edit: {})", fmt::join(notes, ", "));
}

std::string check_text(int check) {
  const CheckInfo& c = kChecks[check];
  std::string where = c.seed_first ? fmt::format("seed {}-{}", c.seed_first, c.seed_last) : std::string(c.where);
  return fmt::format("{}, {}: {}{}", c.id, where, c.comment, edit_note(check));
}

RunResult run_scenario(const Scenario& sc, std::ostream& out, const RunOptions& opt) {
  RunOptions o = opt;
  if (has_edits(current_semantics())) o.model_only = true;  // the impl does not follow run-time edits
  return with_procs(sc.procs, [&](auto n) { return Run<decltype(n)::value>(sc, out, o).go(); });
}

}  // namespace ptm::scn
