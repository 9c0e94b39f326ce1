// ptmodel's subcommands, their options and reports (cli/commands.hpp).
// Exit codes: 0 all good, 1 an expectation or property failed, 2 bad input or
// usage, 3 a limit reached (the answer partial or unknown).
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/audit_cmd.hpp"
#include "cli/diff_cmd.hpp"
#include "scn/explain.hpp"
#include "cli/explore_cmd.hpp"
#include "cli/json.hpp"
#include "cli/oracle_cmd.hpp"
#include "scn/picture.hpp"
#include "scn/run.hpp"
#include "cli/verify_cmd.hpp"
#include "model/semantics_names.hpp"
#include "model/properties.hpp"
#include "props/hunt.hpp"

namespace fs = std::filesystem;
using namespace ptm;

namespace {

// FILE arguments: files, or directories searched for *.scn.
std::vector<std::string> collect(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const auto& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(a, ec))
        if (e.is_regular_file() && e.path().extension() == ".scn") found.push_back(e.path().string());
      if (found.empty()) throw scn::InputError(fmt::format("{}: no .scn files in this directory", a));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(a);
    }
  }
  return files;
}

nlohmann::json outcome_json(const Outcome<Concrete>& o) {
  nlohmann::json j = {{"kind", kind_name(o.kind)}};
  if (o.kind == K_ERR) j["errno"] = scn::errno_name(o.error);
  if (o.kind == K_OK) j["retval"] = o.retval;
  if (o.status) j["status"] = o.status;
  if (o.check != NO_CHECK) j["check"] = std::string(kChecks[o.check].id);
  return j;
}

struct Pictures {
  std::string dot, svg;
};

int cmd_run(const std::vector<std::string>& args, const scn::RunOptions& opt_in, bool json, const Pictures& pic) {
  int failed_files = 0;
  long steps = 0;
  auto files = collect(args);
  if ((!pic.dot.empty() || !pic.svg.empty()) && files.size() != 1)
    throw scn::InputError("--dot and --svg draw one scenario: give one FILE");
  scn::RunOptions opt = opt_in;
  if (json) opt.quiet = true;
  opt.keep_records = json || !pic.dot.empty() || !pic.svg.empty();
  nlohmann::json j;
  std::ostringstream sink;
  for (const auto& f : files) {
    auto sc = scn::parse_file(f);
    auto r = scn::run_scenario(sc, json ? sink : std::cout, opt);
    steps += r.lines_run;
    failed_files += r.failures > 0;
    if (!pic.dot.empty() || !pic.svg.empty()) {
      const std::string dot = scn::run_to_dot(sc, r);
      if (!pic.dot.empty()) scn::publish_file(pic.dot, dot);
      if (!pic.svg.empty()) scn::publish_file(pic.svg, scn::dot_to_svg(dot));
    }
    if (json) {
      nlohmann::json jf = {{"file", f}, {"procs", sc.procs}, {"failures", r.failures}, {"divergence_line", r.divergence}};
      for (const auto& rec : r.steps) {
        nlohmann::json js = {{"line", rec.line->line}, {"text", rec.line->text}};
        if (rec.line->type == scn::Line::OPERATION) {
          js["outcome"] = outcome_json(rec.out);
          js["violates"] = rec.violated;
        }
        js["expectation_failed"] = rec.expectation_failed;
        if (rec.expectation_failed) js["failure"] = rec.failure;
        jf["steps"].push_back(js);
      }
      j["files"].push_back(jf);
    }
  }
  if (json) {
    j["passed"] = files.size() - failed_files;
    j["failed"] = failed_files;
    std::cout << ptm::json_text(j) << "\n";
    return failed_files ? 1 : 0;
  }
  std::cout << fmt::format("ran {} scenario{} ({} steps): {} passed, {} failed\n", files.size(),
                           files.size() == 1 ? "" : "s", steps, files.size() - failed_files, failed_files);
  return failed_files ? 1 : 0;
}

// FILE or FILE:LINE; every operation of the file, or the one on LINE.
int cmd_explain(const std::string& spec, bool json) {
  std::string file = spec;
  int line = 0;
  if (auto colon = spec.rfind(':'); colon != std::string::npos && colon + 1 < spec.size() &&
                                    spec.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    file = spec.substr(0, colon);
    const std::string digits = spec.substr(colon + 1);
    if (digits.size() > 9) throw scn::InputError(fmt::format("{}: line number {} is out of range", spec.substr(0, colon), digits));
    line = std::stoi(digits);
  }
  auto sc = scn::parse_file(file);
  std::ostringstream sink;
  auto r = scn::run_scenario(sc, sink, {.quiet = true, .model_only = true});
  bool found = false;
  nlohmann::json j = nlohmann::json::array();
  for (const auto& rec : r.steps) {
    if (rec.line->type != scn::Line::OPERATION || (line && rec.line->line != line)) continue;
    found = true;
    if (!json) {
      scn::explain_step(rec, std::cout);
      continue;
    }
    auto e = scn::explain(rec);
    nlohmann::json js = {{"line", rec.line->line}, {"text", rec.line->text}, {"outcome", outcome_json(e.out)}};
    js["checks"] = nlohmann::json::array();
    for (const auto& c : e.checks) {
      const auto& info = kChecks[c.check];
      nlohmann::json jc = {{"check", std::string(info.id)}, {"fired", c.fired}, {"where", std::string(info.where)},
                           {"comment", std::string(info.comment)}, {"facts", c.facts}};
      if (info.seed_first) jc["seed_lines"] = {info.seed_first, info.seed_last};
      if (c.removed) jc["removed"] = true;
      if (const std::string n = scn::edit_note(c.check); !n.empty()) jc["edit"] = n.substr(2, n.size() - 3);
      js["checks"].push_back(jc);
    }
    j.push_back(js);
  }
  if (!found) throw scn::InputError(fmt::format("{}:{}: no operation on this line", file, line));
  if (json) std::cout << ptm::json_text(j) << "\n";
  return 0;
}

int cmd_checks(bool json) {
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& c : kChecks) {
      nlohmann::json jc = {{"id", std::string(c.id)}, {"function", std::string(c.where)}, {"comment", std::string(c.comment)},
                           {"outcome", scn::outcome_name(c.kind, c.err)},
                           {"can_fire", c.reachable}};
      if (c.seed_first) jc["seed_lines"] = {c.seed_first, c.seed_last};
      if (!c.reachable) jc["why_not"] = std::string(c.why);
      if (c.added_by >= 0) jc["added_by_delta"] = std::string(kDeltas[c.added_by].name);
      if (c.removed_by >= 0) jc["replaced_by_delta"] = std::string(kDeltas[c.removed_by].name);
      j.push_back(jc);
    }
    std::cout << ptm::json_text(j) << "\n";
    return 0;
  }
  fmt::print("{:<24} {:<14} {:<9} {:<8} {}\n", "check", "function", "seed", "outcome", "test");
  for (const auto& c : kChecks) {
    std::string lines = c.seed_first ? fmt::format("{}-{}", c.seed_first, c.seed_last) : "-";
    std::string out = scn::outcome_name(c.kind, c.err);
    std::string delta = c.added_by >= 0     ? fmt::format("  [delta {} only]", kDeltas[c.added_by].name)
                        : c.removed_by >= 0 ? fmt::format("  [not with delta {}]", kDeltas[c.removed_by].name)
                                            : "";
    fmt::print("{:<24} {:<14} {:<9} {:<8} {}{}{}\n", c.id, c.where, lines, out, c.comment,
               c.reachable ? "" : fmt::format("  [cannot fire here: {}]", c.why), delta);
  }
  return 0;
}

int cmd_properties(bool json) {
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    hana::for_each(kProperties, [&](auto t) {
      using P = typename decltype(t)::type;
      j.push_back({{"id", std::string(P::id)}, {"kind", P::is_step ? "step" : "state"}, {"statement", std::string(P::statement)}});
    });
    std::cout << ptm::json_text(j) << "\n";
    return 0;
  }
  hana::for_each(kProperties, [](auto t) {
    using P = typename decltype(t)::type;
    fmt::print("{:<20} {:<5} {}\n", P::id, P::is_step ? "step" : "state", P::statement);
  });
  return 0;
}

// `ptmodel semantics`: the shipped deltas, with the checks each adds or replaces.
int cmd_semantics(bool json) {
  auto checks_of = [](int d, bool added) {
    std::vector<std::string> out;
    for (const auto& c : kChecks)
      if ((added ? c.added_by : c.removed_by) == d) out.push_back(std::string(c.id));
    return out;
  };
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& d : kDeltas)
      j.push_back({{"name", d.name},
                   {"summary", d.summary},
                   {"freebsd", d.history},
                   {"file", fmt::format("model/deltas/{}.hpp", d.name)},
                   {"modern", ((kModern >> d.id) & 1u) != 0},
                   {"adds_checks", checks_of(d.id, true)},
                   {"removes_checks", checks_of(d.id, false)}});
    nlohmann::json lists = nlohmann::json::array();
    for (const auto& l : check_lists()) {
      nlohmann::json ids = nlohmann::json::array();
      for (int c : l) ids.push_back(kChecks[c].id);
      lists.push_back(ids);
    }
    std::cout << ptm::json_text(nlohmann::json{
                     {"semantics", {"seed", "modern", "seed+DELTA[+DELTA...]", "modern-DELTA", "modern+DELTA"}},
                     {"edits", {"-CHECK", "+CHECK=ERRNO", "+CHECK<CHECK", "+CHECK>CHECK"}},
                     {"deltas", j},
                     {"check_lists", lists}})
              << "\n";
    return 0;
  }
  fmt::print("Semantics: `seed` (sys_process.c as of 2003), `seed+DELTA[+DELTA...]`, or `modern` (the deltas of\n"
             "today's FreeBSD: those marked modern below; `modern-DELTA` leaves one out, `modern+DELTA` adds one).\n\n");
  fmt::print("Run-time edits of the rules (no rebuild; they compose with deltas, and apply in the order written):\n"
             "  seed-CHECK           CHECK taken out of its list          e.g. seed-ATTACH_TRACED\n"
             "  seed+CHECK=ERRNO     CHECK gives another errno            e.g. seed+ATTACH_TRACED=EPERM\n"
             "  'seed+CHECK<OTHER'   CHECK moved to just before OTHER     e.g. 'seed+ATTACH_TRACED<ATTACH_SELF'\n"
             "  'seed+CHECK>OTHER'   CHECK moved to just after OTHER      (quote < and > in a shell)\n"
             "The model follows them everywhere (run, explain, verify, diff, explore, oracle, audit, hunt), the\n"
             "symbolic proofs included; the reference implementation does not, so lockstep is off under them.\n"
             "A move stays inside one check list (`ptmodel semantics --json` lists them) and cannot pass a lookup\n"
             "whose result the checks after it read (PFIND).\n\n");
  for (const auto& d : kDeltas) {
    const bool in_modern = (kModern >> d.id) & 1u;
    fmt::print("{}  (model/deltas/{}.hpp){}\n  {}\n  FreeBSD: {}\n", d.name, d.name, in_modern ? "  [modern]" : "  [not in modern]",
               d.summary, d.history);
    auto add = checks_of(d.id, true), rem = checks_of(d.id, false);
    if (!add.empty()) fmt::print("  adds check{} {}\n", add.size() > 1 ? "s" : "", fmt::join(add, ", "));
    if (!rem.empty()) fmt::print("  replaces {}\n", fmt::join(rem, ", "));
    fmt::print("\n");
  }
  return 0;
}

int cmd_hunt(const std::string& semantics, const props::HuntOptions& opt, const std::string& outdir, bool json) {
  scn::select_semantics(semantics);
  bool known = opt.property.empty();
  hana::for_each(kProperties, [&](auto t) { known = known || decltype(t)::type::id == opt.property; });
  if (!known) throw scn::InputError(fmt::format("unknown property `{}` (see `ptmodel properties`)", opt.property));
  if (!outdir.empty()) scn::prepare_dir(outdir);  // before the search, not after it
  auto findings = props::hunt(opt);
  int found = 0, bad = 0;
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& f : findings)
    if (f.found) files.emplace_back(f.property + ".scn", f.scenario);
  if (!outdir.empty())
    scn::publish_dir(outdir, files, fmt::format("ptmodel hunt{} --sequences {} --seed {}{}", scn::semantics_flag(semantics),
                                                opt.sequences, opt.seed,
                                                opt.property.empty() ? "" : " --property " + opt.property));
  if (json) {
    nlohmann::json j = {{"semantics", semantics}, {"sequences", opt.sequences}, {"seed", opt.seed}};
    for (const auto& f : findings) {
      nlohmann::json jf = {{"property", f.property}, {"broken", f.found}};
      if (f.found) {
        jf["scenario"] = f.scenario;
        jf["replays_on_model_and_impl"] = f.replays;
        ++found;
        bad += !f.replays;
      }
      j["properties"].push_back(jf);
    }
    std::cout << ptm::json_text(j) << "\n";
    return bad ? 2 : found ? 1 : 0;
  }
  for (const auto& f : findings) {
    if (!f.found) {
      fmt::print("{:<20} not broken in {} sequences\n", f.property, opt.sequences);
      continue;
    }
    ++found;
    bad += !f.replays;
    fmt::print("{:<20} BROKEN; the shrunk sequence{}:\n\n{}\n", f.property,
               f.replays ? " (replays on model and impl)" : " (DOES NOT REPLAY)", f.scenario);
    if (!f.replays) fmt::print("{}\n", f.replay_report);
  }
  if (!outdir.empty()) fmt::print("hunt: {} scenario{} written to {}/ (with a MANIFEST)\n", files.size(),
                                  files.size() == 1 ? "" : "s", outdir);
  fmt::print("hunt: {} of {} properties broken in the {} semantics{}\n", found, findings.size(), semantics,
             scn::semantics_flag(semantics).empty() || !found
                 ? ""
                 : fmt::format(" (replay the findings with `ptmodel run{}`)", scn::semantics_flag(semantics)));
  return bad ? 2 : found ? 1 : 0;
}

}  // namespace

// A number option that must be finite (nan and inf pass CLI11's range checks,
// as every comparison with nan is false).
const CLI::Validator kFinite(
    [](std::string& v) {
      try {
        std::size_t used = 0;
        const double d = std::stod(v, &used);
        if (used == v.size() && std::isfinite(d)) return std::string();
      } catch (const std::exception&) {
      }
      return "expected a finite number, got " + v;
    },
    "FINITE");

int ptmodel_main(int argc, char** argv) {
  CLI::App app{"ptmodel: a checked model of FreeBSD's ptrace(2) permission and stop-state rules (sys_process.c, 2003)"};
  app.require_subcommand(1);
  scn::RunOptions opt;
  std::vector<std::string> files;
  auto* run = app.add_subcommand("run", "Run scenario files on the model: per step the outcome, the deciding check and the state change");
  run->add_option("FILE", files, "scenario files, or directories of *.scn files")->required();
  run->add_flag("-q,--quiet", opt.quiet, "print only mismatches and the summary");
  run->add_flag("-p,--properties", opt.properties, "print the properties each step violates");
  run->add_flag("--model-only", opt.model_only, "do not run the reference implementation in lockstep");
  std::string rsem = "seed";
  run->add_option("--semantics", rsem, "run under this semantics (seed, modern or seed+DELTA...; see `ptmodel semantics`)");
  std::vector<std::string> without;
  run->add_option("--without", without, "run the seed with these checks removed (an audit mutant; model only)");
  bool rjson = false;
  Pictures pic;
  run->add_flag("--json", rjson, "the report as JSON: per step the outcome, deciding check and violated properties");
  run->add_option("--dot", pic.dot, "draw the process tree after each step to this Graphviz file");
  run->add_option("--svg", pic.svg, "... and render it to SVG with Graphviz's dot");
  auto* audit = app.add_subcommand("audit", "For every check of ptrace: remove it and say what an attacker gains (attacker goals, with witnesses) or which check takes over, then which properties it guards (Z3)");
  int aprocs = 4, adepth = 8;
  std::vector<std::string> achecks;
  bool ajson = false;
  audit->add_option("--procs", aprocs, "the searches grow the table to this, and the property proofs run at it (2..6; default 4)");
  audit->add_option("--depth", adepth, "how deep the searches go (default 8)")->check(CLI::Range(1, 12));
  unsigned atimeout = 10'000;
  audit->add_option("--timeout", atimeout, "Z3 timeout per query, in milliseconds (default 10000)")->check(CLI::Range(1u, 3'600'000u));
  audit->add_option("--check", achecks, "audit only these checks (ids as `ptmodel checks` prints them)");
  audit->add_flag("--json", ajson, "the report as JSON");
  ptm::cli::AuditGoalOptions agoals;
  audit->add_option("--complete-procs", agoals.complete_procs, "the attacker-goal search's tables with the complete alphabet: 2..this (2..4; default 3, at most --procs)")->check(CLI::Range(2, 4));
  audit->add_option("--max-states", agoals.max_states, "the seed's states per table size and alphabet in the attacker-goal search (default 300000)")->check(CLI::Range(1L, 100'000'000L));
  audit->add_option("--mutant-states", agoals.mutant_states, "each mutant's own states (outside the seed's) per table size and alphabet (default 50000)")->check(CLI::Range(0L, 100'000'000L));
  audit->add_option("--witness-states", agoals.witness_states, "the states per table size and alphabet of the search for a witness of a property a check guards (default 300000)")->check(CLI::Range(1L, 100'000'000L));
  audit->add_option("--semantics", agoals.semantics, "audit this semantics's checks (seed, modern or seed+DELTA...)");
  auto* explain = app.add_subcommand("explain", "For each step (or the one on LINE): every check evaluated, in order, with its value and the state it read");
  std::string explain_spec;
  explain->add_option("FILE[:LINE]", explain_spec, "a scenario file, optionally with the line of one step")->required();
  bool ejson = false, cjson = false, pjson = false, hjson = false;
  explain->add_flag("--json", ejson, "the explanation as JSON");
  std::string esem = "seed";
  explain->add_option("--semantics", esem, "explain under this semantics (seed, modern or seed+DELTA...)");
  auto* checks = app.add_subcommand("checks", "List every check of the model: id, kernel function, seed lines, outcome");
  checks->add_flag("--json", cjson, "the list as JSON");
  auto* sems = app.add_subcommand("semantics", "List the deltas a semantics can add to the seed (seed+DELTA...; modern: today's FreeBSD's)");
  bool sjson = false;
  sems->add_flag("--json", sjson, "the list as JSON");
  auto* props = app.add_subcommand("properties", "List the properties the tool checks");
  props->add_flag("--json", pjson, "the list as JSON");
  auto* verify = app.add_subcommand("verify", "Prove every property for every operation with Z3; search for reachable violations; print each as a scenario");
  ptm::proofs::VerifyOptions vopt;
  std::string vsem = "seed", vout;
  bool vjson = false;
  verify->add_option("--semantics", vsem, "the semantics to verify (seed, modern or seed+DELTA...; see `ptmodel semantics`)");
  std::vector<std::string> vcompare;
  verify->add_option("--compare", vcompare, "verify semantics A and B with the same options: the verdicts side by side and what changed")
      ->expected(2)
      ->type_name("A B");
  verify->add_option("--procs", vopt.procs, "prove at every table size 2..K, proc0 and init included (2..6; default 5)");
  verify->add_option("--search-procs", vopt.search_procs, "the witness search grows the table up to this (2..6; default 6)");
  verify->add_option("--depth", vopt.depth, "the witness search's depth cap (default 20)")->check(CLI::Range(0, 20));
  verify->add_option("--max-states", vopt.max_states, "the witness search's state budget, per table size and alphabet")->check(CLI::PositiveNumber);
  verify->add_option("--budget", vopt.budget_seconds, "the witness search's time budget in seconds (default 300)")->check(kFinite & CLI::Range(0.0, 86400.0));
  verify->add_option("--timeout", vopt.timeout_ms, "Z3's time limit per obligation, in milliseconds")->check(CLI::PositiveNumber);
  verify->add_option("--every-n-timeout", vopt.every_n_timeout_ms,
                     "Z3's time limit per obligation for a table of any size, in milliseconds (default 3000; at most --timeout)")
      ->check(CLI::PositiveNumber);
  verify->add_flag("--recheck-cvc5", vopt.recheck_cvc5,
                   "check every proof for every N again with cvc5, on the same assertions (those it can read: no array lambdas)");
  bool no_every_n = false;
  verify->add_option("--threads", vopt.threads, "how many proofs run side by side, each in its own process with its own Z3 (default 2)")->check(CLI::Range(1, 8));
  verify->add_flag("--no-every-n", no_every_n, "prove for each table size 2..K only, not for a table of any size");
  verify->add_option("--max-memory", vopt.max_memory_mb, "Z3's memory limit in MiB (a query that reaches it is unknown)")->check(CLI::Range(64u, 65536u));
  verify->add_option("--smt2", vopt.smt2_dir, "write every obligation at N = --procs to DIR as SMT-LIB2 (unsat = proved)");
  verify->add_option("-o,--out", vout, "write each reachable violation to DIR/<PROPERTY>.scn");
  verify->add_flag("--json", vjson, "the report as JSON");
  auto* explore = app.add_subcommand("explore", "Visit every reachable state of a small process table; per property, violated (with a shortest scenario) or not");
  ptm::explore::Options xopt;
  int xprocs = 3;
  std::string xsem = "seed", xout, xreduction = "full", xalphabet = "search";
  bool xjson = false;
  explore->add_option("--procs", xprocs, "processes in the table, proc0 and init included (2..5)");
  explore->add_option("--semantics", xsem, "the semantics to explore (seed, modern or seed+DELTA...; see `ptmodel semantics`)");
  explore->add_option("--max-states", xopt.max_states, "stop (partial result) after storing this many states")->check(CLI::PositiveNumber);
  explore->add_option("--max-memory", xopt.max_memory_gib, "stop (partial result) when the visited set reaches this many GiB")->check(kFinite & CLI::PositiveNumber);
  explore->add_option("--max-depth", xopt.max_depth, "stop (partial result) after this many steps from boot")->check(CLI::NonNegativeNumber);
  explore->add_option("--threads", xopt.threads, "worker threads (the result does not depend on it)")->check(CLI::Range(1, 64));
  explore->add_option("--reduction", xreduction, "symmetry reduction: full (default) or none")->check(CLI::IsMember({"full", "none"}));
  explore->add_option("--alphabet", xalphabet, "search (default: docs/explore.md) or complete (every operation of the model, bounded arguments)")->check(CLI::IsMember({"search", "complete"}));
  explore->add_option("-o,--out", xout, "write each violation's shortest scenario to DIR/<PROPERTY>.scn");
  explore->add_flag("--json", xjson, "the report as JSON");
  auto* oracle = app.add_subcommand("oracle", "Generate test cases: the shortest scenario for every check, outcome kind and effect branch, with expected results (scenario files, JSON or ATF-C)");
  ptm::oracle::Options oopt;
  std::string osem = "seed", oformat = "scenario", oout;
  bool ojson = false;
  oracle->add_option("--semantics", osem, "the semantics whose results are expected (seed, modern or seed+DELTA...; see `ptmodel semantics`)");
  oracle->add_option("--format", oformat, "scenario (default), json or atf-c")->check(CLI::IsMember({"scenario", "json", "atf-c"}));
  oracle->add_option("-o,--out", oout, "write the cases (and COVERAGE.md) to DIR; without it, print them");
  oracle->add_option("--procs", oopt.procs, "processes in the table, proc0 and init included (2..5)");
  oracle->add_option("--max-depth", oopt.max_depth, "how many steps from boot the search goes")->check(CLI::Range(1, 60));
  oracle->add_option("--max-states", oopt.max_states, "the search's state budget")->check(CLI::PositiveNumber);
  oracle->add_flag("--json", ojson, "with -o: the summary as JSON");
  auto* diffc = app.add_subcommand("diff", "Every kind of difference between semantics A and B in one step (Z3), each with a shortest witness scenario, and the property verdicts of both");
  std::string da, db, dout;
  ptm::diff::Options dopt;
  bool djson = false;
  diffc->add_option("A", da, "a semantics: seed, modern or seed+DELTA... (see `ptmodel semantics`)")->required();
  diffc->add_option("B", db, "another semantics")->required();
  dopt.max_states = 2'000'000;
  dopt.budget_seconds = 300;
  diffc->add_option("--procs", dopt.procs, "the largest process table, proc0 and init included (2..6; default 4): kinds are listed at every size from --from-procs up, then checked complete for a table of any size");
  diffc->add_option("--from-procs", dopt.min_procs, "the smallest process table (default 2)");
  diffc->add_option("--budget", dopt.budget_seconds, "the witness searches' time budget in seconds, all sizes together (default 300)")->check(kFinite & CLI::Range(0.0, 86400.0));
  diffc->add_option("--timeout", dopt.timeout_ms, "Z3's time limit per query, in milliseconds (a query that reaches it makes the list incomplete: exit 3)")->check(CLI::PositiveNumber);
  diffc->add_option("--max-states", dopt.max_states, "the state budget of each search (default 2,000,000)")->check(CLI::PositiveNumber);
  diffc->add_option("--every-n-timeout", dopt.every_n_timeout_ms,
                    "Z3's time limit per query for a table of any size, in milliseconds (default 3000)")
      ->check(CLI::PositiveNumber);
  bool dno_every_n = false;
  diffc->add_flag("--no-every-n", dno_every_n, "list the kinds at each table size only, without checking the list for a table of any size");
  diffc->add_option("--threads", dopt.threads, "the searches' threads and Z3's processes (default 2)")->check(CLI::Range(1, 8));
  diffc->add_option("-o,--out", dout, "write each witness to DIR/<N>-<operation>.scn");
  diffc->add_flag("--json", djson, "the report as JSON");
  auto* hunt = app.add_subcommand("hunt", "Search random sequences for ones that break each property; print each shrunk, as a scenario");
  ptm::props::HuntOptions hopt;
  std::string semantics = "seed", hunt_out;
  hunt->add_option("--semantics", semantics, "the semantics to hunt in (seed, modern or seed+DELTA...; see `ptmodel semantics`)");
  hunt->add_option("--property", hopt.property, "one property (default: every one)");
  hunt->add_option("--sequences", hopt.sequences, "random sequences tried per property (at most 1,000,000)")->check(CLI::Range(1, 1000000));
  hunt->add_option("--seed", hopt.seed, "RapidCheck seed (0..2^64-1)")
      ->check(CLI::Validator(
          [](std::string& v) { return !v.empty() && v[0] == '-' ? "a seed is 0..2^64-1, got " + v : std::string(); },
          "SEED"));
  hunt->add_option("-o,--out", hunt_out, "also write each finding to DIR/<PROPERTY>.scn");
  hunt->add_flag("--json", hjson, "the report as JSON");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*run) {
      scn::select_semantics(rsem);
      if (has_edits(g_semantics)) opt.model_only = true;  // the impl does not follow run-time edits
      std::vector<std::unique_ptr<RemoveCheck>> removed;
      for (const auto& n : without) {
        int found = -1;
        for (const auto& c : kChecks)
          if (c.id == n) found = c.index;
        if (found < 0) throw scn::InputError(fmt::format("unknown check `{}` (see `ptmodel checks`)", n));
        removed.push_back(std::make_unique<RemoveCheck>(found));
        opt.model_only = true;  // the impl follows the seed only
      }
      return cmd_run(files, opt, rjson, pic);
    }
    if (*explain) {
      scn::select_semantics(esem);
      return cmd_explain(explain_spec, ejson);
    }
    if (*audit) {
      agoals.semantics = scn::select_semantics(agoals.semantics);
      return ptm::cli::audit_command(aprocs, adepth, achecks, ajson, atimeout, agoals);
    }
    if (*oracle) return ptm::cli::oracle_command(oopt, osem, oformat, oout, ojson);
    if (*explore) {
      xopt.reduction = xreduction == "none" ? ptm::explore::Reduction::none : ptm::explore::Reduction::full;
      xopt.alphabet = xalphabet == "complete" ? ptm::explore::Alphabet::complete : ptm::explore::Alphabet::search;
      return ptm::cli::explore_command(xprocs, xopt, xsem, xjson, xout);
    }
    if (*verify) vopt.every_n = !no_every_n;
    if (*diffc) dopt.every_n = !dno_every_n;
    if (*verify && !vcompare.empty()) {
      if (vsem != "seed" || !vout.empty()) throw scn::InputError("verify --compare A B: the semantics are A and B (no --semantics, no -o)");
      return ptm::cli::verify_compare(vopt, vcompare[0], vcompare[1], vjson);
    }
    if (*verify) return ptm::cli::verify_command(vopt, vsem, vjson, vout);
    if (*props) return cmd_properties(pjson);
    if (*hunt) return cmd_hunt(semantics, hopt, hunt_out, hjson);
    if (*checks) return cmd_checks(cjson);
    if (*diffc) return ptm::cli::diff_command(da, db, dopt, djson, dout);
    if (*sems) return cmd_semantics(sjson);
    return 2;
  } catch (const scn::InputError& e) {
    std::cerr << "ptmodel: " << e.what() << "\n";
    return 2;
  }
}

// Every exception reaches here with a message, never an abort; and a report
// that could not be written (a full device, a closed stdout) is an error.
int ptmodel_command(int argc, char** argv) {
  int rc = 2;
  try {
    rc = ptmodel_main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "ptmodel: out of memory: a limit was reached, and any report above is partial\n";
    rc = 3;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "ptmodel: " << e.path1().string() << ": " << e.code().message() << "\n";
    rc = 2;
  } catch (const std::exception& e) {
    // Z3 reports its own allocation failures as an exception with this text.
    if (std::string_view(e.what()) == "out of memory") {
      std::cerr << "ptmodel: out of memory (in Z3): a limit was reached, and any report above is partial\n";
      rc = 3;
    } else {
      std::cerr << "ptmodel: error: " << e.what() << "\n";
      rc = 2;
    }
  }
  std::cout.flush();
  const bool bad = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (bad) {
    std::cerr << "ptmodel: cannot write the standard output: " << std::strerror(errno) << "\n";
    return 2;
  }
  return rc;
}
