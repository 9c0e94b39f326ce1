#include "scn/scenario.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/properties.hpp"
#include "model/semantics_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace ptm::scn {

namespace {

const char* const kSigNames[BSD_NSIG] = {
    nullptr,  "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT", "SIGEMT",
    "SIGFPE", "SIGKILL", "SIGBUS",  "SIGSEGV", "SIGSYS",    "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGURG", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD",   "SIGTTIN", "SIGTTOU", "SIGIO",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGINFO", "SIGUSR1", "SIGUSR2",
};
const std::map<std::string, Req> kRequests = {
    {"PT_TRACE_ME", PT_TRACE_ME}, {"PT_READ_I", PT_READ_I},       {"PT_READ_D", PT_READ_D},
    {"PT_WRITE_I", PT_WRITE_I},   {"PT_WRITE_D", PT_WRITE_D},     {"PT_IO", PT_IO},
    {"PT_CONTINUE", PT_CONTINUE}, {"PT_STEP", PT_STEP},           {"PT_KILL", PT_KILL},
    {"PT_ATTACH", PT_ATTACH},     {"PT_DETACH", PT_DETACH},       {"PT_GETREGS", PT_GETREGS},
    {"PT_SETREGS", PT_SETREGS},   {"PT_GETFPREGS", PT_GETFPREGS}, {"PT_SETFPREGS", PT_SETFPREGS},
    {"PT_GETDBREGS", PT_GETDBREGS}, {"PT_SETDBREGS", PT_SETDBREGS},
};
const std::map<std::string, int> kPiodOps = {
    {"PIOD_READ_D", PIOD_READ_D}, {"PIOD_WRITE_D", PIOD_WRITE_D}, {"PIOD_READ_I", PIOD_READ_I},
    {"PIOD_WRITE_I", PIOD_WRITE_I},
};
const std::map<std::string, Sysctl> kSysctlByName = [] {
  std::map<std::string, Sysctl> m;
  for (const auto& k : kSysctls<Concrete, 2>) m[k.name] = k.knob;
  return m;
}();
const std::set<std::string> kStateFacts = {"running", "stopped", "zombie", "gone",  "traced",
                                           "untraced", "exiting", "inexec", "sugid", "swapped", "inmem"};
const std::set<std::string> kValueFacts = {"parent", "oppid", "xstat", "pending", "pgid", "sid"};

// Operations whose first word after the actor selects them.
const std::map<std::string, OpKind> kActorOps = {
    {"ptrace", OP_PTRACE},       {"fork", OP_FORK},         {"exit", OP_EXIT},       {"exit-begin", OP_EXIT_BEGIN},
    {"exit-end", OP_EXIT_END},   {"wait", OP_WAIT},         {"kill", OP_KILL},       {"takesig", OP_TAKESIG},
    {"exec", OP_EXEC},           {"exec-begin", OP_EXEC_BEGIN}, {"exec-end", OP_EXEC_END}, {"setuid", OP_SETUID},
    {"seteuid", OP_SETEUID},     {"setgid", OP_SETGID},     {"setegid", OP_SETEGID}, {"setgroups", OP_SETGROUPS},
    {"jail", OP_JAIL},           {"getppid", OP_GETPPID},   {"setsid", OP_SETSID},   {"setpgid", OP_SETPGID},
};

// The fields of struct proc (and its p_ucred) that `expect` can state, with how their values are written.
enum class FieldKind { flag, number, link, signal, sigset, groups };
const std::vector<std::pair<std::string, FieldKind>>& field_table() {
  static const std::vector<std::pair<std::string, FieldKind>> table = [] {
    std::vector<std::pair<std::string, FieldKind>> t;
    auto add = [&](const std::string& k, auto v) {
      using T = std::decay_t<decltype(v)>;
      FieldKind kind = std::is_same_v<T, bool> ? FieldKind::flag : FieldKind::number;
      if (k == "p_pptr" || k == "g_oparent" || k == "g_waiter") kind = FieldKind::link;
      if (k == "p_xstat" || k == "td_sig") kind = FieldKind::signal;
      if (k == "p_siglist") kind = FieldKind::sigset;
      if (k == "cr_groups") kind = FieldKind::groups;
      t.push_back({k, kind});
    };
    const Proc<Concrete> p = empty_proc<Concrete>();
    hana::for_each(hana::keys(p), [&](auto key) {
      const std::string k = hana::to<char const*>(key);
      if constexpr (std::is_same_v<std::decay_t<decltype(hana::at_key(p, key))>, Ucred<Concrete>>) {
        hana::for_each(hana::keys(p.p_ucred), [&](auto ck) {
          const std::string c = hana::to<char const*>(ck);
          if constexpr (requires { std::tuple_size<std::decay_t<decltype(hana::at_key(p.p_ucred, ck))>>::value; })
            add(c, std::int64_t{});
          else
            add(c, hana::at_key(p.p_ucred, ck));
        });
      } else if constexpr (requires { std::tuple_size<std::decay_t<decltype(hana::at_key(p, key))>>::value; }) {
        add(k, std::int64_t{});
      } else {
        add(k, hana::at_key(p, key));
      }
    });
    return t;
  }();
  return table;
}
FieldKind field_kind(const std::string& key) {
  for (const auto& [k, kind] : field_table())
    if (k == key) return kind;
  return FieldKind::number;
}

class Parser {
 public:
  Parser(std::string file) : file_(std::move(file)) {
    names_ = {"proc0", "init"};
  }

  [[noreturn]] void fail(const std::string& msg) const {
    throw InputError(fmt::format("{}:{}: {}", file_, lineno_, msg));
  }

  Scenario run(const std::string& text) {
    Scenario sc;
    sc.file = file_;
    sc_semantics_ = &sc.semantics;
    bool saw_procs = false;
    // A UTF-8 byte order mark is not part of the first line; CR LF and a lone
    // CR end a line as LF does.
    std::string norm = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? text.substr(3) : text;
    for (std::size_t i = 0; i < norm.size(); ++i)
      if (norm[i] == '\r') {
        if (i + 1 < norm.size() && norm[i + 1] == '\n') norm.erase(i, 1);
        else norm[i] = '\n';
      }
    std::istringstream in(norm);
    std::string raw;
    while (std::getline(in, raw)) {
      ++lineno_;
      if (raw.size() > 4096) fail("line longer than 4096 characters");
      for (unsigned char ch : raw)
        if (ch == 0 || (ch < 0x20 && ch != '\t' && ch != '\r')) fail("control character in the line (not a text file?)");
      std::string body = raw.substr(0, raw.find('#'));
      std::string expect;
      if (auto arrow = body.find("->"); arrow != std::string::npos) {
        expect = body.substr(arrow + 2);
        body = body.substr(0, arrow);
      }
      auto words = split(body);
      if (words.empty()) {
        if (!split(expect).empty()) fail("an expectation `-> ...` needs an operation before it");
        continue;
      }
      if (words[0] == "procs") {
        if (!sc.lines.empty() || saw_procs) fail("`procs N` comes once, before the first operation");
        if (words.size() != 2 || !split(expect).empty()) fail("expected `procs N` (the size of the process table)");
        const std::int64_t n = number(words[1], "a table size");
        if (n < kMinProcs || n > kMaxProcs) fail(fmt::format("procs {}: expected {}..{}", n, kMinProcs, kMaxProcs));
        sc.procs = static_cast<int>(n);
        saw_procs = true;
        continue;
      }
      Line l;
      l.line = lineno_;
      l.text = trim(raw.substr(0, raw.find('#')));
      parse_line(words, l);
      auto ew = split(expect);
      if (!ew.empty() && ew[0].size() > 2 && ew[0].front() == '[' && ew[0].back() == ']') {
        // -> [SEM] EXPECT [SEM] EXPECT ...
        std::size_t i = 0;
        while (i < ew.size()) {
          const std::string name = ew[i].substr(1, ew[i].size() - 2);
          auto parsed = parse_semantics(name);
          if (!parsed.mask) fail(parsed.error);
          for (const auto& [m, e] : l.under)
            if (m == *parsed.mask) fail(fmt::format("semantics `{}` has two expectations on this step", name));
          std::size_t j = i + 1;
          while (j < ew.size() && !(ew[j].front() == '[' && ew[j].back() == ']')) ++j;
          if (j == i + 1) fail(fmt::format("expected an expectation after `[{}]`", name));
          l.under.push_back({*parsed.mask, parse_expect({ew.begin() + i + 1, ew.begin() + j}, l)});
          if (std::find(sc.semantics.begin(), sc.semantics.end(), *parsed.mask) == sc.semantics.end())
            sc.semantics.push_back(*parsed.mask);
          i = j;
        }
      } else {
        l.expect = parse_expect(ew, l);
      }
      sc.lines.push_back(std::move(l));
    }
    if (sc.lines.empty()) {
      lineno_ = std::max(lineno_, 1);
      fail("empty scenario: expected at least one operation (see docs/scenarios.md)");
    }
    return sc;
  }

 private:
  static std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
  }
  static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  }

  // A number as the scenario language writes them: decimal, or hexadecimal
  // with 0x (a leading zero is not octal: `010` is ten).
  std::int64_t number(const std::string& s, const std::string& what) const {
    try {
      std::size_t used = 0;
      const bool neg = !s.empty() && s[0] == '-';
      const std::string digits = neg ? s.substr(1) : s;
      const bool hex = digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
      if (digits.empty() || (!hex && !std::isdigit(static_cast<unsigned char>(digits[0])))) throw std::invalid_argument(s);
      long long v = std::stoll(hex ? digits.substr(2) : digits, &used, hex ? 16 : 10);
      if (used != digits.size() - (hex ? 2 : 0)) throw std::invalid_argument(s);
      if (neg) v = -v;
      if (v < INT32_MIN || v > static_cast<long long>(UINT32_MAX)) fail(fmt::format("{} `{}` is out of range (32 bits)", what, s));
      return v;
    } catch (const std::out_of_range&) {
      fail(fmt::format("{} `{}` is out of range (32 bits)", what, s));
    } catch (const std::invalid_argument&) {
      fail(fmt::format("expected {} (a number), got `{}`", what, s));
    }
  }

  // `pending=` as a set: `none` or signals (names or numbers) separated by
  // commas, in any order, written back in signal order.
  std::string sigset_fact(const std::string& v) const {
    if (v == "none") return v;
    std::set<std::int64_t> sigs;
    std::stringstream ss(v);
    for (std::string x; std::getline(ss, x, ',');) {
      const std::int64_t sig = signal_or_number(x);
      if (sig < 1 || sig > _SIG_MAXSIG) fail(fmt::format("pending: a signal is 1..{}, got `{}`", _SIG_MAXSIG, x));
      sigs.insert(sig);
    }
    if (sigs.empty()) fail("pending: expected `none` or signals separated by commas");
    std::string out;
    for (auto sig : sigs) out += (out.empty() ? "" : ",") + signal_name(sig);
    return out;
  }

  // A fact about a field of struct proc: FLAG, !FLAG, FLAG=0|1, FIELD=VALUE; nullopt if `w` names no field.
  std::optional<Fact> field_fact_of(const std::string& w) const {
    const bool negated = !w.empty() && w[0] == '!';
    auto [k, v] = kv(negated ? w.substr(1) : w);
    const auto& names = field_names();
    if (std::find(names.begin(), names.end(), k) == names.end()) return std::nullopt;
    const FieldKind kind = field_kind(k);
    Fact f{k, v, true};
    if (kind == FieldKind::flag) {
      if (negated ? !v.empty() : !(v.empty() || v == "0" || v == "1"))
        fail(fmt::format("`{}` is a flag: write {}, !{} or {}=0|1", w, k, k, k));
      f.value = negated || v == "0" ? "0" : "1";
      return f;
    }
    if (negated || v.empty()) fail(fmt::format("`{}` is not a flag: write {}=VALUE", w, k));
    switch (kind) {
      case FieldKind::link:
        if (v != "NULL") known(v);
        break;
      case FieldKind::signal: f.value = std::to_string(signal_or_number(v)); break;
      case FieldKind::sigset: f.value = sigset_fact(v); break;
      case FieldKind::groups: {
        std::string out;
        std::stringstream ss(v);
        for (std::string x; std::getline(ss, x, ',');) out += (out.empty() ? "" : ",") + std::to_string(number(x, "a gid"));
        f.value = out;
        break;
      }
      default: f.value = std::to_string(number(v, "a number")); break;
    }
    return f;
  }

  std::int64_t signal_or_number(const std::string& s) const {
    if (auto sig = signal_by_name(s)) return *sig;
    if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) return number(s, "a signal");
    fail(fmt::format("expected a signal (SIGSTOP, ... or a number), got `{}`", s));
  }

  bool valid_name(const std::string& s) const {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return !errno_by_name(s) && !signal_by_name(s) && !kRequests.count(s) && !kActorOps.count(s) &&
           s != "sysctl" && s != "spawn" && s != "expect" && s != "procs" && s != "any" && s != "swapout" && s != "swapin" &&
           s != "swapin-begin" && s != "ok" && s != "hang" && s != "fault" && s != "blocked" && s != "violates" &&
           s != "expect" && s != "procs";
  }
  void define(const std::string& name) {
    if (!valid_name(name)) fail(fmt::format("`{}` cannot name a process (expected a letter, then letters, digits or _; not a keyword)", name));
    if (names_.count(name)) fail(fmt::format("duplicate process name `{}`", name));
    names_.insert(name);
  }
  void known(const std::string& name) const {
    if (!names_.count(name)) fail(fmt::format("unknown process `{}` (name processes with spawn or fork first)", name));
  }
  // A pid argument: a process name, or `pid=N` / a bare number for a raw pid.
  void pid_arg(const std::string& w, Line& l, std::int64_t& slot_value) {
    if (w.rfind("pid=", 0) == 0) {
      slot_value = number(w.substr(4), "a pid");
      l.target_is_pid = true;
      return;
    }
    if (!w.empty() && (std::isdigit(static_cast<unsigned char>(w[0])) || w[0] == '-')) {
      slot_value = number(w, "a pid");
      l.target_is_pid = true;
      return;
    }
    known(w);
    l.target = w;
  }
  static std::pair<std::string, std::string> kv(const std::string& w) {
    auto eq = w.find('=');
    if (eq == std::string::npos) return {w, ""};
    return {w.substr(0, eq), w.substr(eq + 1)};
  }
  void need_args(const std::vector<std::string>& w, std::size_t lo, std::size_t hi, const char* usage) const {
    if (w.size() < lo || w.size() > hi) fail(fmt::format("expected `{}`", usage));
  }

  void parse_cred(const std::vector<std::string>& w, std::size_t from, Line& l) {
    auto& c = l.args.cred;
    std::vector<std::int64_t> groups;
    for (std::size_t i = from; i < w.size(); ++i) {
      auto [k, v] = kv(w[i]);
      if (k == "kernel" && v.empty()) { l.args.kernel = true; continue; }
      if (k == "sugid" && v.empty()) { l.args.sugid = true; continue; }
      if (v.empty()) fail(fmt::format("expected key=value in spawn, got `{}`", w[i]));
      if (k == "uid") c.cr_uid = c.cr_ruid = c.cr_svuid = number(v, "a uid");
      else if (k == "euid") c.cr_uid = number(v, "a uid");
      else if (k == "ruid") c.cr_ruid = number(v, "a uid");
      else if (k == "svuid") c.cr_svuid = number(v, "a uid");
      else if (k == "gid") { c.cr_groups[0] = c.cr_rgid = c.cr_svgid = number(v, "a gid"); }
      else if (k == "egid") { c.cr_groups[0] = number(v, "a gid"); }
      else if (k == "rgid") c.cr_rgid = number(v, "a gid");
      else if (k == "svgid") c.cr_svgid = number(v, "a gid");
      else if (k == "groups") {
        std::stringstream ss(v);
        for (std::string g; std::getline(ss, g, ',');) groups.push_back(number(g, "a gid"));
        if (groups.size() > NGROUPS - 1) fail(fmt::format("at most {} supplementary groups", NGROUPS - 1));
      } else if (k == "jail") c.cr_prison = number(v, "a prison id");
      else fail(fmt::format("unknown spawn attribute `{}` (uid, euid, ruid, svuid, gid, egid, rgid, svgid, groups, jail, sugid, kernel)", k));
    }
    c.cr_ngroups = 1 + static_cast<std::int64_t>(groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) c.cr_groups[i + 1] = groups[i];
    for (std::size_t i = groups.size() + 1; i < NGROUPS; ++i) c.cr_groups[i] = c.cr_groups[0];
  }

  void parse_ptrace(const std::vector<std::string>& w, Line& l) {
    if (w.size() < 3) fail("expected `ACTOR ptrace REQUEST [TARGET] [addr=..] [data=..] ...`");
    const std::string& r = w[2];
    if (auto req = request_by_name(r)) l.op.req = *req;
    else if (!r.empty() && std::isdigit(static_cast<unsigned char>(r[0]))) {
      auto n = number(r, "a request number");
      bool known_num = false;
      for (Req k : kAllRequests) known_num |= (k == n && k != PT_UNKNOWN);
      if (known_num) fail(fmt::format("request number {} has a name; write it", n));
      l.op.req = PT_UNKNOWN;
    } else fail(fmt::format("unknown request `{}` (expected PT_TRACE_ME, PT_ATTACH, ... or a number)", r));
    std::size_t i = 3;
    auto& a = l.args.pt;
    // Defaults that make a plain request well-formed: resume where it stopped
    // (addr 1); other buffers and PT_IO's descriptor in the data segment.
    a.addr = is_resume_req(l.op.req) ? 1 : VA_DATA;
    a.piod_op = PIOD_READ_D;
    a.piod_offs = VA_DATA;
    a.piod_addr = VA_DATA;
    a.piod_len = SIZEOF_INT;
    if (l.op.req != PT_TRACE_ME) {
      if (i >= w.size() || (w[i].find('=') != std::string::npos && w[i].rfind("pid=", 0) != 0))
        fail(fmt::format("{} needs a target process", r));
      pid_arg(w[i], l, a.pid);
      ++i;
    }
    for (; i < w.size(); ++i) {
      auto [k, v] = kv(w[i]);
      if (v.empty()) fail(fmt::format("expected key=value, got `{}`", w[i]));
      if (k == "addr") a.addr = number(v, "an address");
      else if (k == "data") a.data = signal_or_number(v);
      else if (k == "op") {
        auto it = kPiodOps.find(v);
        a.piod_op = it != kPiodOps.end() ? it->second : number(v, "a PIOD_ operation");
      } else if (k == "offs") a.piod_offs = number(v, "an address");
      else if (k == "buf") a.piod_addr = number(v, "an address");
      else if (k == "len") a.piod_len = number(v, "a length");
      else if (k == "regs") {
        if (v == "ok") a.regs_ok = true;
        else if (v == "bad") a.regs_ok = false;
        else fail(fmt::format("expected regs=ok or regs=bad, got `{}`", w[i]));
      } else fail(fmt::format("unknown ptrace argument `{}` (addr, data, op, offs, buf, len, regs)", k));
    }
  }

  void parse_line(const std::vector<std::string>& w, Line& l) {
    const std::string& head = w[0];
    if (head == "sysctl") {
      need_args(w, 2, 2, "sysctl NAME=VALUE");
      auto [k, v] = kv(w[1]);
      auto it = kSysctlByName.find(k);
      if (it == kSysctlByName.end()) fail(fmt::format("unknown sysctl `{}`", k));
      if (v.empty()) fail("expected sysctl NAME=VALUE");
      l.op = Op{OP_SYSCTL, PT_TRACE_ME, it->second};
      l.args.value = number(v, "a sysctl value");
      return;
    }
    if (head == "spawn") {
      if (w.size() < 2) fail("expected `spawn NAME [uid=..] [gid=..] ...`");
      define(w[1]);
      l.bind = w[1];
      l.op.kind = OP_SPAWN;
      parse_cred(w, 2, l);
      return;
    }
    if (head == "swapout" || head == "swapin" || head == "swapin-begin") {
      need_args(w, 2, 2, "swapout|swapin-begin|swapin NAME");
      known(w[1]);
      l.target = w[1];
      l.op.kind = head == "swapout" ? OP_SWAPOUT : head == "swapin" ? OP_SWAPIN : OP_SWAPIN_BEGIN;
      return;
    }
    if (head == "expect") {
      std::size_t first = 1;
      if (w.size() > 1 && w[1].size() > 2 && w[1].front() == '[' && w[1].back() == ']') {
        // expect [SEM] NAME FACT...: checked only under SEM
        const std::string name = w[1].substr(1, w[1].size() - 2);
        auto parsed = parse_semantics(name);
        if (!parsed.mask) fail(parsed.error);
        l.only_under = *parsed.mask;
        if (std::find(sc_semantics_->begin(), sc_semantics_->end(), *parsed.mask) == sc_semantics_->end())
          sc_semantics_->push_back(*parsed.mask);
        first = 2;
      }
      if (w.size() < first + 2) fail("expected `expect [SEM] NAME FACT...`");
      known(w[first]);
      l.type = Line::EXPECT_STATE;
      l.actor = w[first];
      for (std::size_t i = first + 1; i < w.size(); ++i) {
        if (auto f = field_fact_of(w[i])) {
          l.facts.push_back(*f);
          continue;
        }
        auto [k, v] = kv(w[i]);
        if (v.empty() ? !kStateFacts.count(k) : !kValueFacts.count(k))
          fail(fmt::format("unknown fact `{}` (running, stopped, zombie, gone, traced, untraced, exiting, inexec, "
                           "sugid, swapped, inmem, parent=, oppid=, xstat=, pending=, pgid=, sid=, or a field of "
                           "struct proc: FLAG, !FLAG, FIELD=VALUE, e.g. P_WAITED, !P_STOPPED_SIG, td_sig=SIGSTOP, "
                           "cr_uid=1001, g_oparent=P)", w[i]));
        if (k == "parent") known(v);
        // Values are checked here, and numbers written out in decimal for the runner.
        if (k == "pgid" || k == "sid" || k == "oppid") {
          if (std::isalpha(static_cast<unsigned char>(v[0]))) known(v);
          else v = std::to_string(number(v, "a pid"));
        }
        if (k == "xstat") {
          const std::int64_t x = signal_or_number(v);
          if (x < 0 || x > 65535) fail(fmt::format("xstat is 0..65535 (p_xstat, a u_short), got `{}`", v));
          v = std::to_string(x);
        }
        if (k == "pending") v = sigset_fact(v);  // in the runner's order: the same set written another way matches
        l.facts.push_back({k, v});
      }
      return;
    }
    // ACTOR OPERATION ...
    if (w.size() < 2) fail(fmt::format("expected `{} OPERATION ...` (ptrace, fork, exit, wait, kill, takesig, exec, ...)", head));
    known(head);
    l.actor = head;
    auto it = kActorOps.find(w[1]);
    if (it == kActorOps.end()) fail(fmt::format("unknown operation `{}`", w[1]));
    l.op.kind = it->second;
    switch (l.op.kind) {
      case OP_PTRACE: parse_ptrace(w, l); break;
      case OP_FORK:
        need_args(w, 3, 3, "PARENT fork CHILD");
        define(w[2]);
        l.bind = w[2];
        break;
      case OP_EXIT:
      case OP_EXIT_BEGIN:
        need_args(w, 2, 3, "NAME exit [STATUS]");
        if (w.size() == 3) l.args.value = number(w[2], "an exit status");
        if (l.args.value < 0 || l.args.value > 255) fail("an exit status is 0..255");
        break;
      case OP_WAIT:
        need_args(w, 3, 5, "NAME wait CHILD|any [WNOHANG] [WUNTRACED]");
        if (w[2] == "any") l.args.pid = -1;
        else pid_arg(w[2], l, l.args.pid);
        for (std::size_t i = 3; i < w.size(); ++i) {
          if (w[i] == "WNOHANG") l.args.options |= BSD_WNOHANG;
          else if (w[i] == "WUNTRACED") l.args.options |= BSD_WUNTRACED;
          else fail(fmt::format("unknown wait option `{}` (WNOHANG, WUNTRACED)", w[i]));
        }
        break;
      case OP_KILL:
        need_args(w, 4, 4, "NAME kill TARGET SIGNAL");
        pid_arg(w[2], l, l.args.pid);
        if (l.target_is_pid && l.args.pid <= 0) fail("kill of a process group or of all processes (pid <= 0) is not modelled");
        l.args.sig = signal_or_number(w[3]);
        break;
      case OP_EXEC:
      case OP_EXEC_BEGIN:
        for (std::size_t i = 2; i < w.size(); ++i) {
          auto [k, v] = kv(w[i]);
          if (k == "setuid" && !v.empty()) l.args.suid = number(v, "a uid");
          else if (k == "setgid" && !v.empty()) l.args.sgid = number(v, "a gid");
          else fail(fmt::format("expected setuid=OWNER or setgid=GROUP, got `{}`", w[i]));
        }
        break;
      case OP_SETUID:
      case OP_SETEUID:
      case OP_SETGID:
      case OP_SETEGID:
        need_args(w, 3, 3, "NAME setuid|seteuid|setgid|setegid ID");
        l.args.value = number(w[2], "an id");
        break;
      case OP_SETPGID:
        // setpgid(pid, pgid): TARGET a name or a pid (0: the caller); PGID a name (its pid) or a number (0: the target's pid).
        need_args(w, 4, 4, "NAME setpgid TARGET|0 PGID");
        pid_arg(w[2], l, l.args.pid);
        if (!w[3].empty() && std::isalpha(static_cast<unsigned char>(w[3][0]))) {
          known(w[3]);
          l.pgid_of = w[3];
        } else {
          l.args.value = number(w[3], "a process group id");
        }
        break;
      case OP_SETGROUPS: {
        need_args(w, 2, 3, "NAME setgroups [G1,G2,...]");
        std::vector<std::int64_t> g;
        if (w.size() == 3) {
          std::stringstream ss(w[2]);
          for (std::string x; std::getline(ss, x, ',');) g.push_back(number(x, "a gid"));
        }
        if (g.size() > NGROUPS) fail(fmt::format("at most {} groups", NGROUPS));
        l.args.value = static_cast<std::int64_t>(g.size());
        for (std::size_t i = 0; i < g.size(); ++i) l.args.groups[i] = g[i];
        break;
      }
      default:
        need_args(w, 2, 2, "NAME OPERATION");
        break;
    }
  }

  Expect parse_expect(std::vector<std::string> w, const Line& l) {
    Expect e;
    if (w.empty()) return e;
    if (l.type == Line::EXPECT_STATE) fail("`expect` lines take no `->`");
    // ... violates PROP [PROP...]: properties that must fail at this step.
    if (auto v = std::find(w.begin(), w.end(), "violates"); v != w.end()) {
      if (v + 1 == w.end()) fail("expected property names after `violates`");
      for (auto it = v + 1; it != w.end(); ++it) {
        bool known_prop = false;
        hana::for_each(kProperties, [&](auto t) {
          using P = typename decltype(t)::type;
          known_prop = known_prop || P::id == *it;
        });
        if (!known_prop) fail(fmt::format("unknown property `{}` (see `ptmodel properties`)", *it));
        e.violates.push_back(*it);
      }
      w.erase(v, w.end());
    }
    std::string text;
    for (const auto& x : w) text += (text.empty() ? "" : " ") + x;
    e.text = text;
    if (w.empty()) return e;
    std::size_t i = 0;
    auto rest = [&] { return w.size() - i; };
    if (w[0] == "hang" || w[0] == "fault" || w[0] == "blocked") {
      if (w.size() != 1) fail(fmt::format("expected nothing after `{}`", w[0]));
      e.what = w[0] == "hang" ? Expect::HANG : w[0] == "fault" ? Expect::FAULT : Expect::BLOCKED;
      return e;
    }
    if (w[0] == "ok" && w.size() == 1) { e.what = Expect::OK_ANY; return e; }
    if (auto err = errno_by_name(w[0])) {
      if (w.size() != 1) fail(fmt::format("expected nothing after `{}`", w[0]));
      e.what = Expect::ERR;
      e.value = *err;
      return e;
    }
    if (w[0].size() > 1 && w[0][0] == 'E' && std::isupper(static_cast<unsigned char>(w[0][1])) && !names_.count(w[0]))
      fail(fmt::format("unknown errno `{}` (EPERM, ESRCH, EIO, ECHILD, EFAULT, EBUSY, EINVAL, EAGAIN, ...)", w[0]));
    // [CHILD] stopped SIG | exited N | signaled SIG
    if (rest() >= 2 && names_.count(w[0]) && (w[1] == "stopped" || w[1] == "exited" || w[1] == "signaled")) {
      e.proc = w[0];
      ++i;
    }
    if (rest() == 2 && (w[i] == "stopped" || w[i] == "exited" || w[i] == "signaled")) {
      e.what = Expect::WAIT_STATUS;
      e.status = w[i] == "stopped" ? Expect::STOPPED : w[i] == "exited" ? Expect::EXITED : Expect::SIGNALED;
      e.status_value = e.status == Expect::EXITED ? number(w[i + 1], "an exit status") : signal_or_number(w[i + 1]);
      // Range-checked, so that no number can stand for another status once encoded
      // (`signaled 0` is `exited 0`, `signaled 4479` a SIGSTOP stop).
      if (e.status == Expect::EXITED && (e.status_value < 0 || e.status_value > 255))
        fail(fmt::format("an exit status is 0..255, got `{}`", w[i + 1]));
      if (e.status == Expect::SIGNALED && (e.status_value < 1 || e.status_value > 126))
        fail(fmt::format("a terminating signal is 1..126 (WTERMSIG), got `{}`", w[i + 1]));
      if (e.status == Expect::STOPPED && (e.status_value < 1 || e.status_value > 0xffff))
        fail(fmt::format("a stop signal is 1..65535 (p_xstat, a u_short), got `{}`", w[i + 1]));
      return e;
    }
    // -> 0 len=N: PT_IO returned 0 and copied back piod_len N.
    if (w.size() == 2 && w[1].rfind("len=", 0) == 0 && l.op.kind == OP_PTRACE && l.op.req == PT_IO) {
      e.what = Expect::OK_VALUE;
      e.value = signal_or_number(w[0]);
      e.io_len = number(w[1].substr(4), "a piod_len");
      return e;
    }
    if (w.size() != 1) fail(fmt::format("unrecognised expectation `{}` (see docs/scenarios.md)", text));
    if (names_.count(w[0])) {
      e.what = Expect::OK_PROC;
      e.proc = w[0];
      return e;
    }
    e.what = Expect::OK_VALUE;
    e.value = signal_or_number(w[0]);
    return e;
  }

  std::string file_;
  int lineno_ = 0;
  std::set<std::string> names_;
  std::vector<SemanticsMask>* sc_semantics_ = nullptr;  // the scenario being parsed: the semantics it names
};

}  // namespace

std::string outcome_name(std::int64_t kind, std::int64_t err) {
  return kind == K_ERR ? errno_name(err) : std::string(kind_name(kind));
}

std::string semantics_flag(const std::string& name) {
  if (name == "seed") return "";
  // A move (CHECK<OTHER, CHECK>OTHER) needs quotes in a shell.
  return name.find_first_of("<>") == std::string::npos ? " --semantics " + name : " --semantics '" + name + "'";
}

std::string replay_note(const std::string& name) {
  return name == "seed" ? "" : "\nReplay with `ptmodel run" + semantics_flag(name) + "`.";
}

std::string select_semantics(const std::string& name) {
  auto parsed = parse_semantics(name);
  if (!parsed.mask) throw InputError(parsed.error);
  g_semantics = *parsed.mask;
  return semantics_name(*parsed.mask);
}

const Expect& expect_of(const Line& l) {
  static const Expect none;
  if (l.under.empty()) return l.expect;
  for (const auto& [m, e] : l.under)
    if (m == current_semantics()) return e;
  return none;
}

Scenario parse(const std::string& file, const std::string& text) { return Parser(file).run(text); }

Scenario parse_file(const std::string& path) {
  // POSIX reads, so that a read error is an error and not an empty file.
  // O_NONBLOCK: a FIFO with no writer must not block the open.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  if (fd < 0) throw InputError(fmt::format("{}: cannot open the file: {}", path, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("{}: is a directory, not a scenario file", path));
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError(fmt::format("{}: not a regular file (a FIFO, a device or a socket), not a scenario file", path));
  }
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw InputError(fmt::format("{}: cannot read the file: {}", path, std::strerror(e)));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > (64u << 20)) {
      ::close(fd);
      throw InputError(fmt::format("{}: larger than 64 MiB, not a scenario file", path));
    }
  }
  ::close(fd);
  return parse(path, text);
}

std::optional<int> errno_by_name(const std::string& s) {
  for (const auto& e : kErrnoNames)
    if (e.name == s) return e.value;
  return std::nullopt;
}
std::string errno_name(std::int64_t e) {
  for (const auto& n : kErrnoNames)
    if (n.value == e) return std::string(n.name);
  return fmt::format("errno {}", e);
}
std::optional<int> signal_by_name(const std::string& s) {
  for (int i = 1; i < BSD_NSIG; ++i)
    if (s == kSigNames[i]) return i;
  return std::nullopt;
}
std::string signal_name(std::int64_t sig) {
  if (sig > 0 && sig < BSD_NSIG) return kSigNames[sig];
  return fmt::format("{}", sig);
}
std::optional<Req> request_by_name(const std::string& s) {
  auto it = kRequests.find(s);
  if (it == kRequests.end()) return std::nullopt;
  return it->second;
}
std::string request_name(Req r) {
  for (const auto& [k, v] : kRequests)
    if (v == r) return k;
  return "PT_UNKNOWN";
}

std::string sigset_text(const Sigset<Concrete>& set) {
  std::string out;
  for (int sig = 1; sig <= _SIG_MAXSIG; ++sig)
    if (sigismember<Concrete>(set, sig)) out += (out.empty() ? "" : ",") + signal_name(sig);
  return out.empty() ? "none" : out;
}

const std::vector<std::string>& field_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [k, kind] : field_table()) out.push_back(k);
    return out;
  }();
  return names;
}

std::string field_text(const Proc<Concrete>& p, const std::string& key, const std::function<std::string(std::int64_t)>& slot_name) {
  std::string out;
  auto put = [&](const std::string& k, const auto& v) {
    if (k != key) return;
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, bool>) {
      out = v ? "1" : "0";
    } else if constexpr (std::is_same_v<T, Sigset<Concrete>>) {
      out = sigset_text(v);
    } else if constexpr (requires { std::tuple_size<T>::value; }) {
      for (const auto& x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
    } else {
      out = field_kind(k) == FieldKind::link ? slot_name(v) : std::to_string(v);
    }
  };
  hana::for_each(hana::keys(p), [&](auto key_) {
    const std::string k = hana::to<char const*>(key_);
    const auto& v = hana::at_key(p, key_);
    if constexpr (std::is_same_v<std::decay_t<decltype(v)>, Ucred<Concrete>>)
      hana::for_each(hana::keys(v), [&](auto ck) { put(hana::to<char const*>(ck), hana::at_key(v, ck)); });
    else
      put(k, v);
  });
  return out;
}

std::string field_fact(const std::string& key, const std::string& text) {
  if (field_kind(key) == FieldKind::flag) return text == "1" ? key : "!" + key;
  return key + "=" + text;
}

}  // namespace ptm::scn
