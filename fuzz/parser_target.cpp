// Fuzz target 1: the scenario parser and runner. Any input either parses or is
// refused with an InputError carrying `file:line: message`; what parses (up to
// 300 lines) is run on the model and the impl in lockstep, where `expect` facts
// and expectations are evaluated: it passes, fails an expectation, or is
// refused with `file:line:`. Anything else (another exception, model and impl
// diverging, a crash, a sanitizer report, a hang) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "scn/run.hpp"
#include "scn/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto sc = ptm::scn::parse("fuzz.scn", text);
    if (sc.lines.empty()) std::abort();  // an empty scenario must be refused
    if (sc.procs < ptm::scn::kMinProcs || sc.procs > ptm::scn::kMaxProcs) std::abort();
    if (sc.lines.size() <= 300) {
      std::ostringstream sink;
      auto r = ptm::scn::run_scenario(sc, sink, {.quiet = true, .keep_records = false});
      if (r.divergence) {
        std::fprintf(stderr, "model and impl diverge at line %d:\n%s", r.divergence, sink.str().c_str());
        std::abort();
      }
    }
  } catch (const ptm::scn::InputError& e) {
    const std::string m = e.what();
    if (m.rfind("fuzz.scn:", 0) != 0) {  // every refusal names the file and line
      std::fprintf(stderr, "an error without file:line: %s\n", m.c_str());
      std::abort();
    }
  }
  return 0;
}
