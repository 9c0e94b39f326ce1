// verify's two engines against each other under every shipped semantics: the
// seed, modern and the seed with each delta. Under each, an eighth of the
// operations (a different eighth per semantics, so that together they cover
// every one) has all its obligations proved for a table of any size and at
// every N = 2..4. An
// obligation proved for every N must have no counterexample to induction at
// any of those N, and the initial state proved to keep a property for every N
// must keep it at each (verify's cross-check, docs/proofs.md). Each verdict is
// one of the kinds the report prints.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "model/deltas/all.hpp"
#include "proofs/verify.hpp"

namespace ptm::proofs {
namespace {

std::vector<std::pair<std::string, SemanticsMask>> shipped() {
  std::vector<std::pair<std::string, SemanticsMask>> out = {{"seed", 0}, {"modern", kModern}};
  for (int d = 0; d < D_COUNT; ++d) out.push_back({"seed+" + std::string(kDeltas[d].name), SemanticsMask{1} << d});
  return out;
}

TEST(CrossSemantics, ProofsForEveryNAgreeWithTheBoundedProofsUnderEverySemantics) {
  const auto sems = shipped();
  ASSERT_EQ(sems.size(), static_cast<std::size_t>(D_COUNT) + 2);
  ASSERT_GE(sems.size(), 8u);  // every eighth of the operations under some semantics
  // The sanitized suite runs the seed and modern only (its subject is the
  // memory of this process; the plain suite covers every semantics).
  const std::size_t count = std::getenv("PTMODEL_SANITIZED") ? 2 : sems.size();
  int shard = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& [name, mask] = sems[i];
    SemanticsScope scope(mask);
    VerifyOptions o;
    o.procs = 4;
    o.budget_seconds = 0;  // no witness search: the proofs only
    o.shard_operations = true;  // whole operations: each one's step is built once, whatever it keeps
    o.shards = 8;
    o.shard = shard++ % 8;
    const VerifyReport rep = verify(o);
    std::size_t every_n_proved = 0, bounded = 0;
    for (const auto& r : rep.every_n) every_n_proved += r.verdict == PROVED;
    for (const auto& [n, rs] : rep.results) bounded += rs.size();
    EXPECT_GT(every_n_proved, 0u) << name;
    EXPECT_GT(bounded, 0u) << name;
    EXPECT_GT(rep.cross_checked, 0) << name;
    for (const auto& d : rep.disagreements) ADD_FAILURE() << name << ": " << d;
    // Every property has a verdict, for every N or at each N = 2..4 (its column per size).
    for (const auto& v : rep.verdicts) {
      if (v.invariant) continue;
      EXPECT_EQ(v.at.size(), 3u) << name << " " << v.id;
      EXPECT_TRUE(v.every_n.run) << name << " " << v.id;
    }
  }
}

}  // namespace
}  // namespace ptm::proofs
