// bazel run //props:hunt -- --semantics seed [--property P] [--sequences N] [-o DIR]
// (also `ptmodel hunt`): search for sequences that break each property, and
// print each as a shrunk, replayable scenario.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "props/hunt.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Hunt for operation sequences that break the model's properties"};
  ptm::props::HuntOptions opt;
  std::string semantics = "seed", outdir;
  app.add_option("--semantics", semantics, "the semantics to hunt in (only `seed` exists so far)");
  app.add_option("--property", opt.property, "one property (default: every one)");
  app.add_option("--sequences", opt.sequences, "random sequences tried per property")->check(CLI::PositiveNumber);
  app.add_option("--seed", opt.seed, "RapidCheck seed");
  app.add_option("-o,--out", outdir, "also write each finding to DIR/<PROPERTY>.scn");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (semantics != "seed") {
    std::cerr << "hunt: unknown semantics `" << semantics << "` (known: seed)\n";
    return 2;
  }
  bool known = opt.property.empty();
  ptm::hana::for_each(ptm::kProperties, [&](auto t) { known = known || decltype(t)::type::id == opt.property; });
  if (!known) {
    std::cerr << "hunt: unknown property `" << opt.property << "` (see `ptmodel properties`)\n";
    return 2;
  }
  if (const char* wd = std::getenv("BUILD_WORKING_DIRECTORY"); wd && !outdir.empty() && outdir[0] != '/')
    outdir = std::string(wd) + "/" + outdir;
  auto findings = ptm::props::hunt(opt);
  int found = 0, bad = 0;
  for (const auto& f : findings) {
    if (!f.found) {
      std::cout << fmt::format("{:<20} not broken in {} sequences\n", f.property, opt.sequences);
      continue;
    }
    ++found;
    bad += !f.replays;
    std::cout << fmt::format("{:<20} BROKEN; the shrunk sequence{}:\n\n{}\n", f.property,
                             f.replays ? " (replays on model and impl)" : " (DOES NOT REPLAY: see below)", f.scenario);
    if (!f.replays) std::cout << f.replay_report << "\n";
    if (!outdir.empty()) {
      std::filesystem::create_directories(outdir);
      std::ofstream(outdir + "/" + f.property + ".scn") << f.scenario;
    }
  }
  std::cout << fmt::format("hunt: {} of {} properties broken in the seed semantics\n", found, findings.size());
  return bad ? 2 : found ? 1 : 0;
}
