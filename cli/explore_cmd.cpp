#include "cli/explore_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/json.hpp"
#include "scn/scenario.hpp"
#include "scn/scenario_writer.hpp"

namespace ptm::cli {

namespace {

std::string mib(double bytes) { return fmt::format("{:.0f} MiB", bytes / 1048576.0); }

// 1234567 -> 1,234,567
std::string grouped(double v) {
  std::string s = fmt::format("{:.0f}", v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0 && s[i - 1] != '-') out += ',';
    out += s[i];
  }
  return out;
}

std::string statement_of(const std::string& id) {
  std::string out;
  hana::for_each(kProperties, [&](auto t) {
    using P = typename decltype(t)::type;
    if (P::id == id) out = std::string(P::statement);
  });
  return out;
}

}  // namespace

int explore_command(int procs, const explore::Options& opt_in, const std::string& semantics, bool json,
                    const std::string& outdir) {
  scn::select_semantics(semantics);
  if (procs < 2 || procs > 5) throw scn::InputError(fmt::format("--procs {}: expected 2..5", procs));
  explore::Options opt = opt_in;
  if (!outdir.empty()) scn::prepare_dir(outdir);
  if (isatty(STDERR_FILENO)) {
    opt.progress = [](const explore::Progress& p) {
      if (p.seconds < 1) return;
      fmt::print(stderr, "\rexplore: depth {}, {} states ({}/s), queue {}, {}, {:.0f} s   ", p.depth, grouped(p.states),
                 grouped(p.states / p.seconds), grouped(p.queue), mib(p.memory_bytes), p.seconds);
    };
  }
  auto r = explore::explore(procs, opt);
  if (isatty(STDERR_FILENO)) fmt::print(stderr, "\r{:100}\r", "");

  std::vector<scn::Witness> witnesses;
  for (const auto& v : r.violations)
    witnesses.push_back(scn::write_witness(
        v.trace, v.property,
        {.header = fmt::format("Found by `ptmodel explore --procs {}{}{}`: a shortest trace ({} steps).\n{}: {}.{}", procs,
                               scn::semantics_flag(semantics),
                               opt.alphabet == explore::Alphabet::complete ? " --alphabet complete" : "", v.trace.size(), v.property, statement_of(v.property),
                               scn::replay_note(semantics)),
         .procs = procs}));
  if (!outdir.empty()) {
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t i = 0; i < r.violations.size(); ++i)
      if (!witnesses[i].scenario.empty()) files.push_back({r.violations[i].property + ".scn", witnesses[i].scenario});
    scn::publish_dir(outdir, files, fmt::format("ptmodel explore --procs {}{}", procs, scn::semantics_flag(semantics)));
  }
  bool bad_witness = false;
  for (const auto& w : witnesses) bad_witness = bad_witness || !w.replays;
  const std::string scope = r.complete ? "every reachable state" : fmt::format("the states explored (partial: {})", r.stopped_by);

  if (json) {
    nlohmann::json j;
    j["semantics"] = semantics;
    j["procs"] = procs;
    j["reduction"] = r.reduction == explore::Reduction::full ? "full" : "none";
    j["alphabet"] = opt.alphabet == explore::Alphabet::complete ? std::string("complete: ") + explore::kCompleteBounds : std::string("search");
    j["complete"] = r.complete;
    if (!r.complete) j["stopped_by"] = r.stopped_by;
    j["states"] = r.states;
    j["transitions"] = r.transitions;
    j["depth"] = r.depth;
    j["states_per_depth"] = r.per_level;
    j["memory_bytes"] = r.memory_bytes;
    j["threads"] = r.threads;
    for (const auto& id : r.properties) {
      nlohmann::json p = {{"id", id}};
      auto it = std::find_if(r.violations.begin(), r.violations.end(), [&](const auto& v) { return v.property == id; });
      if (it == r.violations.end()) {
        p["verdict"] = r.complete ? "holds" : "not violated (partial)";
      } else {
        const auto& w = witnesses[it - r.violations.begin()];
        p["verdict"] = "violated";
        p["steps"] = it->trace.size();
        p["scenario"] = w.scenario;
        p["replays_on_model_and_impl"] = w.replays;
      }
      j["properties"].push_back(p);
    }
    std::cout << ptm::json_text(j) << "\n";
  } else {
    fmt::print("ptmodel explore: semantics {}, {} processes (proc0, init and {} more), pids 0..{}, symmetry reduction {}\n\n",
               semantics, procs, procs - 2, 3 * procs - 1, r.reduction == explore::Reduction::full ? "on" : "off");
    if (opt.alphabet == explore::Alphabet::complete)
      fmt::print("alphabet: complete ({})\n\n", explore::kCompleteBounds);
    fmt::print("{:<22} {}\n", "states", fmt::format("{}{}", grouped(r.states), r.complete ? " (all reachable)" : " (PARTIAL: stopped by " + r.stopped_by + ")"));
    fmt::print("{:<22} {} ({} succeeded)\n", "transitions", grouped(r.transitions), grouped(r.ok_transitions));
    fmt::print("{:<22} {}\n", "depth", r.depth);
    // Timing goes to stderr: the report itself is the same on every run.
    fmt::print(stderr, "{:<22} {:.1f} s, {} states/s, {} transitions/s, {} thread{}\n", "time", r.seconds,
               grouped(r.states / std::max(r.seconds, 1e-9)), grouped(r.transitions / std::max(r.seconds, 1e-9)), r.threads,
               r.threads == 1 ? "" : "s");
    fmt::print("{:<22} {} ({:.0f} bytes per state, {:.1f} of them the encoding)\n\n", "memory", mib(r.memory_bytes),
               r.memory_bytes / std::max<long>(r.states, 1), r.encoded_bytes / std::max<long>(r.states, 1));
    fmt::print("{:<21} {:<10} {}\n", "property", "verdict", "detail");
    for (const auto& id : r.properties) {
      auto it = std::find_if(r.violations.begin(), r.violations.end(), [&](const auto& v) { return v.property == id; });
      if (it == r.violations.end()) {
        fmt::print("{:<21} {:<10} {}\n", id, r.complete ? "holds" : "not found", fmt::format("in {}", scope));
        continue;
      }
      const auto& w = witnesses[it - r.violations.begin()];
      fmt::print("{:<21} {:<10} shortest trace {} step{}{}{}\n", id, "VIOLATED", it->trace.size(), it->trace.size() == 1 ? "" : "s",
                 outdir.empty() ? "" : fmt::format(", {}/{}.scn", outdir, id),
                 w.replays ? " (replays on model and impl)" : " (DOES NOT REPLAY)");
    }
    for (std::size_t i = 0; i < r.violations.size(); ++i) {
      fmt::print("\n--- {} ({} steps) ---\n{}", r.violations[i].property, r.violations[i].trace.size(), witnesses[i].scenario);
      if (!witnesses[i].replays) fmt::print("{}\n", witnesses[i].note);
    }
    fmt::print("\n{} of {} properties violated{}.\n", r.violations.size(), r.properties.size(),
               r.complete ? "; the others hold in every reachable state" : "; the search is PARTIAL, so the others are unknown");
  }
  if (bad_witness) return 2;
  if (!r.violations.empty()) return 1;
  return r.complete ? 0 : 3;
}

}  // namespace ptm::cli
