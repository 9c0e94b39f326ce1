// Fuzz target 1: the scenario parser. Any input either parses or is refused
// with an InputError carrying `file:line: message`; anything else (another
// exception, a crash, a sanitizer report, a hang) is a finding. What parses
// is written back by nothing: the runner target covers running.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto sc = ptm::scn::parse("fuzz.scn", text);
    if (sc.lines.empty()) std::abort();  // an empty scenario must be refused
    if (sc.procs < ptm::scn::kMinProcs || sc.procs > ptm::scn::kMaxProcs) std::abort();
  } catch (const ptm::scn::InputError& e) {
    const std::string m = e.what();
    if (m.rfind("fuzz.scn:", 0) != 0) {  // every refusal names the file and line
      std::fprintf(stderr, "an error without file:line: %s\n", m.c_str());
      std::abort();
    }
  }
  return 0;
}
