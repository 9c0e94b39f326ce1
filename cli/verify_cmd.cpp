#include "cli/verify_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/json.hpp"
#include "scn/scenario_writer.hpp"

namespace ptm::cli {

namespace {

using scn::Witness;

Witness write_witness(const proofs::PropertyVerdict& v, const proofs::Found& f, const std::string& through,
                      const std::string& semantics) {
  return scn::write_witness(
      f.trace, v.id,
      {.header = fmt::format("Found by `ptmodel verify{}` (shortest within its search{}).\n{}: {}.{}",
                             scn::semantics_flag(semantics),
                             through.empty() ? std::string() : ", violated through " + through, v.id, v.statement,
                             scn::replay_note(semantics)),
       .procs = f.procs});
}

// A proof assumes every auxiliary invariant (the hypotheses of every
// obligation): when one of them is not proved at every size, nothing is.
bool hypotheses_proved(const proofs::VerifyReport& rep) {
  for (const auto& v : rep.verdicts)
    if (v.invariant && (!v.initial_holds || v.witness || v.any_cti() || v.any_unknown())) return false;
  return true;
}

// The same for a table of any size: every invariant proved for every N.
bool hypotheses_proved_every_n(const proofs::VerifyReport& rep) {
  for (const auto& v : rep.verdicts)
    if (v.invariant && !v.every_n.holds(true)) return false;
  return true;
}

// The five kinds of verdict: proved (for every table size), violated (a
// reachable witness), holds for N <= K (bounded: proved at each table size
// 2..K), cti only (induction fails and no witness was found within the
// search), unknown.
std::string verdict_of(const proofs::PropertyVerdict& v, bool hyps_ok, bool hyps_every_n) {
  const bool every_n = v.every_n.holds(hyps_every_n);
  if ((every_n || hyps_ok) && v.witness && (every_n || v.witness->procs <= v.proved_up_to())) return "CONTRADICTION";
  if (every_n && v.initial_holds) return "proved";
  if (!v.initial_holds) return "violated";
  if (v.witness) return "violated";
  if (v.any_cti()) return "cti only";
  if (v.any_unknown() || !hyps_ok) return "unknown";
  return "bounded";
}
const char* verdict_word(const std::string& d) { return d == "bounded" ? "holds" : d.c_str(); }

// What the proofs for a table of any size showed, in words ("" if they did not run).
std::string every_n_summary(const proofs::PropertyVerdict& v, bool hyps_every_n) {
  const auto& e = v.every_n;
  if (!e.run) return "";
  if (!e.stated) return "for every N: not stated (a walk of any length; docs/proofs.md)";
  std::string out = fmt::format("for every N: preserved by {} of {} operations", e.proved, e.operations);
  auto ops = [](const std::vector<std::string>& v) {
    return v.size() <= 3 ? fmt::format("{}", fmt::join(v, ", ")) : fmt::format("{}, {} and {} more", v[0], v[1], v.size() - 2);
  };
  if (e.cti) out += fmt::format(", counterexample to induction at {}", ops(e.cti_ops));
  if (e.unknown) out += fmt::format(", unknown at {}", ops(e.unknown_ops));
  if (e.initial && *e.initial != proofs::PROVED)
    out += *e.initial == proofs::CTI ? ", fails initially" : ", initial state unknown";
  if (!hyps_every_n && !v.invariant) out += "; its proof assumes invariants not yet proved for every N";
  return out;
}

std::string sizes(const proofs::VerifyReport& rep) {
  return rep.opt.procs == 2 ? "N = 2" : fmt::format("N = 2..{}", rep.opt.procs);
}

// Where the witness search went, in words.
std::string search_summary(const std::vector<proofs::SearchLeg>& legs, const std::string& alphabet) {
  std::vector<std::string> parts;
  for (const auto& l : legs)
    if (l.alphabet == alphabet)
      parts.push_back(fmt::format("N = {} to depth {}{}", l.procs, l.depth_done,
                                  l.stopped == "exhausted" ? " (every reachable state)" : ""));
  return parts.empty() ? "not run" : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

int verify_command(const proofs::VerifyOptions& opt_in, const std::string& semantics, bool json,
                   const std::string& outdir) {
  scn::select_semantics(semantics);
  if (opt_in.procs < 2 || opt_in.procs > 6) throw scn::InputError(fmt::format("--procs {}: expected 2..6", opt_in.procs));
  if (opt_in.search_procs < 2 || opt_in.search_procs > 6)
    throw scn::InputError(fmt::format("--search-procs {}: expected 2..6", opt_in.search_procs));
  proofs::VerifyOptions opt = opt_in;
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  if (tty) {
    opt.progress = [start](const std::string& what) {
      double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print(stderr, "\r{:.0f} s: {:<60.60}", el, what);
    };
  }
  if (!opt.smt2_dir.empty()) scn::prepare_dir(opt.smt2_dir);
  if (!outdir.empty()) scn::prepare_dir(outdir);
  auto rep = proofs::verify(opt);
  if (tty) fmt::print(stderr, "\r{:80}\r", "");

  // Every witness: the shortest per property, and one through each operation.
  struct Printed {
    std::size_t verdict;
    std::string through;  // empty: the property's shortest
    proofs::Found found;
    Witness w;
  };
  std::vector<Printed> printed;
  for (std::size_t i = 0; i < rep.verdicts.size(); ++i) {
    const auto& v = rep.verdicts[i];
    if (!v.witness) continue;
    printed.push_back({i, "", *v.witness, write_witness(v, *v.witness, "", semantics)});
    const std::string last = operation_name(v.witness->trace.back().first);
    for (const auto& [op, f] : v.through)  // the shortest is the witness through its own last operation
      if (op != last) printed.push_back({i, op, f, write_witness(v, f, op, semantics)});
  }
  if (!outdir.empty()) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& p : printed) {
      std::string name = rep.verdicts[p.verdict].id + (p.through.empty() ? "" : "--" + p.through);
      for (auto& ch : name)
        if (ch == ' ') ch = '_';
      files.push_back({name + ".scn", p.w.scenario});
    }
    scn::publish_dir(outdir, files, fmt::format("ptmodel verify{} --procs {} --search-procs {}", scn::semantics_flag(semantics),
                                                opt.procs, opt.search_procs));
  }
  auto witness_of = [&](std::size_t i, const std::string& through) -> const Printed* {
    for (const auto& p : printed)
      if (p.verdict == i && p.through == through) return &p;
    return nullptr;
  };

  const auto& matrix = rep.results.at(opt.procs);
  int proved = 0, cti = 0, unknown = 0;
  for (const auto& [n, results] : rep.results)
    for (const auto& r : results) (r.verdict == proofs::PROVED ? proved : r.verdict == proofs::CTI ? cti : unknown)++;
  int obligations = 0;
  for (const auto& [n, results] : rep.results) obligations += static_cast<int>(results.size());
  int violated = 0, props_bounded = 0, cti_only = 0, props_unknown = 0, contradictions = 0;
  const bool hyps_ok = hypotheses_proved(rep);
  const bool hyps_every_n = hypotheses_proved_every_n(rep);
  int props_proved = 0;
  for (const auto& v : rep.verdicts) {
    if (v.invariant) continue;
    auto d = verdict_of(v, hyps_ok, hyps_every_n);
    if (d != "CONTRADICTION")
      (d == "proved"     ? props_proved
       : d == "violated" ? violated
       : d == "bounded"  ? props_bounded
       : d == "cti only" ? cti_only
                         : props_unknown)++;
    contradictions += d == "CONTRADICTION";
  }
  bool bad_witness = contradictions > 0 || !rep.disagreements.empty();
  for (const auto& p : printed) bad_witness = bad_witness || !p.w.replays;
  // Exit status: 2 a witness that does not replay or the cross-check's
  // disagreement (a bug in ptmodel), 3 anything unknown (a limit:
  // the report is partial), 1 a property violated, 0 every property proved or
  // holding for N <= K. (An every-N obligation that is unknown leaves its
  // property at its bounded verdict, which says so.)
  int en_proved = 0, en_cti = 0, en_unknown = 0;
  for (const auto& r : rep.every_n) (r.verdict == proofs::PROVED ? en_proved : r.verdict == proofs::CTI ? en_cti : en_unknown)++;
  for (const auto& r : rep.every_n_initial)
    (r.verdict == proofs::PROVED ? en_proved : r.verdict == proofs::CTI ? en_cti : en_unknown)++;
  const int status = bad_witness ? 2 : unknown || props_unknown ? 3 : violated ? 1 : 0;

  // How far the witness search went, per property and operation.
  auto open_through = [&](const proofs::PropertyVerdict& v) {
    std::vector<std::string> open;
    for (const auto& op : v.cti_ops)
      if (!v.through.count(op)) open.push_back(op);
    return open;
  };

  if (json) {
    nlohmann::json j;
    j["semantics"] = semantics;
    j["procs"] = opt.procs;
    j["proved_at"] = fmt::format("{}", sizes(rep));
    j["every_n"] = {{"run", opt.every_n},
                    {"timeout_ms", std::min(opt.every_n_timeout_ms, opt.timeout_ms)},
                    {"max_slots", kMaxSlots},
                    {"invariants_proved_for_every_n", hyps_every_n},
                    {"seconds", rep.every_n_seconds}};
    j["cross_check"] = {{"compared", rep.cross_checked}, {"disagreements", rep.disagreements}};
    if (opt.recheck_cvc5) {
      std::map<std::string, int> by;
      for (const auto* list : {&rep.every_n_initial, &rep.every_n})
        for (const auto& r : *list)
          if (r.verdict == proofs::PROVED) ++by[r.second.empty() ? "proved by cvc5 itself" : r.second];
      j["cvc5_recheck"] = by;
    }
    for (const auto* list : {&rep.every_n_initial, &rep.every_n})
      for (const auto& r : *list)
        j["every_n_obligations"].push_back({{"operation", r.ob.op_name},
                                            {"property", r.ob.property},
                                            {"invariant", r.ob.invariant},
                                            {"verdict", proofs::verdict_name(r.verdict)},
                                            {"reason", r.reason},
                                            {"cti", r.cti},
                                            {"cvc5", r.second},
                                            {"seconds", r.seconds}});
    j["timeout_ms"] = opt.timeout_ms;
    for (const auto& [n, results] : rep.results)
      for (const auto& r : results)
        j["obligations"].push_back({{"procs", n},
                                    {"operation", r.ob.op_name},
                                    {"property", r.ob.property},
                                    {"invariant", r.ob.invariant},
                                    {"verdict", proofs::verdict_name(r.verdict)},
                                    {"reason", r.reason}});
    for (std::size_t i = 0; i < rep.verdicts.size(); ++i) {
      const auto& v = rep.verdicts[i];
      auto d = verdict_of(v, hyps_ok, hyps_every_n);
      nlohmann::json p = {{"id", v.id},
                          {"statement", v.statement},
                          {"invariant", v.invariant},
                          {"verdict", d == "bounded" ? "holds" : d},
                          {"bound", d == "bounded" ? fmt::format("N <= {} (proved at {}; not for every N)", opt.procs, sizes(rep))
                                    : d == "proved" ? std::string("every N (a table of any size)")
                                                    : std::string()},
                          {"every_n",
                           {{"stated", v.every_n.stated},
                            {"proved_operations", v.every_n.proved},
                            {"operations", v.every_n.operations},
                            {"cti_operations", v.every_n.cti_ops},
                            {"unknown_operations", v.every_n.unknown_ops},
                            {"initial", v.every_n.initial ? proofs::verdict_name(*v.every_n.initial) : "vacuous"},
                            {"summary", every_n_summary(v, hyps_every_n)}}},
                          {"holds_initially", v.initial_holds},
                          {"cti_operations", v.cti_ops},
                          {"open_operations", open_through(v)}};
      for (const auto& [n, c] : v.at)
        p["per_size"].push_back({{"procs", n}, {"proved", c.proved}, {"cti", c.cti}, {"unknown", c.unknown}});
      auto add = [&](const Printed* w, const std::string& through) {
        if (!w) return;
        p["witnesses"].push_back({{"through", through},
                                  {"procs", w->found.procs},
                                  {"steps", w->found.trace.size()},
                                  {"scenario", w->w.scenario},
                                  {"replays_on_model_and_impl", w->w.replays}});
      };
      if (v.witness) {
        p["witness"] = {{"procs", v.witness->procs},
                        {"steps", v.witness->trace.size()},
                        {"scenario", witness_of(i, "")->w.scenario},
                        {"replays_on_model_and_impl", witness_of(i, "")->w.replays}};
        for (const auto& [op, f] : v.through) {
          const Printed* w = witness_of(i, op);
          if (!w) w = witness_of(i, "");
          add(w, op);
        }
      }
      j["properties"].push_back(p);
    }
    for (const auto& l : rep.search)
      j["search"].push_back({{"alphabet", l.alphabet},
                             {"procs", l.procs},
                             {"depth_explored", l.depth_done},
                             {"states", l.states},
                             {"stopped", l.stopped}});
    j["complete_alphabet_bounds"] = explore::kCompleteBounds;
    j["totals"] = {{"obligations", obligations},         {"proved", proved},
                   {"every_n_obligations", en_proved + en_cti + en_unknown},
                   {"every_n_proved", en_proved},        {"every_n_cti", en_cti},
                   {"every_n_unknown", en_unknown},      {"properties_proved", props_proved},
                   {"cti", cti},                         {"unknown", unknown},
                   {"properties_violated", violated},    {"properties_holding_bounded", props_bounded},
                   {"properties_cti_only", cti_only},    {"properties_unknown", props_unknown}};
    j["exit_status"] = status;
    std::cout << ptm::json_text(j) << "\n";
    return status;
  }

  fmt::print("ptmodel verify: semantics {}, proofs at every table size {} (proc0, init and up to {} more){}, {} "
             "operations x {} properties and {} auxiliary invariants; the witness search grows the table to {}\n\n",
             semantics, sizes(rep), opt.procs - 2,
             opt.every_n ? " and for a table of any size" : "",
             all_operations().size(), hana::length(kProperties).value, hana::length(kInvariants).value,
             opt.search_procs);
  // The matrix: one row per operation, one column per property (numbered below).
  std::vector<std::string> cols;
  for (const auto& v : rep.verdicts) cols.push_back(v.id);
  fmt::print("Proof matrix at N = {}: . proved   C counterexample to induction   ? unknown (timeout)\n", opt.procs);
  fmt::print("{:<16}", "");
  for (std::size_t c = 0; c < cols.size(); ++c) fmt::print("{:>3}", c + 1);
  fmt::print("\n");
  std::map<std::pair<std::string, std::string>, proofs::Verdict> cell;
  for (const auto& r : matrix) cell[{r.ob.op_name, r.ob.property}] = r.verdict;
  for (const auto& [op, name] : all_operations()) {
    fmt::print("{:<16}", name);
    for (const auto& c : cols) {
      auto it = cell.find({name, c});
      fmt::print("{:>3}", it == cell.end() ? " " : it->second == proofs::PROVED ? "." : it->second == proofs::CTI ? "C" : "?");
    }
    fmt::print("\n");
  }
  fmt::print("\nProperties. \"proved\" is for every table size N. \"holds for N <= {}\" is bounded: every obligation is\n"
             "proved at {}, not for every N; \"for every N\" says how far the proofs for a table of any\n"
             "size went (docs/proofs.md).\n",
             opt.procs, opt.procs == 2 ? "N = 2" : fmt::format("each table size 2..{}", opt.procs));
  // The largest table the witness search explored past its first step.
  int searched_beyond = 0;
  for (const auto& l : rep.search)
    if (l.depth_done > 0) searched_beyond = std::max(searched_beyond, l.procs);
  for (std::size_t c = 0; c < rep.verdicts.size(); ++c) {
    const auto& v = rep.verdicts[c];
    if (v.invariant && c > 0 && !rep.verdicts[c - 1].invariant) fmt::print("Auxiliary invariants (hypotheses of every obligation):\n");
    std::string detail;
    auto d = verdict_of(v, hyps_ok, hyps_every_n);
    if (d == "proved")
      detail = fmt::format("for every N (a table of any size): preserved by all {} operations and holds initially, "
                           "by induction over invariants quantified over every slot",
                           v.every_n.operations);
    else if (!v.initial_holds) detail = fmt::format("fails in the initial state (N = {})", v.initial_fails_at);
    else if (d == "violated") {
      std::vector<std::string> thr;
      for (const auto& [op, f] : v.through) thr.push_back(fmt::format("{} ({} steps, N = {})", op, f.trace.size(), f.procs));
      detail = fmt::format("reachable in {} steps at N = {} (scenario below)", v.witness->trace.size(), v.witness->procs);
      if (int k = v.proved_up_to(); k > 0 && hyps_ok)
        detail = fmt::format("holds for N <= {} (bounded), but {}", k, detail);
      if (!thr.empty()) detail += fmt::format("; through {}", fmt::join(thr, ", "));
      auto open = open_through(v);
      if (!open.empty())
        detail += fmt::format("; induction also fails at {}, with no reachable violation through it found", fmt::join(open, ", "));
    } else if (d == "bounded") {
      detail = fmt::format("for N <= {} (bounded): preserved by all {} operations at {}, holds initially", opt.procs,
                           v.at.at(opt.procs).proved, opt.procs == 2 ? "N = 2" : fmt::format("each N = 2..{}", opt.procs));
      if (searched_beyond > opt.procs)
        detail += fmt::format("; no reachable violation found at N = {} (search below)",
                              searched_beyond == opt.procs + 1 ? std::to_string(searched_beyond)
                                                               : fmt::format("{}..{}", opt.procs + 1, searched_beyond));
    }
    else if (d == "unknown" && !v.any_unknown())
      detail = "its proof assumes auxiliary invariants that are not proved";
    else if (d == "cti only")
      detail = fmt::format("counterexample to induction at {}; no reachable violation found (search below): an "
                           "invariant excluding those states would prove it",
                           fmt::join(v.cti_ops, ", "));
    else {
      std::vector<std::string> u;
      for (const auto& [n, col] : v.at)
        if (col.unknown) u.push_back(fmt::format("N = {}: {}", n, fmt::join(col.unknown_ops, ", ")));
      detail = fmt::format("unknown at {} (timeout {} ms)", fmt::join(u, "; "), opt.timeout_ms);
    }
    if (d != "proved" && d != "violated")
      if (auto e = every_n_summary(v, hyps_every_n); !e.empty()) detail += (detail.empty() ? "" : "; ") + e;
    fmt::print("{:>3} {:<21} {:<9} {}\n", c + 1, v.id, verdict_word(d), detail);
  }
  for (const auto& p : printed) {
    const auto& v = rep.verdicts[p.verdict];
    fmt::print("\n--- {}{} ({} steps, N = {}){} ---\n{}", v.id, p.through.empty() ? "" : " through " + p.through,
               p.found.trace.size(), p.found.procs,
               p.w.replays ? fmt::format("; replays on {} with `ptmodel run{}`",
                                         has_edits(g_semantics) ? "the model (the impl does not follow run-time edits)" : "model and impl",
                                         scn::semantics_flag(semantics))
                           : std::string("; DOES NOT REPLAY"),
               p.w.scenario);
    if (!p.w.replays) fmt::print("{}\n", p.w.note);
  }
  fmt::print("\nTotals: {} obligations at {}: {} proved, {} counterexamples to induction, {} unknown.\n", obligations,
             sizes(rep), proved, cti, unknown);
  // Timing goes to stderr: the report itself is the same on every run.
  if (opt.every_n)
    fmt::print("For every N: {} obligations ({} operations and the initial state, 2 <= N <= 2^32): {} proved, {} "
               "counterexamples to induction, {} unknown (timeout {} ms).\n",
               en_proved + en_cti + en_unknown, all_operations().size(), en_proved, en_cti, en_unknown,
               std::min(opt.every_n_timeout_ms, opt.timeout_ms));
  if (opt.every_n) {
    if (rep.disagreements.empty())
      fmt::print("Cross-check: {} obligations at N = 2..{} whose proof for every N holds: none has a counterexample to "
                 "induction at any N.\n",
                 rep.cross_checked, opt.procs);
    else {
      fmt::print("Cross-check: the proofs for every N and at N = 2..{} disagree (a bug in ptmodel):\n", opt.procs);
      for (const auto& d : rep.disagreements) fmt::print("  {}\n", d);
    }
  }
  if (opt.every_n && opt.recheck_cvc5) {
    // What the second solver says of the proofs for every N that Z3 made.
    int agrees = 0, lambdas = 0, unknown_to_it = 0, contradicts = 0, absent = 0, own = 0;
    for (const auto* list : {&rep.every_n_initial, &rep.every_n})
      for (const auto& r : *list) {
        if (r.verdict != proofs::PROVED) continue;
        const std::string& v = r.second;
        (v == "unsat" ? agrees : v == "lambda" ? lambdas : v == "sat" ? contradicts : v == "absent" ? absent
         : v.empty() ? own : unknown_to_it)++;
      }
    fmt::print("cvc5 re-check of the proofs for every N: {} re-proved by cvc5; {} it cannot read (array lambdas: "
               "the step maps over the table), {} unknown to it within {} ms{}{}{}.\n",
               agrees, lambdas, unknown_to_it, 2 * std::min(opt.every_n_timeout_ms, opt.timeout_ms),
               own ? fmt::format(", {} proved by cvc5 in the first place (Z3 gave up)", own) : "",
               absent ? fmt::format(", {} not checked (no cvc5 on this machine)", absent) : "",
               contradicts ? fmt::format(", {} CONTRADICTED (cvc5 finds a model: above)", contradicts) : "");
  }
  fmt::print(stderr,
             "time: the proofs {} at a time, side by side: at N = 2..{} done after {:.1f} s, for every N after {:.1f} s; "
             "then the witness search {:.1f} s\n",
             std::max(1, opt.threads), opt.procs, rep.prove_seconds, rep.every_n_seconds, rep.search_seconds);
  fmt::print("Properties: {} proved for every N, {} hold for N <= {} (bounded), {} violated (reachable), {} with a "
             "counterexample to induction only, {} unknown.\n",
             props_proved, props_bounded, opt.procs, violated, cti_only, props_unknown);
  if (rep.search.empty())
    fmt::print("Witness search: not needed (every property holds for N <= {}).\n", opt.procs);
  else {
    fmt::print("Witness search (breadth-first from the initial state, each table size to the depth shown):\n");
    fmt::print("  search alphabet (docs/explore.md): {}\n", search_summary(rep.search, "search"));
    fmt::print("  complete alphabet ({}): {}\n", explore::kCompleteBounds, search_summary(rep.search, "complete"));
    bool budget = false;
    for (const auto& l : rep.search) budget = budget || l.stopped == "time budget";
    if (budget) fmt::print("  the time budget ({:.0f} s, --budget) ended the search\n", opt.budget_seconds);
  }
  if (!outdir.empty()) fmt::print("Scenarios written to {}/.\n", outdir);
  if (unknown || props_unknown) fmt::print("Some verdicts are unknown: exit status 3.\n");
  return status;
}


// `ptmodel verify --compare A B`: both semantics verified with the same
// options, the verdicts side by side, and what changed.
int verify_compare(const proofs::VerifyOptions& opt_in, const std::string& a_name, const std::string& b_name, bool json) {
  if (opt_in.procs < 2 || opt_in.procs > 6) throw scn::InputError(fmt::format("--procs {}: expected 2..6", opt_in.procs));
  if (opt_in.search_procs < 2 || opt_in.search_procs > 6)
    throw scn::InputError(fmt::format("--search-procs {}: expected 2..6", opt_in.search_procs));
  struct Side {
    std::string name;
    SemanticsMask mask = 0;
    proofs::VerifyReport rep;
    bool hyps_ok = false, hyps_every_n = false;
    bool unknown = false;
  };
  Side sides[2];
  const std::string names[2] = {a_name, b_name};
  for (int i = 0; i < 2; ++i) {  // both names first: a bad one is refused before any proof runs
    sides[i].name = scn::select_semantics(names[i]);
    sides[i].mask = g_semantics;
  }
  const bool tty = isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2; ++i) {
    g_semantics = sides[i].mask;
    proofs::VerifyOptions opt = opt_in;
    if (tty) {
      opt.progress = [start, i](const std::string& what) {
        double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        fmt::print(stderr, "\r{:.0f} s: {}: {:<55.55}", el, i == 0 ? "A" : "B", what);
      };
    }
    sides[i].rep = proofs::verify(opt);
    sides[i].hyps_ok = hypotheses_proved(sides[i].rep);
    sides[i].hyps_every_n = hypotheses_proved_every_n(sides[i].rep);
    for (const auto& [n, results] : sides[i].rep.results)
      for (const auto& r : results) sides[i].unknown |= r.verdict == proofs::UNKNOWN;
  }
  if (tty) fmt::print(stderr, "\r{:80}\r", "");
  auto text = [&](const Side& sd, const proofs::PropertyVerdict& v) {
    const std::string d = verdict_of(v, sd.hyps_ok, sd.hyps_every_n);
    if (d == "proved") return std::string("proved (every N)");
    if (d == "violated" && v.witness)
      return fmt::format("violated ({} step{}, N = {})", v.witness->trace.size(), v.witness->trace.size() == 1 ? "" : "s",
                         v.witness->procs);
    if (d == "violated") return fmt::format("violated (initial state, N = {})", v.initial_fails_at);
    if (d == "bounded") return fmt::format("holds for N <= {} (bounded)", opt_in.procs);
    return d;
  };
  struct Row {
    std::string id, a, b, change;
    bool invariant;
    std::size_t ia, ib;
  };
  std::vector<Row> rows;
  int changed = 0;
  for (std::size_t i = 0; i < sides[0].rep.verdicts.size(); ++i) {
    const auto& va = sides[0].rep.verdicts[i];
    std::size_t j = 0;
    while (j < sides[1].rep.verdicts.size() && sides[1].rep.verdicts[j].id != va.id) ++j;
    if (j == sides[1].rep.verdicts.size()) continue;
    const auto& vb = sides[1].rep.verdicts[j];
    const std::string da = verdict_of(va, sides[0].hyps_ok, sides[0].hyps_every_n),
                      db = verdict_of(vb, sides[1].hyps_ok, sides[1].hyps_every_n);
    Row r{va.id, text(sides[0], va), text(sides[1], vb), "", va.invariant, i, j};
    if (da == db) r.change = r.a != r.b ? "witness differs" : "";
    else if (da == "violated" && db == "bounded") r.change = fmt::format("repaired by B (for N <= {}, bounded)", opt_in.procs);
    else if (da == "violated" && db == "proved") r.change = "repaired by B (proved for every N)";
    else if ((da == "bounded" || da == "proved") && db == "violated") r.change = "broken by B";
    else if (da == "violated") r.change = "no violation found under B (not proved)";
    else if (db == "violated") r.change = "violated under B only";
    else r.change = "changed";
    changed += !r.change.empty() && r.change != "witness differs";
    rows.push_back(r);
  }
  const bool unknown = sides[0].unknown || sides[1].unknown;
  const int status = unknown ? 3 : changed ? 1 : 0;
  // The witness of each property violated on one side only, for that side.
  auto witness_text = [&](int side, std::size_t idx) {
    g_semantics = sides[side].mask;
    const auto& v = sides[side].rep.verdicts[idx];
    return write_witness(v, *v.witness, "", sides[side].name);
  };
  if (json) {
    nlohmann::json j;
    j["a"] = sides[0].name;
    j["b"] = sides[1].name;
    j["procs"] = opt_in.procs;
    j["every_n"] = opt_in.every_n;
    j["unknown"] = unknown;
    for (const auto& r : rows) {
      nlohmann::json e = {{"id", r.id}, {"invariant", r.invariant}, {"a", r.a}, {"b", r.b}, {"change", r.change}};
      for (int side : {0, 1}) {
        const auto& v = sides[side].rep.verdicts[side == 0 ? r.ia : r.ib];
        const bool other_violated = sides[1 - side].rep.verdicts[side == 0 ? r.ib : r.ia].witness.has_value();
        if (v.witness && !other_violated) e[side == 0 ? "witness_a" : "witness_b"] = witness_text(side, side == 0 ? r.ia : r.ib).scenario;
      }
      j["properties"].push_back(e);
    }
    g_semantics = sides[0].mask;
    std::cout << ptm::json_text(j) << "\n";
    return status;
  }
  fmt::print("ptmodel verify --compare: {} (A) vs {} (B), proofs at {} each, the same witness search\n\n", sides[0].name,
             sides[1].name, sizes(sides[0].rep));
  fmt::print("  {:<22} {:<34} {:<34} {}\n", "property", "A", "B", "");
  for (const auto& r : rows) {
    if (r.invariant && r.change.empty()) continue;
    fmt::print("  {:<22} {:<34} {:<34} {}\n", r.id + (r.invariant ? " (inv)" : ""), r.a, r.b, r.change);
  }
  int properties = 0;
  for (const auto& r : rows) properties += !r.invariant;
  fmt::print("\n{} of {} properties and invariants change verdict ({} properties){}.\n", changed, rows.size(), properties,
             unknown ? "; some obligations are unknown (a limit): exit status 3" : "");
  fmt::print("\"proved (every N)\": for every table size; \"holds for N <= K (bounded)\": proved at each table size 2..K, "
             "not for every table size (docs/proofs.md).\n");
  for (const auto& r : rows) {
    for (int side : {0, 1}) {
      const auto& v = sides[side].rep.verdicts[side == 0 ? r.ia : r.ib];
      const auto& o = sides[1 - side].rep.verdicts[side == 0 ? r.ib : r.ia];
      if (!v.witness || o.witness) continue;
      auto w = witness_text(side, side == 0 ? r.ia : r.ib);
      fmt::print("\n--- {} violated under {} only ({} steps, N = {}; {}) ---\n{}", r.id, sides[side].name,
                 v.witness->trace.size(), v.witness->procs,
                 w.replays ? fmt::format("`ptmodel run{}` replays it", scn::semantics_flag(sides[side].name))
                           : "DOES NOT REPLAY: " + w.note,
                 w.scenario);
    }
  }
  g_semantics = sides[0].mask;
  return status;
}

}  // namespace ptm::cli
