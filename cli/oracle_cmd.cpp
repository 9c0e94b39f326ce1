#include "cli/oracle_cmd.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/json.hpp"
#include "scn/scenario.hpp"
#include "scn/scenario_writer.hpp"
#include "oracle/formats.hpp"

namespace ptm::cli {


int oracle_command(const oracle::Options& opt, const std::string& semantics, const std::string& format,
                   const std::string& outdir, bool json) {
  scn::select_semantics(semantics);
  if (opt.procs < 2 || opt.procs > 5) throw scn::InputError(fmt::format("--procs {}: expected 2..5", opt.procs));
  if (!outdir.empty()) scn::prepare_dir(outdir);  // before the search, not after it
  if (isatty(STDERR_FILENO)) fmt::print(stderr, "oracle: exploring {} processes to depth {} ...", opt.procs, opt.max_depth);
  auto set = oracle::generate(opt);
  if (isatty(STDERR_FILENO)) fmt::print(stderr, "\r{:60}\r", "");

  int covered = 0;
  std::vector<const oracle::CoverageRow*> missing;
  for (const auto& r : set.coverage) {
    if (!r.case_id.empty()) ++covered;
    else missing.push_back(&r);
  }
  // With -o the files are written as a whole (scn::publish_dir): an interrupted
  // or failed run leaves the directory as it was, with no partial set.
  std::vector<std::pair<std::string, std::string>> files;
  auto write_file = [&](const std::string& name, const std::string& text) { files.emplace_back(name, text); };
  oracle::AtfOutput atf;
  if (format == "scenario") {
    if (outdir.empty()) {
      for (const auto& c : set.cases) std::cout << oracle::case_scenario(set, c, semantics) << "\n";
    } else {
      for (const auto& c : set.cases) write_file(c.id + ".scn", oracle::case_scenario(set, c, semantics));
      write_file("COVERAGE.md", oracle::coverage_markdown(set, semantics));
    }
  } else if (format == "json") {
    const std::string text = ptm::json_text(oracle::to_json(set, semantics)) + "\n";
    if (outdir.empty()) std::cout << text;
    else write_file("oracle.json", text);
  } else if (format == "atf-c") {
    atf = oracle::to_atf(set, semantics);
    if (outdir.empty()) {
      std::cout << atf.source;
    } else {
      write_file("ptrace_oracle_test.c", atf.source);
      write_file("Kyuafile", atf.kyuafile);
      write_file("Makefile", atf.makefile);
      write_file("COVERAGE.md", oracle::coverage_markdown(set, semantics));
    }
  } else {
    throw scn::InputError(fmt::format("--format {}: expected scenario, json or atf-c", format));
  }
  if (outdir.empty()) return 0;  // the output went to stdout
  scn::publish_dir(outdir, files,
                   fmt::format("ptmodel oracle{} --procs {} --max-depth {} --format {}", scn::semantics_flag(semantics),
                               opt.procs, opt.max_depth, format));

  if (json) {
    nlohmann::json j = {{"semantics", semantics},
                        {"procs", opt.procs},
                        {"format", format},
                        {"directory", outdir},
                        {"cases", set.cases.size()},
                        {"covered", covered},
                        {"total", set.coverage.size()},
                        {"search_complete", set.search.complete},
                        {"states", set.search.states}};
    for (const auto* r : missing) j["not_covered"].push_back({{"label", r->label}, {"reason", r->reason}});
    if (format == "atf-c") {
      j["atf_test_cases"] = atf.emitted;
      for (const auto& [id, why] : atf.skipped) j["atf_skipped"].push_back({{"case", id}, {"reason", why}});
    }
    std::cout << ptm::json_text(j) << "\n";
    return 0;
  }
  fmt::print("ptmodel oracle: semantics {}, {} processes, {} cases written to {}/ as {}\n", semantics, opt.procs,
             set.cases.size(), outdir, format);
  fmt::print("search: {} states, {} steps deep{}\n", set.search.states, set.search.depth,
             set.search.complete ? " (every reachable state)" : fmt::format(" (bounded by {})", set.search.stopped_by));
  fmt::print("covered: {} of {} (operation, check) and (operation, outcome kind) pairs; {} effect branches\n", covered,
             set.coverage.size(), set.effects.size());
  if (format == "atf-c")
    fmt::print("ATF-C: {} test cases; {} cases are not user-space tests (listed at the end of the source)\n",
               atf.emitted, atf.skipped.size());
  if (!missing.empty()) {
    fmt::print("\nnot covered:\n");
    for (const auto* r : missing) fmt::print("  {:<52} {}\n", r->label, r->reason);
  }
  fmt::print("\nthe table: {}/COVERAGE.md\n", outdir);
  return 0;
}

}  // namespace ptm::cli
