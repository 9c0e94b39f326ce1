// A second solver agrees: a sample of the proof obligations (every property
// and invariant for PT_ATTACH, PT_DETACH and wait, at N = 4) is written as
// SMT-LIB2 and re-checked with Debian's cvc5, which must give the same
// verdict as Z3 (unsat = proved, sat = counterexample to induction).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "proofs/verify.hpp"

using namespace ptm;
using namespace ptm::proofs;

namespace {
std::string run(const std::string& cmd) {
  std::array<char, 256> buf;
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return "(could not run)";
  while (fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  return out;
}
}  // namespace

int main() {
  if (run("command -v cvc5").empty()) {
    std::printf("FAIL: cvc5 is not installed (third_party/install-deps.sh installs it)\n");
    return 1;
  }
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/smt2";
  std::filesystem::create_directories(dir);
  int checked = 0, disagree = 0, proved = 0, cti = 0;
  for (const auto& [op, name] : all_operations()) {
    if (name != "PT_ATTACH" && name != "PT_DETACH" && name != "wait") continue;
    for (const auto& r : prove_seed_operation<4>(op, name, [](const Obligation&) { return true; }, 20000, dir)) {
      if (r.verdict == UNKNOWN) continue;
      std::string file = dir + "/" + name + "--" + r.ob.property + ".smt2";
      std::string out = run("cvc5 --tlimit=60000 '" + file + "' 2>/dev/null");
      std::string want = r.verdict == PROVED ? "unsat" : "sat";
      std::string got = out.substr(0, out.find('\n'));
      ++checked;
      (r.verdict == PROVED ? proved : cti)++;
      if (got != want) {
        ++disagree;
        std::printf("DISAGREE %s / %s: Z3 %s, cvc5 %s\n", name.c_str(), r.ob.property.c_str(), want.c_str(), got.c_str());
      }
    }
  }
  std::printf("cvc5 re-checked %d obligations (%d proved, %d counterexamples): %d disagreements\n", checked, proved, cti,
              disagree);
  return checked >= 50 && disagree == 0 ? 0 : 1;
}
