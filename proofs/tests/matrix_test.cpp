// The proof matrix at N = 4 for the seed, sharded over Bazel test shards
// (TEST_TOTAL_SHARDS / TEST_SHARD_INDEX; a plain main, since gtest would shard
// its test cases instead): every obligation of a property the seed keeps, and
// of every auxiliary invariant, must be proved; each property the seed breaks
// (scenarios/findings) must fail induction where the findings say it breaks.
// Unknown is a failure, never a pass.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>

#include "proofs/verify.hpp"

using namespace ptm;
using namespace ptm::proofs;

int main() {
  const char* total = std::getenv("TEST_TOTAL_SHARDS");
  const char* index = std::getenv("TEST_SHARD_INDEX");
  if (const char* f = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream(f) << "";  // this test shards itself
  const int shards = total ? std::atoi(total) : 1, shard = index ? std::atoi(index) : 0;

  // What the seed breaks (each reachable: scenarios/findings), and an operation whose induction fails for it.
  const std::map<std::string, std::string> broken = {
      {"TREE_ACYCLIC", "PT_ATTACH"},  {"OPPID_REAL", "PT_TRACE_ME"},         {"DETACH_RESTORES", "PT_DETACH"},
      {"XSTAT_VALID", "PT_STEP"},     {"ATTACH_STOPS", "PT_ATTACH"},         {"NO_TRACE_OF_EXITING", "PT_ATTACH"},
      {"EXIT_REPORTED_ONCE", "wait"}, {"NO_FAULT", "exit"},       {"WALKS_TERMINATE", "setpgid"}};

  const auto obs = all_obligations();
  std::map<std::pair<std::string, std::string>, int> idx;
  for (std::size_t i = 0; i < obs.size(); ++i) idx[{obs[i].op_name, obs[i].property}] = static_cast<int>(i);
  int ran = 0, failures = 0, ctis = 0;
  for (const auto& [op, name] : all_operations()) {
    auto keep = [&](const Obligation& ob) { return idx.at({ob.op_name, ob.property}) % shards == shard; };
    for (const auto& r : prove_seed_operation<4>(op, name, keep, 20000, "")) {
      ++ran;
      ctis += r.verdict == CTI;
      const bool must_prove = r.ob.invariant || !broken.count(r.ob.property);
      const bool must_fail = !r.ob.invariant && broken.count(r.ob.property) && broken.at(r.ob.property) == name;
      std::string why;
      if (r.verdict == UNKNOWN) why = "unknown (" + r.reason + ")";
      else if (must_prove && r.verdict != PROVED) why = "should be proved; counterexample: " + r.cti;
      else if (must_fail && r.verdict != CTI) why = "should fail induction (the seed breaks it here)";
      if (!why.empty()) {
        ++failures;
        std::printf("FAIL %s / %s: %s\n", name.c_str(), r.ob.property.c_str(), why.c_str());
      }
    }
  }
  std::printf("shard %d of %d: %d obligations, %d counterexamples to induction, %d failures\n", shard, shards, ran,
              ctis, failures);
  return failures == 0 && ran > 0 ? 0 : 1;
}
