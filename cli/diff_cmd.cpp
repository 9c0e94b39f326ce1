#include "cli/diff_cmd.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/json.hpp"
#include "scn/scenario.hpp"
#include "model/semantics_names.hpp"
#include "scn/scenario_writer.hpp"
#include "model/goals.hpp"
#include "proofs/unbounded.hpp"

namespace ptm::cli {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The witness as one scenario for both semantics: the steps agree up to the
// last, whose expectation is written per semantics (`-> [A] x [B] y`).
scn::Witness witness_scenario(const diff::Trace& trace, const std::string& header, SemanticsMask a, SemanticsMask b,
                              int procs) {
  const std::string na = semantics_name(a), nb = semantics_name(b);
  scn::WriteOptions wo{.header = header, .procs = procs};
  std::string ta, tb;
  {
    SemanticsScope s(a);
    ta = scn::write_scenario(trace, wo);
  }
  {
    SemanticsScope s(b);
    tb = scn::write_scenario(trace, wo);
  }
  auto la = lines_of(ta), lb = lines_of(tb);
  scn::Witness w;
  if (la.size() != lb.size()) {
    w.scenario = ta;
    w.note = "the two semantics' scenarios have different lengths";
    return w;
  }
  std::string out;
  for (std::size_t i = 0; i < la.size(); ++i) {
    const std::string& x = la[i];
    const std::string& y = lb[i];
    auto ax = x.find(" -> "), ay = y.find(" -> ");
    if (x == y || ax == std::string::npos || ay == std::string::npos || x.substr(0, ax) != y.substr(0, ay)) {
      out += x + "\n";
      if (x != y) w.note = fmt::format("line {} differs beyond its expectation", i + 1);
      continue;
    }
    std::string op = x.substr(0, ax);
    while (!op.empty() && op.back() == ' ') op.pop_back();
    out += fmt::format("{} -> [{}] {} [{}] {}\n", op, na, x.substr(ax + 4), nb, y.substr(ay + 4));
  }
  // What the last step leaves different, field by field, stated per semantics
  // (`expect [A] NAME FIELD...`), so the witness asserts its difference.
  try {
    auto sc = scn::parse("witness.scn", out);
    std::vector<scn::StepRecord> last;
    for (SemanticsMask m : {a, b}) {
      SemanticsScope s(m);
      std::ostringstream sink;
      auto r = scn::run_scenario(sc, sink, {.quiet = true, .model_only = true});
      if (!r.steps.empty()) last.push_back(r.steps.back());
    }
    if (last.size() == 2) {
      const auto& names = last[0].names;
      auto name_of = [&](std::int64_t slot) -> std::string {
        if (slot == NOPROC) return "NULL";
        return slot >= 0 && slot < static_cast<std::int64_t>(names.size()) && !names[slot].empty() ? names[slot] : "";
      };
      std::string facts[2];
      for (int slot = 0; slot < procs; ++slot) {
        const auto& pa = last[0].post.procs[slot];
        const auto& pb = last[1].post.procs[slot];
        if (name_of(slot).empty() || pa.p_state == PRS_FREE || pb.p_state == PRS_FREE) continue;
        std::string fa, fb;
        for (const auto& key : scn::field_names()) {
          const std::string ta = scn::field_text(pa, key, name_of), tb = scn::field_text(pb, key, name_of);
          if (ta == tb || ta.empty() || tb.empty()) continue;  // the same, or a link to a process with no name yet
          fa += " " + scn::field_fact(key, ta);
          fb += " " + scn::field_fact(key, tb);
        }
        if (fa.empty()) continue;
        facts[0] += fmt::format("expect [{}] {}{}\n", na, name_of(slot), fa);
        facts[1] += fmt::format("expect [{}] {}{}\n", nb, name_of(slot), fb);
      }
      out += facts[0] + facts[1];
    }
  } catch (const std::exception& e) {
    w.note = e.what();
  }
  w.scenario = out;
  // It must replay under both, on model and impl.
  try {
    auto sc = scn::parse("witness.scn", out);
    bool ok = true;
    for (SemanticsMask m : {a, b}) {
      SemanticsScope s(m);
      std::ostringstream sink;
      auto r = scn::run_scenario(sc, sink, {.quiet = true});
      if (r.failures || r.divergence) {
        ok = false;
        w.note = fmt::format("does not replay under {}: {}", semantics_name(m), sink.str());
      }
    }
    w.replays = ok && w.note.empty();
  } catch (const std::exception& e) {
    w.note = e.what();
  }
  return w;
}

std::string goal_statement(const std::string& id) {
  std::string out;
  hana::for_each(kGoals, [&](auto t) {
    using G = typename decltype(t)::type;
    if (G::id == id) out = std::string(G::statement);
  });
  return out;
}

std::string kind_text(const diff::Kind& k, const std::string& na, const std::string& nb) {
  if (k.outcome) return fmt::format("{} under {}, {} under {}", scn::outcome_name(k.kind_a, k.err_a), na, scn::outcome_name(k.kind_b, k.err_b), nb);
  if (!k.goal.empty()) return fmt::format("reaches {} under {} only", k.goal, k.goal_under_b ? nb : na);
  return fmt::format("same outcome ({}), different {}", scn::outcome_name(k.kind_a, k.err_a), k.field);
}

std::string sizes_text(int lo, int hi) { return lo == hi ? fmt::format("N = {}", lo) : fmt::format("N = {}..{}", lo, hi); }

std::string search_text(const diff::SearchRun& s) {
  const auto& r = s.result;
  const std::string why = r.complete             ? "every reachable state"
                          : r.stopped_by == "labelled" ? "stopped: every kind it looked for had a witness"
                          : r.stopped_by == "time"     ? "stopped by the time budget"
                                                       : "stopped by " + r.stopped_by;
  return fmt::format("N = {}, {} alphabet: {} states to depth {} ({})", s.procs, s.complete_alphabet ? "complete" : "search",
                     r.states, r.depth, why);
}

}  // namespace

int diff_command(const std::string& a_name, const std::string& b_name, const diff::Options& opt, bool json,
                 const std::string& outdir) {
  auto pa = parse_semantics(a_name), pb = parse_semantics(b_name);
  if (!pa.mask) throw scn::InputError(pa.error);
  if (!pb.mask) throw scn::InputError(pb.error);
  if (opt.procs < 2 || opt.procs > 6) throw scn::InputError(fmt::format("--procs {}: expected 2..6", opt.procs));
  if (opt.min_procs < 2 || opt.min_procs > opt.procs)
    throw scn::InputError(fmt::format("--from-procs {}: expected 2..--procs ({})", opt.min_procs, opt.procs));
  if (!outdir.empty()) scn::prepare_dir(outdir);  // before the searches, not after them
  const SemanticsMask a = *pa.mask, b = *pb.mask;
  const std::string na = semantics_name(a), nb = semantics_name(b);
  if (isatty(STDERR_FILENO)) fmt::print(stderr, "diff: Z3 for every operation at each table size, then the searches...\r");
  auto rep = diff::run(a, b, opt);
  if (isatty(STDERR_FILENO)) fmt::print(stderr, "\r{:80}\r", "");
  const std::string cmd = fmt::format("ptmodel diff {} {} --procs {}{}", na.find_first_of("<>") == std::string::npos ? na : "'" + na + "'",
                                      nb.find_first_of("<>") == std::string::npos ? nb : "'" + nb + "'", opt.procs,
                                      opt.min_procs != 2 ? fmt::format(" --from-procs {}", opt.min_procs) : "");

  std::vector<scn::Witness> ws(rep.kinds.size());
  for (std::size_t i = 0; i < rep.kinds.size(); ++i) {
    const auto& k = rep.kinds[i];
    if (!k.witness) continue;
    ws[i] = witness_scenario(*k.witness,
                             fmt::format("Found by `{}`: a shortest scenario (N = {}) whose last step differs.\n{}: {}.",
                                         cmd, k.witness_procs, k.op, kind_text(k, na, nb)),
                             a, b, k.witness_procs);
  }
  if (!outdir.empty()) {
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t i = 0; i < rep.kinds.size(); ++i)
      if (!ws[i].scenario.empty()) {
        std::string f = fmt::format("{}-{}.scn", i + 1, rep.kinds[i].op);
        for (auto& ch : f)
          if (ch == ' ' || ch == '/') ch = '_';
        files.emplace_back(f, ws[i].scenario);
      }
    scn::publish_dir(outdir, files, cmd);
  }
  const bool complete = rep.unknown.empty();
  // For every N: the operations whose list is open, and any that contradicts the bounded list (a ptmodel bug).
  std::vector<const diff::EveryNRow*> same_rules, complete_every_n, open_every_n, contradicting;
  for (const auto& e : rep.every_n) {
    (e.verdict == diff::EveryNRow::SAME_RULES ? same_rules : e.verdict == diff::EveryNRow::COMPLETE ? complete_every_n
                                                                                                   : open_every_n)
        .push_back(&e);
    if (e.contradicts) contradicting.push_back(&e);
  }
  const int rc = !contradicting.empty() ? 2 : !complete ? 3 : rep.kinds.empty() ? 0 : 1;
  // A difference the search reached that Z3 did not list: a bug when Z3's
  // list is complete; when Z3 gave up, a difference it could not list.
  const std::string unlisted =
      rep.unexpected && !complete
          ? scn::write_scenario(*rep.unexpected, {.header = "a reachable step where A and B differ, not listed: Z3 gave up",
                                                  .procs = rep.unexpected_procs})
          : "";

  if (json) {
    nlohmann::json j;
    j["a"] = na;
    j["b"] = nb;
    j["procs"] = {rep.min_procs, rep.procs};
    j["complete"] = complete;
    j["unknown_operations"] = rep.unknown;
    j["every_n"] = {{"run", opt.every_n}, {"timeout_ms", opt.every_n_timeout_ms}, {"max_slots", kMaxSlots},
                    {"complete", opt.every_n && open_every_n.empty()}, {"operations", nlohmann::json::array()}};
    for (const auto& e : rep.every_n) {
      nlohmann::json row = {{"operation", e.op},
                            {"verdict", e.verdict == diff::EveryNRow::SAME_RULES ? "same rules"
                                        : e.verdict == diff::EveryNRow::COMPLETE ? "complete"
                                                                                 : "open"}};
      if (e.verdict == diff::EveryNRow::OPEN) row["open"] = e.open, row["reason"] = e.reason;
      if (e.found_at) row["found_at_n"] = e.found_at;
      if (e.contradicts) row["contradicts_bounded_list"] = true;
      j["every_n"]["operations"].push_back(row);
    }
    j["kinds"] = nlohmann::json::array();
    for (std::size_t i = 0; i < rep.kinds.size(); ++i) {
      const auto& k = rep.kinds[i];
      nlohmann::json e = {{"operation", k.op}, {"outcome_differs", k.outcome}, {"procs", k.procs}};
      if (k.goal.empty()) {
        e["a"] = scn::outcome_name(k.kind_a, k.err_a);
        e["b"] = scn::outcome_name(k.kind_b, k.err_b);
      }
      if (!k.outcome && k.goal.empty()) e["field"] = k.field;
      if (!k.goal.empty()) e["goal"] = {{"id", k.goal}, {"reached_under", k.goal_under_b ? "b" : "a"}};
      if (k.witness)
        e["witness"] = {{"steps", k.witness->size()}, {"procs", k.witness_procs}, {"scenario", ws[i].scenario}, {"replays", ws[i].replays}};
      j["kinds"].push_back(e);
    }
    j["searches"] = nlohmann::json::array();
    for (const auto& sr : rep.searches)
      j["searches"].push_back({{"procs", sr.procs}, {"alphabet", sr.complete_alphabet ? "complete" : "search"},
                               {"states", sr.result.states}, {"depth", sr.result.depth},
                               {"complete", sr.result.complete}, {"stopped_by", sr.result.stopped_by}});
    j["unexpected"] = rep.unexpected.has_value() && complete;
    if (rep.unexpected && !complete)
      j["unlisted_difference"] = {{"steps", rep.unexpected->size()}, {"scenario", unlisted}};
    j["properties_procs"] = rep.property_procs;
    for (const auto& p : rep.properties)
      j["properties"].push_back({{"id", p.id},
                                 {"a", p.violated_a ? "violated" : rep.explore_a.complete ? "holds" : "not violated within bound"},
                                 {"b", p.violated_b ? "violated" : rep.explore_b.complete ? "holds" : "not violated within bound"}});
    std::cout << ptm::json_text(j) << "\n";
    return rc == 0 && rep.unexpected && complete ? 1 : rc;
  }

  fmt::print("ptmodel diff: {} (A) vs {} (B), process tables of {} (proc0, init and up to {} more)\n\n", na, nb,
             sizes_text(rep.min_procs, rep.procs), rep.procs - 2);
  fmt::print("Kinds of difference in one step, from any state that satisfies the invariants, at each table size\n"
             "{} (Z3, {}); \"N\" is the smallest size with one. Witnesses: the shortest scenario from boot\n"
             "along steps where A and B agree, searched at the smallest size first:\n\n",
             sizes_text(rep.min_procs, rep.procs),
             complete ? "the list is complete for each" : "INCOMPLETE: Z3 gave up on " + fmt::format("{}", fmt::join(rep.unknown, ", ")));
  if (rep.kinds.empty() && complete)
    fmt::print("  none: A and B give the same outcome and next state for every operation\n");
  else if (rep.kinds.empty())
    fmt::print("  none listed (Z3 gave up on {}: there may be differences there)\n", fmt::join(rep.unknown, ", "));
  for (std::size_t i = 0; i < rep.kinds.size(); ++i) {
    const auto& k = rep.kinds[i];
    std::string wit = k.witness ? fmt::format("witness, {} steps at N = {}{}", k.witness->size(), k.witness_procs,
                                              ws[i].replays ? "" : " (DOES NOT REPLAY: " + ws[i].note + ")")
                                : "no witness (*)";
    fmt::print("{:>3}  {:<14} {:<46} N={}  {}\n", i + 1, k.op, kind_text(k, "A", "B"), k.procs, wit);
  }
  if (opt.every_n) {
    auto names = [](const std::vector<const diff::EveryNRow*>& v) {
      std::vector<std::string> out;
      for (const auto* e : v) out.push_back(e->op);
      return out;
    };
    fmt::print("\nFor every N (a table of any size, 2 <= n <= 2^32; Z3 over the invariants quantified over every\n"
               "slot, {} ms per query): whether an operation can differ in a way not listed above.\n",
               opt.every_n_timeout_ms);
    fmt::print("  the same rules under A and B: {} of {} operations\n", same_rules.size(), rep.every_n.size());
    if (!complete_every_n.empty())
      fmt::print("  no kind beyond those listed at any table size: {}\n", fmt::join(names(complete_every_n), ", "));
    if (open_every_n.empty())
      fmt::print("  so the outcome and field kinds above are every kind there is, for a table of any size{}\n",
                 complete ? "" : " (where Z3 listed them)");
    else
      fmt::print("  open (a kind not listed may exist at some table size; the list above holds for {}):\n",
                 sizes_text(rep.min_procs, rep.procs));
    for (const auto* e : open_every_n) fmt::print("    {}: {}\n", e->op, e->reason);
    fmt::print("  attacker-goal kinds are listed for {} only (the goals are not written over every slot)\n",
               sizes_text(rep.min_procs, rep.procs));
    for (const auto* e : contradicting)
      fmt::print("\nBUG: {} differs at n = {} in a way the list for N = {} does not name; the two engines disagree.\n",
                 e->op, e->found_at, e->found_at);
  }
  std::vector<std::string> goals_seen;
  for (const auto& k : rep.kinds)
    if (!k.goal.empty() && std::find(goals_seen.begin(), goals_seen.end(), k.goal) == goals_seen.end())
      goals_seen.push_back(k.goal);
  if (!goals_seen.empty()) {
    fmt::print("\nThe attacker goals (model/goals.hpp, as `ptmodel audit` uses them):\n");
    for (const auto& g : goals_seen) fmt::print("  {}: {}\n", g, goal_statement(g));
  }
  fmt::print("\nWitness searches:\n");
  for (const auto& sr : rep.searches) fmt::print("  {}\n", search_text(sr));
  bool unwitnessed = false;
  for (const auto& k : rep.kinds) unwitnessed |= !k.witness;
  if (unwitnessed)
    fmt::print("\n(*) Z3 found a state (satisfying the invariants) where this kind occurs, but no search above reached\n"
               "    one (the complete alphabet: {}, to depth {}). Such a state may be unreachable (the\n"
               "    invariants over-approximate), or need a larger table or a longer scenario.\n",
               explore::kCompleteBounds, opt.oracle_depth);
  if (rep.unexpected && complete)
    fmt::print("\nBUG: a reachable step differs in a way Z3 did not list ({} steps); the invariants or the enumeration are wrong.\n",
               rep.unexpected->size());
  else if (rep.unexpected)
    fmt::print("\nThe search reached a step where A and B differ that Z3 could not list (it gave up on {}), {} steps:\n\n{}",
               fmt::join(rep.unknown, ", "), rep.unexpected->size(), unlisted);

  fmt::print("\nProperties (explore --procs {}, {}):\n", rep.property_procs,
             rep.explore_a.complete && rep.explore_b.complete ? "every reachable state of each" : "bounded searches");
  fmt::print("  {:<22} {:<10} {:<10}\n", "property", "A", "B");
  auto verdict = [](bool v, bool complete) { return v ? "violated" : complete ? "holds" : "not found"; };
  for (const auto& p : rep.properties) {
    // "repaired" and "broken" need the other side's search to be complete: a
    // bounded search that found no violation says nothing.
    std::string change = p.violated_a && !p.violated_b
                             ? (rep.explore_b.complete ? "repaired by B" : "B's search bounded: repair not shown")
                         : !p.violated_a && p.violated_b
                             ? (rep.explore_a.complete ? "broken by B" : "A's search bounded: break not shown")
                             : "";
    fmt::print("  {:<22} {:<10} {:<10} {}\n", p.id, verdict(p.violated_a, rep.explore_a.complete),
               verdict(p.violated_b, rep.explore_b.complete), change);
  }
  bool any = false;
  for (std::size_t i = 0; i < rep.kinds.size() && outdir.empty(); ++i) {
    if (ws[i].scenario.empty()) continue;
    if (!any) fmt::print("\nWitnesses (replay with `ptmodel run{}` and `ptmodel run{}`):\n", scn::semantics_flag(na), scn::semantics_flag(nb));
    any = true;
    fmt::print("\n--- {}\n{}", i + 1, ws[i].scenario);
  }
  if (!outdir.empty())
    fmt::print("\nWitnesses written to {}/<N>-<operation>.scn (replay with `ptmodel run{}` and `ptmodel run{}`).\n", outdir,
               scn::semantics_flag(na), scn::semantics_flag(nb));
  fmt::print(stderr, "time: Z3 {:.1f} s, for every N {:.1f} s, witness searches {:.1f} s, properties {:.1f} s\n",
             rep.solve_seconds, rep.every_n_seconds, rep.search_seconds, rep.explore_a.seconds + rep.explore_b.seconds);
  return rc == 0 && rep.unexpected && complete ? 1 : rc;
}

}  // namespace ptm::cli
