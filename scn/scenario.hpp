// Scenario files: the readable, line-oriented form of a run of operations, used
// for examples, regressions, counterexamples and oracles. Grammar: docs/scenarios.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace ptm::scn {

// Bad input: file:line and what was expected. The command exits 2 on it.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Expect {
  enum What { NONE, OK_ANY, OK_VALUE, OK_PROC, ERR, HANG, FAULT, BLOCKED, WAIT_STATUS } what = NONE;
  std::int64_t value = 0;   // OK_VALUE: retval; ERR: errno
  std::string proc;         // OK_PROC: retval is this process's pid; WAIT_STATUS: the child reported (optional)
  enum Status { STOPPED, EXITED, SIGNALED } status = STOPPED;
  std::int64_t status_value = 0;
  std::optional<std::int64_t> io_len;  // PT_IO: `-> 0 len=N`, the piod_len copied back
  std::vector<std::string> violates;  // properties that must fail at this step
  std::string text;  // as written
};

struct Fact {
  std::string key;    // running, stopped, zombie, gone, traced, untraced, exiting, inexec, sugid, swapped,
                      // parent, oppid, xstat, pending, pgid, sid; or a field of struct proc (field_names())
  std::string value;  // for key=value facts; for a field, its text as field_text() writes it
  bool field = false;
};

// The fields `expect NAME FIELD...` can state: every field of the model's
// struct proc and of its p_ucred, by their names (P_WAITED, p_xstat, td_sig,
// cr_uid, cr_groups, g_oparent, ...).
const std::vector<std::string>& field_names();
// The text of a field: a flag 1 or 0; a process link (p_pptr, g_oparent,
// g_waiter) by the name slot_name gives; p_siglist as `pending=` writes it;
// cr_groups as numbers separated by commas; any other field in decimal.
std::string field_text(const Proc<Concrete>& p, const std::string& key, const std::function<std::string(std::int64_t)>& slot_name);
// A signal set as `pending=` writes it: signal names in signal order, or `none`.
std::string sigset_text(const Sigset<Concrete>& set);
// The fact that states a field's text: FLAG, !FLAG or FIELD=TEXT.
std::string field_fact(const std::string& key, const std::string& text);

struct Line {
  int line = 0;
  std::string text;
  enum Type { OPERATION, EXPECT_STATE } type = OPERATION;
  std::string actor;   // the calling process, empty for operations without one
  Op op{};
  Args<Concrete> args = default_args<Concrete>();
  std::string target;  // process named as the pid argument (ptrace, kill, wait, swap, setpgid)
  std::string pgid_of;  // setpgid: the group named by a process (its pid), else the number in args.value
  bool target_is_pid = false;  // the pid was given as a number
  std::string bind;    // fork/spawn: the name of the new process
  Expect expect;
  // `-> [SEM] EXPECT [SEM] EXPECT ...`: what the step returns under each named
  // semantics (then `expect` is empty); expect_of() picks the one in force.
  std::vector<std::pair<SemanticsMask, Expect>> under;
  std::vector<Fact> facts;  // EXPECT_STATE
  std::optional<SemanticsMask> only_under;  // `expect [SEM] NAME ...`: checked only under SEM
};

// The expectation of a step under the semantics in force: its `[SEM]`
// alternative for that semantics, none when it has alternatives but not that
// one, else its plain expectation.
const Expect& expect_of(const Line& l);

// The process table a scenario runs on: `procs N` (first line, 2..8) gives N
// slots (proc0, init and N-2 more) and pids 0..3N-1; without it, 8.
inline constexpr int kMinProcs = 2;
inline constexpr int kMaxProcs = 8;

struct Scenario {
  std::string file;
  int procs = kMaxProcs;
  std::vector<SemanticsMask> semantics;  // every semantics a `[SEM]` expectation names, in order of appearance
  std::vector<Line> lines;
};

Scenario parse(const std::string& file, const std::string& text);

// Make `name` (seed, modern, seed+DELTA...) the process-wide semantics; an
// unknown name is an InputError. Returns the canonical name.
std::string select_semantics(const std::string& name);
Scenario parse_file(const std::string& path);

// Names: errno, signal, request and option names as the kernel spells them.
std::optional<int> errno_by_name(const std::string& s);
std::string errno_name(std::int64_t e);
// An outcome without its value, as a scenario's `->` writes it: ok, the
// errno's name, hang, fault or blocked.
std::string outcome_name(std::int64_t kind, std::int64_t err);
// ` --semantics NAME` for a command that replays something found under NAME; empty for the seed.
std::string semantics_flag(const std::string& name);
// A witness header's last line, "\nReplay with `ptmodel run --semantics NAME`."; empty for the seed.
std::string replay_note(const std::string& name);
std::optional<int> signal_by_name(const std::string& s);
std::string signal_name(std::int64_t sig);
std::optional<Req> request_by_name(const std::string& s);
std::string request_name(Req r);

}  // namespace ptm::scn
