#include "cli/audit_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/json.hpp"
#include "scn/scenario_writer.hpp"
#include "proofs/audit.hpp"

namespace ptm::cli {

namespace {

std::string joined(const std::vector<int>& checks, const char* sep) {
  std::vector<std::string> ids;
  for (int c : checks) ids.emplace_back(kChecks[c].id);
  return fmt::format("{}", fmt::join(ids, sep));
}

std::string goal_statement(const std::string& id, bool why = false) {
  std::string out;
  hana::for_each(kGoals, [&](auto t) {
    using G = typename decltype(t)::type;
    if (G::id == id) out = std::string(why ? G::why : G::statement);
  });
  return out;
}

std::string where_of(const CheckInfo& c) {
  return c.seed_first ? fmt::format("seed {}-{}", c.seed_first, c.seed_last) : std::string(c.where);
}

std::string decider_name(int by, int removed = -1) {
  if (by == removed) return "nothing (the kernel faults: a NULL dereference)";
  if (by == proofs::kTakeoverSucceeds) return "nothing (the step succeeds)";
  if (by == proofs::kTakeoverOther) return "nothing (the step blocks or faults)";
  return std::string(kChecks[by].id);
}

// The witness of one gain, written with the checks removed (it is a run of the mutant).
std::string gain_scenario(const std::vector<int>& removed, const proofs::GoalGain& g, const std::string& sem) {
  std::vector<std::unique_ptr<RemoveCheck>> rm;
  for (int c : removed) rm.push_back(std::make_unique<RemoveCheck>(c));
  std::string without;
  for (int c : removed) without += fmt::format(" --without {}", kChecks[c].id);
  const std::string who = removed.empty() ? (sem == "seed" ? std::string("the seed reaches") : "semantics " + sem + " reaches")
                                           : "without " + joined(removed, " and ") + ",";
  return scn::write_scenario(
      g.witness.trace,
      {.header = fmt::format("Witness: {} {} by {} (its last step).\n{}: {}\nReplay: ptmodel run{}{} FILE", who,
                             g.cell.first, g.cell.second, g.cell.first, goal_statement(g.cell.first),
                             scn::semantics_flag(sem), without),
       .procs = g.witness.procs});
}

// A gain that opens a new way to the goal: the seed does not reach it by that
// operation (or only at a larger table). The others close one path of several.
bool opens_new_way(const proofs::GoalGain& g) { return g.seed_procs == 0 || g.seed_procs > g.witness.procs; }

// One entry's gains, one witness per goal (its best cell), the other operations
// listed: first the new ways (`lead`), then the paths the seed has others to (`also`).
void print_gains(const proofs::AttackEntry& e, const std::string& sem, const std::string& lead, const std::string& also,
                 bool print, nlohmann::json& je) {
  std::string without;
  for (int c : e.removed) without += fmt::format(" --without {}", kChecks[c].id);
  for (bool fresh : {true, false}) {
    std::map<std::string, std::vector<const proofs::GoalGain*>> by_goal;
    for (const auto& g : e.gains)
      if (opens_new_way(g) == fresh) by_goal[g.cell.first].push_back(&g);
    for (auto& [goal, gs] : by_goal) {
      std::sort(gs.begin(), gs.end(), [](auto* a, auto* b) { return a->witness.better_than(b->witness); });
      const auto& best = *gs.front();
      std::vector<std::string> ops;
      for (const auto* g : gs)
        ops.push_back(fmt::format("{} (N = {}, {} steps{})", g->cell.second, g->witness.procs, g->witness.trace.size(),
                                  g->seed_procs && fresh ? fmt::format("; the seed only at N = {}", g->seed_procs)
                                  : g->direct            ? "; by a step it refuses"
                                                         : ""));
      const std::string sc = gain_scenario(e.removed, best, sem);
      je["gains"].push_back({{"goal", goal}, {"new_way", fresh}, {"operations", ops}, {"witness", sc}});
      if (!print) continue;
      fmt::print("  {} {}, by {}\n      {}\n", fresh ? lead : also, goal, fmt::join(ops, ", "),
                 fresh ? goal_statement(goal) : "(the seed reaches it by the same operation another way)");
      fmt::print("    witness (`ptmodel run{}{} FILE` replays it):\n{}", scn::semantics_flag(sem), without, sc);
    }
  }
}

}  // namespace

int audit_command(int procs, int depth, const std::vector<std::string>& names, bool json, unsigned timeout_ms,
                  const AuditGoalOptions& gopt) {
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
  nlohmann::json j;
  // What the mutants are compared with: the seed, or the semantics audited.
  const std::string base = gopt.semantics == "seed" ? std::string("seed") : "semantics " + gopt.semantics;

  // The attacker goals: the seed, each check removed, and the pairs.
  proofs::GoalLimits lim{.search_procs = procs, .complete_procs = std::min(procs, gopt.complete_procs), .depth = depth,
                         .max_states = gopt.max_states, .mutant_states = gopt.mutant_states};
  if (tty) fmt::print(stderr, "searching attacker goals ...\n");
  const auto g0 = std::chrono::steady_clock::now();
  const auto att = proofs::attack_audit(checks, lim, 2);
  const double goal_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
  if (tty) fmt::print(stderr, "\r{:50}\r", "");
  const std::string bounds = fmt::format(
      "tables of 2..{} processes with the search alphabet and 2..{} with the complete alphabet, {} steps deep, at "
      "most {} states of the seed and {} more of each mutant per table and alphabet",
      lim.search_procs, lim.complete_procs, lim.depth, lim.max_states, lim.mutant_states);
  j["goal_bounds"] = {{"search_procs", lim.search_procs}, {"complete_procs", lim.complete_procs},
                      {"depth", lim.depth}, {"max_states", lim.max_states}, {"mutant_states", lim.mutant_states}};
  if (!json) {
    fmt::print("Attacker goals (model/goals.hpp), searched in the seed and in the seed without each check ({}):\n",
               bounds);
    hana::for_each(kGoals, [&](auto t) {
      using G = typename decltype(t)::type;
      fmt::print("  {:<20} {}\n  {:<20} why: {}\n", G::id, G::statement, "", G::why);
    });
    std::vector<std::string> legs;
    for (const auto& l : att.seed.legs)
      legs.push_back(fmt::format("{} alphabet N = {}: depth {}, {} states ({})", l.alphabet, l.procs, l.depth_done,
                                 l.states, l.stopped));
    fmt::print("\nHow far the search of the {} went (a mutant's goes on from it, as far again):\n  {}\n", base,
               fmt::join(legs, "\n  "));
    std::vector<std::string> cut;
    for (const auto& l : att.seed.legs)
      if (l.stopped == "state budget") cut.push_back(fmt::format("N = {} ({} alphabet)", l.procs, l.alphabet));
    if (!cut.empty())
      fmt::print("  The seed's search stopped at its state budget at {}: there, a new way a mutant finds below may be "
                 "one the seed has beyond its budget (a step the check refuses is credited either way).\n",
                 fmt::join(cut, ", "));
    fmt::print("\nThe {} itself reaches (its findings, no check's to guard):\n", base);
  }
  {
    // The seed's own: an entry with nothing removed and every cell a gain.
    proofs::AttackEntry seed;
    for (const auto& [cell, hit] : att.seed.seed) seed.gains.push_back({cell, hit.witness, false, 0});
    std::set<std::string> reached;
    for (const auto& g : seed.gains) reached.insert(g.cell.first);
    nlohmann::json js;
    print_gains(seed, gopt.semantics, "the " + base + " reaches", "", !json, js);
    j["seed_reaches"] = js["gains"];
    std::vector<std::string> none;
    hana::for_each(kGoals, [&](auto t) {
      if (!reached.count(std::string(decltype(t)::type::id))) none.emplace_back(decltype(t)::type::id);
    });
    if (!json) fmt::print("  not reached: {}\n", none.empty() ? std::string("none") : fmt::format("{}", fmt::join(none, ", ")));
  }
  if (!json) fmt::print("\nPer check: what an attacker gains without it\n\n");
  int gaining = 0, taken_over = 0;
  for (const auto& e : att.singles) {
    const CheckInfo& c = kChecks[e.removed[0]];
    nlohmann::json je = {{"check", c.id}, {"where", where_of(c)}, {"comment", c.comment}};
    if (!json) fmt::print("{} ({}, {}: {})\n", c.id, c.where, where_of(c), c.comment);
    long decided = 0;
    for (const auto& [by, n] : e.takeover) decided += n;
    for (const auto& [by, n] : e.takeover) je["takeover"][decider_name(by, e.removed[0])] = n;
    je["mutant_states"] = e.states;
    je["mutant_budget_hit"] = e.budget_hit;
    const int y = proofs::takeover_check(e.takeover);
    if (!e.gains.empty()) {
      ++gaining;
      print_gains(e, gopt.semantics, "without it:", "without it, also (a path of several):", !json, je);
    } else {
      if (!json) fmt::print("  without it: no attacker goal is reached that the seed does not reach the same way.\n");
    }
    // Redundant: it gains an attacker nothing, and without it a check decides
    // most of its steps. Otherwise its steps mostly succeed (or it decided none).
    long by_y = 0, succeeds = 0;
    for (const auto& [by, n] : e.takeover) {
      if (by == y) by_y = n;
      if (by == proofs::kTakeoverSucceeds) succeeds = n;
    }
    const bool redundant = e.gains.empty() && y >= 0 && by_y >= succeeds;
    je["verdict"] = !e.gains.empty() ? "guards" : redundant ? "redundant" : decided ? "no goal" : "decides nothing";
    if (redundant) ++taken_over, je["taken_over_by"] = kChecks[y].id;
    if (!json) {
      std::vector<std::pair<long, int>> order;
      for (const auto& [by, n] : e.takeover) order.emplace_back(-n, by);
      std::sort(order.begin(), order.end());
      std::vector<std::string> parts;
      for (const auto& [n, by] : order) parts.push_back(fmt::format("{} in {}", decider_name(by, e.removed[0]), -n));
      if (decided == 0)
        fmt::print("  It decided no step of the seed's search: nothing changes within the bounds.\n");
      else
        fmt::print("  The {} steps of the seed's search it decided are decided without it by {}{}.\n", decided,
                   fmt::join(parts, ", "),
                   !e.gains.empty() ? std::string("")
                   : redundant      ? fmt::format(" (redundant: {} takes over, in {:.0f} % of them)", kChecks[y].id,
                                                  100.0 * static_cast<double>(by_y) / static_cast<double>(decided))
                                    : std::string(" (not redundant, since without it they succeed; but no attacker "
                                                  "goal comes of it within the bounds)"));
    }
    for (const auto& p : att.pairs) {
      auto has = [&](int k) { return std::find(p.removed.begin(), p.removed.end(), k) != p.removed.end(); };
      if (!has(e.removed[0]) || !has(y)) continue;
      nlohmann::json jp = {{"checks", std::vector<std::string>{}}, {"mutant_states", p.states}};
      for (int k : p.removed) jp["checks"].push_back(kChecks[k].id);
      const std::string lead = fmt::format("without {} together:", joined(p.removed, " and "));
      if (p.gains.empty()) {
        if (!json) fmt::print("  {} nothing more than without either alone.\n", lead);
      } else {
        print_gains(p, gopt.semantics, lead, lead + " also", !json, jp);
      }
      je["pairs"].push_back(jp);
    }
    if (!json) fmt::print("\n");
    j["goals_by_check"].push_back(je);
  }
  if (!json)
    fmt::print("Goals: {} of {} checks gain an attacker something without them; {} are redundant (a later check takes "
               "over); {} change behaviour without reaching a goal, or decide nothing within the bounds; {} pairs "
               "searched.\n\nThe property proofs (Z3, N = {}) of the same checks follow.\n\n",
               gaining, att.singles.size(), taken_over, att.singles.size() - gaining - taken_over, att.pairs.size(),
               procs);
  if (tty) fmt::print(stderr, "attacker-goal search: the seed and {} mutants in {:.0f} s\n", att.singles.size() + att.pairs.size(), goal_seconds);
  j["goal_seconds"] = goal_seconds;
  for (const auto& l : att.seed.legs)
    j["seed_search"].push_back({{"alphabet", l.alphabet}, {"procs", l.procs}, {"depth", l.depth_done}, {"states", l.states},
                                {"stopped", l.stopped}, {"seconds", l.seconds}});

  std::set<std::string> seed_keeps;
  auto progress = [&](int d, int t) {
    if (tty) fmt::print(stderr, "\rauditing: {}/{} checks   ", d, t);
  };
  std::vector<proofs::AuditEntry> entries;
  switch (procs) {
    case 2: entries = proofs::audit<2>(checks, depth, gopt.witness_states, timeout_ms, progress, &seed_keeps); break;
    case 3: entries = proofs::audit<3>(checks, depth, gopt.witness_states, timeout_ms, progress, &seed_keeps); break;
    case 4: entries = proofs::audit<4>(checks, depth, gopt.witness_states, timeout_ms, progress, &seed_keeps); break;
    case 5: entries = proofs::audit<5>(checks, depth, gopt.witness_states, timeout_ms, progress, &seed_keeps); break;
    case 6: entries = proofs::audit<6>(checks, depth, gopt.witness_states, timeout_ms, progress, &seed_keeps); break;
  }
  if (tty) fmt::print(stderr, "\r{:40}\r", "");

  int guarding = 0, open = 0;
  for (const auto& e : entries) {
    const CheckInfo& c = kChecks[e.check];
    const std::string where = where_of(c);
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
        fmt::print("  removing it breaks none of the properties the seed keeps (N = {}); what it guards against is "
                   "the attacker goals' part above.\n\n",
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
          it->second.trace, {.header = fmt::format("Witness: without {} ({}), {} fails.\nReplay: ptmodel run{} --without {} FILE",
                                             c.id, where, p, scn::semantics_flag(gopt.semantics), c.id),
                       .procs = it->second.procs});
      je["witnesses"][p] = sc;
      if (!json)
        fmt::print("  witness for {} ({} steps, N = {}; `ptmodel run{} --without {} FILE` replays it):\n{}", p,
                   it->second.trace.size(), it->second.procs, scn::semantics_flag(gopt.semantics), c.id, sc);
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
    fmt::print("\nProperties: {} of {} checks guard at least one the seed keeps (Z3, N = {}), {} break none{}.\n",
               guarding, entries.size(), procs, entries.size() - guarding - open,
               open ? fmt::format(", {} unknown", open) : "");
    if (any_unknown) fmt::print("Some verdicts are unknown (Z3 gave up): exit status 3.\n");
  }
  return any_unknown ? 3 : 0;
}

}  // namespace ptm::cli
