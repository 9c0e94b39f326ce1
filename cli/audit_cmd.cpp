#include "cli/audit_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/json.hpp"
#include "cli/scenario_writer.hpp"
#include "proofs/audit.hpp"

namespace ptm::cli {

int audit_command(int procs, int depth, const std::vector<std::string>& names, bool json, unsigned timeout_ms) {
  if (procs < 2 || procs > 6) throw scn::InputError(fmt::format("--procs {}: expected 2..6", procs));
  std::vector<int> checks;
  for (const auto& n : names) {
    int found = -1;
    for (const auto& c : kChecks)
      if (c.id == n) found = c.index;
    if (found < 0) throw scn::InputError(fmt::format("unknown check `{}` (see `ptmodel checks`)", n));
    checks.push_back(found);
  }
  if (checks.empty()) checks = proofs::ptrace_checks();
  const bool tty = isatty(STDERR_FILENO);
  std::set<std::string> seed_keeps;
  auto progress = [&](int d, int t) {
    if (tty) fmt::print(stderr, "\rauditing: {}/{} checks   ", d, t);
  };
  std::vector<proofs::AuditEntry> entries;
  switch (procs) {
    case 2: entries = proofs::audit<2>(checks, depth, 300'000, timeout_ms, progress, &seed_keeps); break;
    case 3: entries = proofs::audit<3>(checks, depth, 300'000, timeout_ms, progress, &seed_keeps); break;
    case 4: entries = proofs::audit<4>(checks, depth, 300'000, timeout_ms, progress, &seed_keeps); break;
    case 5: entries = proofs::audit<5>(checks, depth, 300'000, timeout_ms, progress, &seed_keeps); break;
    case 6: entries = proofs::audit<6>(checks, depth, 300'000, timeout_ms, progress, &seed_keeps); break;
  }
  if (tty) fmt::print(stderr, "\r{:40}\r", "");

  nlohmann::json j;
  int guarding = 0, open = 0;
  for (const auto& e : entries) {
    const CheckInfo& c = kChecks[e.check];
    const std::string where = c.seed_first ? fmt::format("seed {}-{}", c.seed_first, c.seed_last) : std::string(c.where);
    nlohmann::json je = {{"check", c.id}, {"where", where}, {"comment", c.comment}, {"operations", e.ops},
                         {"breaks", e.breaks}, {"unknown", e.unknown}};
    if (!json) {
      fmt::print("{} ({}, {}: {})\n", c.id, c.where, where, c.comment);
      fmt::print("  decides: {}\n", fmt::join(e.ops, ", "));
    }
    if (e.breaks.empty() && !e.unknown.empty()) {
      if (!json)
        fmt::print("  UNKNOWN: removing it breaks no property Z3 settled (N = {}), but Z3 gave up on {}: it may guard "
                   "those.\n\n",
                   procs, fmt::join(e.unknown, ", "));
      ++open;
      j["checks"].push_back(je);
      continue;
    }
    if (e.breaks.empty()) {
      if (!json)
        fmt::print("  redundant under the current properties: removing it breaks none of them (N = {}). It may still "
                   "guard something the list does not state (a property to add), or be intended defence in depth.\n\n",
                   procs);
      j["checks"].push_back(je);
      continue;
    }
    ++guarding;
    if (!json) fmt::print("  removing it breaks: {}\n", fmt::join(e.breaks, ", "));
    for (const auto& p : e.breaks) {
      auto it = e.witness.find(p);
      if (it == e.witness.end()) {
        if (!json) {
          std::vector<std::string> legs;
          for (const auto& l : e.search) legs.push_back(fmt::format("{} alphabet N = {} to depth {}", l.alphabet, l.procs, l.depth_done));
          fmt::print("  {}: counterexample to induction only (no reachable violation found: {})\n", p, fmt::join(legs, ", "));
        }
        continue;
      }
      RemoveCheck removed(e.check);  // the witness is a run of the mutant
      std::string sc = scn::write_scenario(
          it->second.trace, {.header = fmt::format("Witness: without {} ({}), {} fails.\nReplay: ptmodel run --without {} FILE",
                                             c.id, where, p, c.id),
                       .procs = it->second.procs});
      je["witnesses"][p] = sc;
      if (!json)
        fmt::print("  witness for {} ({} steps, N = {}; `ptmodel run --without {} FILE` replays it):\n{}", p,
                   it->second.trace.size(), it->second.procs, c.id, sc);
    }
    if (!json) fmt::print("\n");
    j["checks"].push_back(je);
  }
  // The security properties: the seed's verdict, and the audited checks that guard each.
  static const char* kSecurity[] = {"DEBUG_ALLOWED", "CONTROL_BY_TRACER", "STOPPED_WAITED", "SYSTEM_UNTRACED",
                                    "TRACER_LIVE", "NO_TRACE_OF_EXITING", "ATTACH_STOPS", "TREE_ACYCLIC"};
  if (!json) fmt::print("Security properties (the seed, N = {}; \"holds\" is bounded: proved at N = {} only):\n", procs, procs);
  for (const char* p : kSecurity) {
    std::string statement;
    hana::for_each(kProperties, [&](auto t) {
      using P = typename decltype(t)::type;
      if (P::id == p) statement = std::string(P::statement);
    });
    std::vector<std::string> guards;
    for (const auto& e : entries)
      if (std::find(e.breaks.begin(), e.breaks.end(), p) != e.breaks.end()) guards.push_back(std::string(kChecks[e.check].id));
    const bool kept = seed_keeps.count(p) > 0;
    const std::string verdict = kept ? fmt::format("holds for N = {} (bounded)", procs)
                                     : "not proved for every operation (`ptmodel verify` gives a witness)";
    j["security_properties"].push_back({{"id", p}, {"statement", statement}, {"seed", kept ? "holds (bounded)" : "not proved"}, {"bound", fmt::format("N = {}", procs)}, {"guarded_by", guards}});
    if (!json)
      fmt::print("  {:<20} {}\n      {}\n      guarded by: {}\n", p, verdict, statement,
                 guards.empty() ? (kept ? fmt::format("none of the {} audited checks alone (removing any one of them keeps it)", entries.size())
                                       : std::string("-"))
                                : fmt::format("{}", fmt::join(guards, ", ")));
  }
  // A proof Z3 could not settle leaves a check's verdict open: exit 3, as verify.
  bool any_unknown = false;
  for (const auto& e : entries) any_unknown = any_unknown || !e.unknown.empty();
  if (json) {
    j["procs"] = procs;
    j["depth"] = depth;
    j["complete"] = !any_unknown;
    std::cout << ptm::json_text(j) << "\n";
  } else {
    fmt::print("\nAudit: {} checks; {} guard at least one property, {} are redundant under the current properties{}.\n",
               entries.size(), guarding, entries.size() - guarding - open,
               open ? fmt::format(", {} unknown", open) : "");
    if (any_unknown) fmt::print("Some verdicts are unknown (Z3 gave up): exit status 3.\n");
  }
  return any_unknown ? 3 : 0;
}

}  // namespace ptm::cli
