#include "scn/scenario_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unistd.h>
#include <fstream>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

#include "model/memory.hpp"
#include "model/properties.hpp"

namespace ptm::scn {

namespace {
using C = Concrete;

const char* sysctl_name(Sysctl k) {
  for (const auto& s : kSysctls<C, kRunProcs>)
    if (s.knob == k) return s.name;
  return "?";
}
std::string sig_text(std::int64_t sig) { return signal_name(sig); }
std::string hex(std::int64_t v) { return v >= 0 ? fmt::format("{:#x}", v) : fmt::format("{}", v); }

template <int N>
class Writer {
 public:
  explicit Writer(const WriteOptions& opt) : opt_(opt) {
    s_ = initial_state<C, N>();
    name_[SLOT_PROC0] = "proc0";
    name_[SLOT_INIT] = "init";
  }

  std::string go(const Trace& trace) {
    std::ostringstream out;
    if (!opt_.header.empty()) {
      std::istringstream h(opt_.header);
      for (std::string line; std::getline(h, line);) out << "# " << line << "\n";
    }
    if (N != kRunProcs) out << "procs " << N << "\n";
    for (const auto& [op, args] : trace) out << line(op, args) << "\n";
    return out.str();
  }

 private:
  std::string who(int slot) const {
    auto it = name_.find(slot);
    if (it == name_.end() || s_.procs[slot].p_state == PRS_FREE)
      throw std::invalid_argument(fmt::format("no process in slot {} to name", slot));
    return it->second;
  }
  // A pid argument: the name of the process that has it now, else the number.
  std::string pid_text(std::int64_t pid) const {
    for (int i = 0; i < N; ++i)
      if (s_.procs[i].p_state != PRS_FREE && s_.procs[i].p_pid == pid && name_.count(i)) return name_.at(i);
    return fmt::format("pid={}", pid);
  }
  std::string fresh_name() { return fmt::format("P{}", ++made_); }

  std::string cred_text(const Args<C>& a) const {
    const auto& c = a.cred;
    std::string t;
    if (a.kernel) return " kernel";
    if (c.cr_uid == c.cr_ruid && c.cr_uid == c.cr_svuid) t += fmt::format(" uid={}", c.cr_uid);
    else t += fmt::format(" uid={} euid={} svuid={}", c.cr_ruid, c.cr_uid, c.cr_svuid);
    if (c.cr_groups[0] == c.cr_rgid && c.cr_rgid == c.cr_svgid) t += fmt::format(" gid={}", c.cr_rgid);
    else t += fmt::format(" gid={} egid={} svgid={}", c.cr_rgid, c.cr_groups[0], c.cr_svgid);
    if (c.cr_ngroups > 1) {
      std::vector<std::int64_t> g(c.cr_groups.begin() + 1, c.cr_groups.begin() + c.cr_ngroups);
      t += fmt::format(" groups={}", fmt::join(g, ","));
    }
    if (c.cr_prison) t += fmt::format(" jail={}", c.cr_prison);
    if (a.sugid) t += " sugid";
    return t;
  }

  std::string line(const Op& op, const Args<C>& a) {
    std::string text, bind;
    const std::string actor = has_actor(op.kind) ? who(static_cast<int>(a.actor)) : "";
    switch (op.kind) {
      case OP_PTRACE: {
        const auto& p = a.pt;
        text = fmt::format("{} ptrace {}", actor, op.req == PT_UNKNOWN ? std::string("99") : request_name(op.req));
        if (op.req != PT_TRACE_ME) text += " " + pid_text(p.pid);
        text += fmt::format(" addr={} data={}", hex(p.addr), p.data);
        if (op.req == PT_IO)
          text += fmt::format(" op={} offs={} buf={} len={}", p.piod_op, hex(p.piod_offs), hex(p.piod_addr), p.piod_len);
        if (!p.regs_ok) text += " regs=bad";
        break;
      }
      case OP_SPAWN: bind = fresh_name(); text = "spawn " + bind + cred_text(a); break;
      case OP_FORK: bind = fresh_name(); text = fmt::format("{} fork {}", actor, bind); break;
      case OP_EXIT: text = fmt::format("{} exit {}", actor, a.value); break;
      case OP_EXIT_BEGIN: text = fmt::format("{} exit-begin {}", actor, a.value); break;
      case OP_EXIT_END: text = actor + " exit-end"; break;
      case OP_WAIT:
        text = fmt::format("{} wait {}{}{}", actor, a.pid == -1 ? std::string("any") : pid_text(a.pid),
                           (a.options & BSD_WNOHANG) ? " WNOHANG" : "", (a.options & BSD_WUNTRACED) ? " WUNTRACED" : "");
        break;
      case OP_KILL: text = fmt::format("{} kill {} {}", actor, pid_text(a.pid), sig_text(a.sig)); break;
      case OP_TAKESIG: text = actor + " takesig"; break;
      case OP_EXEC:
      case OP_EXEC_BEGIN:
        text = fmt::format("{} {}", actor, op.kind == OP_EXEC ? "exec" : "exec-begin");
        if (a.suid != -1) text += fmt::format(" setuid={}", a.suid);
        if (a.sgid != -1) text += fmt::format(" setgid={}", a.sgid);
        break;
      case OP_EXEC_END: text = actor + " exec-end"; break;
      case OP_SETUID: text = fmt::format("{} setuid {}", actor, a.value); break;
      case OP_SETEUID: text = fmt::format("{} seteuid {}", actor, a.value); break;
      case OP_SETGID: text = fmt::format("{} setgid {}", actor, a.value); break;
      case OP_SETEGID: text = fmt::format("{} setegid {}", actor, a.value); break;
      case OP_SETGROUPS: {
        std::vector<std::int64_t> g(a.groups.begin(), a.groups.begin() + std::clamp<std::int64_t>(a.value, 0, NGROUPS));
        text = fmt::format("{} setgroups{}{}", actor, g.empty() ? "" : " ", fmt::join(g, ","));
        break;
      }
      case OP_JAIL: text = actor + " jail"; break;
      case OP_GETPPID: text = actor + " getppid"; break;
      case OP_SYSCTL: text = fmt::format("sysctl {}={}", sysctl_name(op.knob), a.value); break;
      case OP_SWAPOUT: text = "swapout " + who(static_cast<int>(a.pid)); break;
      case OP_SWAPIN_BEGIN: text = "swapin-begin " + who(static_cast<int>(a.pid)); break;
      case OP_SWAPIN: text = "swapin " + who(static_cast<int>(a.pid)); break;
      case OP_SETSID: text = actor + " setsid"; break;
      case OP_SETPGID: text = fmt::format("{} setpgid {} {}", actor, a.pid == 0 ? std::string("0") : pid_text(a.pid), a.value); break;
      case OP_COUNT: break;
    }
    const State<C, N> pre = s_;
    auto [st, eff] = step_with_memory<N>(s_, mem_, op, a);
    s_ = st.next;
    // Name the new process, and forget the slots of reaped ones.
    if (!bind.empty() && st.out.kind == K_OK)
      for (int i = 0; i < N; ++i)
        if (s_.procs[i].p_state == PRS_NORMAL && s_.procs[i].p_pid == st.out.retval) name_[i] = bind;
    std::vector<std::string> expect;
    // A word or piod_len the model calls unspecified (memory.hpp) is written as `ok`.
    const bool unspecified = eff.word_unspecified || eff.io_len_unspecified;
    if (opt_.expectations) expect.push_back(unspecified && st.out.kind == K_OK ? "ok" : outcome(op, st.out, pre));
    for (int i = 2; i < N; ++i)
      if (s_.procs[i].p_state == PRS_FREE) name_.erase(i);
    if (opt_.violations) {
      std::vector<std::string> broken;
      StepCtx<C, N> c{pre, op, a, st.out, s_};
      for_each_property<C, N>(c, [&](std::string_view id, auto, bool h) {
        if (!h) broken.emplace_back(id);
      });
      if (!broken.empty()) expect.push_back("violates " + fmt::format("{}", fmt::join(broken, " ")));
    }
    if (!expect.empty()) text = fmt::format("{:<48} -> {}", text, fmt::join(expect, " "));
    return text;
  }

  std::string outcome(const Op& op, const Outcome<C>& o, const State<C, N>& pre) const {
    if (o.kind != K_OK) return outcome_name(o.kind, o.error);
    if (op.kind == OP_WAIT && o.retval != 0) {
      std::string child;
      for (int i = 0; i < N; ++i)
        if (pre.procs[i].p_state != PRS_FREE && pre.procs[i].p_pid == o.retval && name_.count(i)) child = name_.at(i);
      const auto st = o.status;
      std::string what = (st & 0177) == 0177 ? fmt::format("stopped {}", sig_text(st >> 8))
                         : (st & 0177) == 0  ? fmt::format("exited {}", (st >> 8) & 0xff)
                                             : fmt::format("signaled {}", sig_text(st & 0177));
      return child.empty() ? what : child + " " + what;
    }
    if (op.kind == OP_PTRACE && op.req == PT_IO) return fmt::format("{} len={}", o.retval, o.status);
    return fmt::format("{}", o.retval);
  }

  WriteOptions opt_;
  State<C, N> s_;
  Memory<N> mem_;
  std::map<int, std::string> name_;
  int made_ = 0;
};

}  // namespace

Witness write_witness(const Trace& trace, const std::string& property, const WriteOptions& opt) {
  Witness w;
  try {
    w.scenario = write_scenario(trace, opt);
  } catch (const std::exception& e) {
    w.note = fmt::format("cannot be written as a scenario: {}", e.what());
    return w;
  }
  std::ostringstream rep;
  auto sc = parse(property + ".scn", w.scenario);
  auto r = run_scenario(sc, rep, {.quiet = true});
  bool shows = !r.steps.empty();
  if (shows) {
    const auto& last = r.steps.back().violated;
    shows = std::find(last.begin(), last.end(), property) != last.end();
  }
  w.replays = r.failures == 0 && shows;
  if (!w.replays) w.note = rep.str();
  return w;
}

std::string write_scenario(const Trace& trace, const WriteOptions& opt) {
  return with_procs(opt.procs, [&](auto n) { return Writer<decltype(n)::value>(opt).go(trace); });
}

namespace {
void write_checked(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw InputError(fmt::format("{}: cannot write the file", path.string()));
}
}  // namespace

void publish_file(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec))
    throw InputError(fmt::format("{}: cannot write the file: {} is not a directory", path, parent.string()));
  const fs::path tmp = parent / fmt::format(".{}.ptmodel-partial-{}", p.filename().string(), ::getpid());
  try {
    write_checked(tmp, text);
  } catch (...) {
    fs::remove(tmp, ec);
    throw InputError(fmt::format("{}: cannot write the file", path));
  }
  fs::rename(tmp, p, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(fmt::format("{}: cannot move into place", path));
  }
}

void prepare_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw InputError(fmt::format("{}: cannot make the output directory: {}", dir, ec ? ec.message() : "not a directory"));
}

void publish_dir(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files,
                 const std::string& manifest) {
  namespace fs = std::filesystem;
  prepare_dir(dir);
  const fs::path tmp = fs::path(dir) / fmt::format(".ptmodel-partial-{}", ::getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec)
    throw InputError(fmt::format("{}: cannot write into the output directory: {}", dir, ec.message()));
  std::string list = manifest + "\n";
  for (const auto& [name, text] : files) {
    write_checked(tmp / name, text);
    list += name + "\n";
  }
  write_checked(tmp / "MANIFEST", list);
  // What an earlier run wrote goes; then the new files move in.
  if (std::ifstream old(fs::path(dir) / "MANIFEST"); old) {
    std::string line;
    std::getline(old, line);  // the command
    while (std::getline(old, line))
      if (!line.empty() && line.find('/') == std::string::npos && line[0] != '.') fs::remove(fs::path(dir) / line, ec);
  }
  for (const auto& [name, text] : files) {
    fs::rename(tmp / name, fs::path(dir) / name, ec);
    if (ec) throw InputError(fmt::format("{}: cannot move into place: {}", (fs::path(dir) / name).string(), ec.message()));
  }
  fs::rename(tmp / "MANIFEST", fs::path(dir) / "MANIFEST", ec);
  if (ec) throw InputError(fmt::format("{}/MANIFEST: cannot move into place: {}", dir, ec.message()));
  fs::remove_all(tmp, ec);
}

}  // namespace ptm::scn
