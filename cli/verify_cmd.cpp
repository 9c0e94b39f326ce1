#include "cli/verify_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/scenario_writer.hpp"

namespace ptm::cli {

namespace {

using scn::Witness;

Witness write_witness(const proofs::PropertyVerdict& v, int procs, const std::string& semantics) {
  return scn::write_witness(
      *v.witness, v.id,
      {.header = fmt::format("Found by `ptmodel verify{}` (shortest within its search).\n{}: {}.{}",
                             scn::semantics_flag(semantics), v.id, v.statement,
                             scn::replay_note(semantics)),
       .procs = procs});
}

// A proof assumes every auxiliary invariant (the hypotheses of every
// obligation): when one of them is not proved, nothing is.
bool hypotheses_proved(const proofs::VerifyReport& rep) {
  for (const auto& v : rep.verdicts)
    if (v.invariant && (!v.initial_holds || v.witness || v.cti || v.unknown)) return false;
  return true;
}

std::string verdict_of(const proofs::PropertyVerdict& v, bool hyps_ok) {
  if (!v.initial_holds) return "violated";
  if (v.witness) return "violated";
  if (v.cti) return "cti only";
  if (v.unknown || !hyps_ok) return "unknown";
  return "proved";
}

}  // namespace

int verify_command(const proofs::VerifyOptions& opt_in, const std::string& semantics, bool json,
                   const std::string& outdir) {
  scn::select_semantics(semantics);
  if (opt_in.procs < 2 || opt_in.procs > 6) throw scn::InputError(fmt::format("--procs {}: expected 2..6", opt_in.procs));
  proofs::VerifyOptions opt = opt_in;
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  if (tty) {
    opt.progress = [start](int done, int total) {
      double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (el < 1) return;
      double eta = done ? el * (total - done) / done : 0;
      fmt::print(stderr, "\rproving: {}/{} obligations, {:.0f} s, about {:.0f} s left   ", done, total, el, eta);
    };
  }
  if (!opt.smt2_dir.empty()) std::filesystem::create_directories(opt.smt2_dir);
  auto rep = proofs::verify(opt);
  if (tty) fmt::print(stderr, "\r{:80}\r", "");

  std::vector<Witness> witnesses(rep.verdicts.size());
  for (std::size_t i = 0; i < rep.verdicts.size(); ++i)
    if (rep.verdicts[i].witness) witnesses[i] = write_witness(rep.verdicts[i], opt.procs, semantics);
  if (!outdir.empty()) {
    std::filesystem::create_directories(outdir);
    for (std::size_t i = 0; i < rep.verdicts.size(); ++i)
      if (!witnesses[i].scenario.empty())
        std::ofstream(outdir + "/" + rep.verdicts[i].id + ".scn") << witnesses[i].scenario;
  }

  int proved = 0, cti = 0, unknown = 0;
  for (const auto& r : rep.results) (r.verdict == proofs::PROVED ? proved : r.verdict == proofs::CTI ? cti : unknown)++;
  int violated = 0, props_proved = 0, cti_only = 0, props_unknown = 0;
  const bool hyps_ok = hypotheses_proved(rep);
  for (const auto& v : rep.verdicts) {
    if (v.invariant) continue;
    auto d = verdict_of(v, hyps_ok);
    (d == "violated" ? violated : d == "proved" ? props_proved : d == "cti only" ? cti_only : props_unknown)++;
  }

  if (json) {
    nlohmann::json j;
    j["semantics"] = semantics;
    j["procs"] = opt.procs;
    j["depth"] = opt.depth;
    j["timeout_ms"] = opt.timeout_ms;
    for (const auto& r : rep.results)
      j["obligations"].push_back({{"operation", r.ob.op_name},
                                  {"property", r.ob.property},
                                  {"invariant", r.ob.invariant},
                                  {"verdict", proofs::verdict_name(r.verdict)},
                                  {"reason", r.reason}});
    for (std::size_t i = 0; i < rep.verdicts.size(); ++i) {
      const auto& v = rep.verdicts[i];
      nlohmann::json p = {{"id", v.id},           {"statement", v.statement}, {"invariant", v.invariant},
                          {"verdict", verdict_of(v, hyps_ok)}, {"holds_initially", v.initial_holds},
                          {"bound", fmt::format("N = {}", opt.procs)},
                          {"proved", v.proved},   {"cti", v.cti},             {"unknown", v.unknown},
                          {"cti_operations", v.cti_ops}};
      if (v.witness) {
        p["witness"] = {{"steps", v.witness->size()},
                        {"scenario", witnesses[i].scenario},
                        {"replays_on_model_and_impl", witnesses[i].replays}};
      }
      j["properties"].push_back(p);
    }
    j["reachability"] = {{"depth_explored", rep.reach.depth_done},
                         {"states", rep.reach.states},
                         {"state_budget_hit", rep.reach.budget_hit}};
    j["totals"] = {{"obligations", rep.results.size()}, {"proved", proved},           {"cti", cti},
                   {"unknown", unknown},                {"properties_violated", violated},
                   {"properties_proved", props_proved}, {"properties_cti_only", cti_only},
                   {"properties_unknown", props_unknown}};
    std::cout << j.dump(2) << "\n";
    return unknown || props_unknown ? 3 : violated ? 1 : 0;
  }

  fmt::print("ptmodel verify: semantics {}, {} processes (proc0, init and {} more), {} operations x {} properties "
             "and {} auxiliary invariants\n\n",
             semantics, opt.procs, opt.procs - 2, proofs::all_operations().size(), hana::length(kProperties).value,
             hana::length(kInvariants).value);
  // The matrix: one row per operation, one column per property (numbered below).
  std::vector<std::string> cols;
  for (const auto& v : rep.verdicts) cols.push_back(v.id);
  fmt::print("Proof matrix: . proved   C counterexample to induction   ? unknown (timeout)\n");
  fmt::print("{:<16}", "");
  for (std::size_t c = 0; c < cols.size(); ++c) fmt::print("{:>3}", c + 1);
  fmt::print("\n");
  std::map<std::pair<std::string, std::string>, proofs::Verdict> cell;
  for (const auto& r : rep.results) cell[{r.ob.op_name, r.ob.property}] = r.verdict;
  for (const auto& [op, name] : proofs::all_operations()) {
    fmt::print("{:<16}", name);
    for (const auto& c : cols) {
      auto it = cell.find({name, c});
      fmt::print("{:>3}", it == cell.end() ? " " : it->second == proofs::PROVED ? "." : it->second == proofs::CTI ? "C" : "?");
    }
    fmt::print("\n");
  }
  fmt::print("\nProperties (N = {}):\n", opt.procs);
  for (std::size_t c = 0; c < rep.verdicts.size(); ++c) {
    const auto& v = rep.verdicts[c];
    if (v.invariant && c > 0 && !rep.verdicts[c - 1].invariant) fmt::print("Auxiliary invariants (hypotheses of every obligation):\n");
    std::string detail;
    auto d = verdict_of(v, hyps_ok);
    if (!v.initial_holds) detail = fmt::format("fails in the initial state (N = {})", opt.procs);
    else if (d == "violated") detail = fmt::format("reachable in {} steps (scenario below)", v.witness->size());
    else if (d == "proved")
      detail = fmt::format("for N = {} only (not proved for every table size): preserved by all {} operations, "
                           "holds initially",
                           opt.procs, v.proved);
    else if (d == "unknown" && !v.unknown && !v.cti)
      detail = fmt::format("its proof at N = {} assumes auxiliary invariants that are not proved", opt.procs);
    else if (d == "cti only")
      detail = fmt::format("counterexample to induction at {}; no reachable violation within {} steps ({} states): "
                           "an invariant excluding those states would prove it",
                           fmt::join(v.cti_ops, ", "), rep.reach.depth_done, rep.reach.states);
    else detail = fmt::format("unknown at {} (timeout {} ms)", fmt::join(v.unknown_ops, ", "), opt.timeout_ms);
    if (d == "violated" && v.cti) detail += fmt::format("; induction fails at {}", fmt::join(v.cti_ops, ", "));
    fmt::print("{:>3} {:<21} {:<9} {}\n", c + 1, v.id, d, detail);
  }
  bool bad_witness = false;
  for (std::size_t i = 0; i < rep.verdicts.size(); ++i) {
    const auto& v = rep.verdicts[i];
    if (!v.witness) continue;
    fmt::print("\n--- {} ({} steps){} ---\n{}", v.id, v.witness->size(),
               witnesses[i].replays ? fmt::format("; replays on model and impl with `ptmodel run{}`", scn::semantics_flag(semantics))
                                    : std::string("; DOES NOT REPLAY"),
               witnesses[i].scenario);
    if (!witnesses[i].replays) {
      bad_witness = true;
      fmt::print("{}\n", witnesses[i].note);
    }
  }
  fmt::print("\nTotals: {} obligations: {} proved, {} counterexamples to induction, {} unknown.\n",
             rep.results.size(), proved, cti, unknown);
  // Timing goes to stderr: the report itself is the same on every run.
  fmt::print(stderr, "time: proving {:.1f} s, reachability search {:.1f} s\n", rep.prove_seconds, rep.reach_seconds);
  fmt::print("Properties: {} proved, {} violated (reachable), {} with a counterexample to induction only, {} unknown.\n",
             props_proved, violated, cti_only, props_unknown);
  fmt::print("Reachability: breadth-first to depth {}{}, {} states.\n", rep.reach.depth_done,
             rep.reach.budget_hit ? " (state budget reached)" : "", rep.reach.states);
  if (!outdir.empty()) fmt::print("Scenarios written to {}/.\n", outdir);
  // Exit status: 2 a witness that does not replay, 3 anything unknown (a limit:
  // the report is partial), 1 a property violated, 0 all proved (for N only).
  if (unknown || props_unknown) fmt::print("Some verdicts are unknown: exit status 3.\n");
  return bad_witness ? 2 : unknown || props_unknown ? 3 : violated ? 1 : 0;
}

}  // namespace ptm::cli
