#include "cli/audit_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "cli/scenario_writer.hpp"
#include "proofs/audit.hpp"

namespace ptm::cli {

int audit_command(int procs, int depth, const std::vector<std::string>& names, bool json) {
  if (procs != 4) throw scn::InputError(fmt::format("--procs {}: the audit runs at 4 processes", procs));
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
  auto entries = proofs::audit<4>(checks, depth, 500'000, 10'000, [&](int d, int t) {
    if (tty) fmt::print(stderr, "\rauditing: {}/{} checks   ", d, t);
  });
  if (tty) fmt::print(stderr, "\r{:40}\r", "");

  nlohmann::json j;
  int guarding = 0;
  for (const auto& e : entries) {
    const CheckInfo& c = kChecks[e.check];
    const std::string where = c.seed_first ? fmt::format("seed {}-{}", c.seed_first, c.seed_last) : std::string(c.where);
    nlohmann::json je = {{"check", c.id}, {"where", where}, {"comment", c.comment}, {"operations", e.ops},
                         {"breaks", e.breaks}, {"unknown", e.unknown}};
    if (!json) {
      fmt::print("{} ({}, {}: {})\n", c.id, c.where, where, c.comment);
      fmt::print("  decides: {}\n", fmt::join(e.ops, ", "));
    }
    if (e.breaks.empty()) {
      if (!json)
        fmt::print("  redundant under the current properties: removing it breaks none of them (N = 4). It may still "
                   "guard something the list does not state (a property to add), or be intended defence in depth{}.\n\n",
                   e.unknown.empty() ? "" : fmt::format("; unknown for {}", fmt::join(e.unknown, ", ")));
      j["checks"].push_back(je);
      continue;
    }
    ++guarding;
    if (!json) fmt::print("  removing it breaks: {}\n", fmt::join(e.breaks, ", "));
    for (const auto& p : e.breaks) {
      auto it = e.witness.find(p);
      if (it == e.witness.end()) {
        if (!json) fmt::print("  {}: counterexample to induction only (no reachable violation within {} steps)\n", p, depth);
        continue;
      }
      RemoveCheck removed(e.check);  // the witness is a run of the mutant
      std::string sc = scn::write_scenario(
          it->second, {.header = fmt::format("Witness: without {} ({}), {} fails.\nReplay: ptmodel run --without {} FILE",
                                             c.id, where, p, c.id),
                       .procs = procs});
      je["witnesses"][p] = sc;
      if (!json)
        fmt::print("  witness for {} ({} steps; `ptmodel run --without {} FILE` replays it):\n{}", p,
                   it->second.size(), c.id, sc);
    }
    if (!json) fmt::print("\n");
    j["checks"].push_back(je);
  }
  if (json) {
    j["procs"] = procs;
    j["depth"] = depth;
    std::cout << j.dump(2) << "\n";
  } else {
    fmt::print("Audit: {} checks; {} guard at least one property, {} are redundant under the current properties.\n",
               entries.size(), guarding, entries.size() - guarding);
  }
  return 0;
}

}  // namespace ptm::cli
