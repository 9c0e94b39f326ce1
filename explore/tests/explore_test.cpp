// The explorer against a naive reference search, its symmetry reduction against
// the rules, its encoding against the states, and its traces against the
// violations they are meant to show.
#include <gtest/gtest.h>

#include <cstdlib>
#include <rapidcheck.h>

#include <deque>
#include <set>
#include <vector>

#include "explore/explorer.hpp"

namespace ptm::explore {
namespace {

template <int N>
using Leaves = std::array<std::int64_t, leaf_count<State<C, N>>()>;

// The naive reference: breadth-first over whole states (every field, no
// encoding, no sharding, one thread), with an optional renaming applied to
// each successor. Returns the number of states first reached at each depth.
template <int N>
std::vector<long> naive_levels(Reduction r, int max_depth) {
  std::set<Leaves<N>> seen;
  std::vector<State<C, N>> frontier{canonical<N>(initial_state<C, N>(), r)};
  seen.insert(leaves(frontier[0]));
  std::vector<long> levels{1};
  for (int d = 0; d < max_depth && !frontier.empty(); ++d) {
    std::vector<State<C, N>> next;
    for (const auto& s : frontier)
      for (const auto& [op, a] : alphabet<N>(s)) {
        auto st = concrete_step<N>(s, op, a);
        if (st.out.kind != K_OK) continue;
        auto c = canonical<N>(st.next, r);
        if (seen.insert(leaves(c)).second) next.push_back(c);
      }
    if (!next.empty()) levels.push_back(static_cast<long>(next.size()));
    frontier = std::move(next);
  }
  return levels;
}

TEST(Explore, CountsEqualTheNaiveSearchWithoutReduction) {
  Options opt;
  opt.reduction = Reduction::none;
  opt.max_depth = 9;
  auto r = explore(3, opt);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.stopped_by, "max-depth");
  EXPECT_EQ(r.per_level, naive_levels<3>(Reduction::none, 9));
  EXPECT_GT(r.states, 1000);
}

// Under the sanitizers (.bazelrc's `sanitize` config sets PTMODEL_SANITIZED)
// the whole-space searches of 3 processes below stop at depth 11, to keep
// CI's sanitized run short (the first 11 levels hold about a quarter of the
// space's time; the seed's violations at 3 processes are all found within 5
// steps). The plain run searches the whole space.
bool sanitized() { return std::getenv("PTMODEL_SANITIZED") != nullptr; }
Options bounded_under_sanitizers() {
  Options opt;
  if (sanitized()) opt.max_depth = 11;
  return opt;
}

TEST(Explore, CountsEqualTheNaiveSearchWithReductionOverTheWholeSpace) {
  const Options opt = bounded_under_sanitizers();
  auto r = explore(3, opt);
  ASSERT_TRUE(sanitized() || r.complete);
  auto naive = naive_levels<3>(Reduction::full, sanitized() ? opt.max_depth : 1000);
  EXPECT_EQ(r.per_level, naive);
  long total = 0;
  for (long x : naive) total += x;
  EXPECT_EQ(r.states, total);
}

TEST(Explore, TheReductionMakesTheSpaceSmaller) {
  // To the same depth, the raw space is larger than its quotient.
  Options raw, red;
  raw.reduction = Reduction::none;
  raw.max_depth = red.max_depth = 9;
  auto a = explore(3, raw);
  auto b = explore(3, red);
  EXPECT_LT(b.states, a.states);
}

// To depth 11 (plain and sanitized): the two searches' levels, transitions and
// violations agree level by level, so the whole space adds time, not evidence
// (the whole-space counts are CountsEqualTheNaiveSearch...'s).
Options to_depth_11() {
  Options opt;
  opt.max_depth = 11;
  return opt;
}

TEST(Explore, OneThreadAndTwoGiveTheSameResult) {
  Options one = to_depth_11(), two = to_depth_11();
  one.threads = 1;
  two.threads = 2;
  auto a = explore(3, one);
  auto b = explore(3, two);
  EXPECT_EQ(a.per_level, b.per_level);
  EXPECT_EQ(a.transitions, b.transitions);
  ASSERT_EQ(a.violations.size(), b.violations.size());
  for (std::size_t i = 0; i < a.violations.size(); ++i) {
    EXPECT_EQ(a.violations[i].property, b.violations[i].property);
    ASSERT_EQ(a.violations[i].trace.size(), b.violations[i].trace.size());
    for (std::size_t k = 0; k < a.violations[i].trace.size(); ++k)
      EXPECT_EQ(leaves(a.violations[i].trace[k].second), leaves(b.violations[i].trace[k].second));
  }
}

TEST(Explore, EveryViolationTraceReplaysToItsViolation) {
  Options opt = to_depth_11();  // the seed's violations at 3 processes are all within 5 steps
  auto r = explore(3, opt);
  ASSERT_FALSE(r.violations.empty());
  for (const auto& v : r.violations) {
    SCOPED_TRACE(v.property);
    EXPECT_EQ(static_cast<int>(v.trace.size()), v.depth);
    auto s = initial_state<C, 3>();
    for (std::size_t k = 0; k < v.trace.size(); ++k) {
      const auto& [op, a] = v.trace[k];
      auto st = concrete_step<3>(s, op, a);
      if (k + 1 < v.trace.size()) {
        ASSERT_EQ(st.out.kind, K_OK) << "step " << k;
      } else {
        bool broken = false;
        StepCtx<C, 3> ctx{s, op, a, st.out, st.next};
        for_each_property<C, 3>(ctx, [&](std::string_view id, auto, bool h) { broken = broken || (!h && id == v.property); });
        EXPECT_TRUE(broken);
      }
      s = st.next;
    }
  }
}

TEST(Explore, LimitsMakeAResultPartial) {
  Options opt;
  opt.max_states = 2000;
  auto r = explore(3, opt);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.stopped_by, "max-states");
  opt.max_states = 50'000'000;
  opt.max_memory_gib = 1e-6;
  r = explore(3, opt);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.stopped_by, "max-memory");
}

// A random reachable state of a table of N: a walk over the alphabet, each
// step drawn from the operations that succeed (so every step moves).
// The oracle's alphabet, the larger one, so jail() and the set-id calls are in.
template <int N>
State<C, N> random_state(int steps) {
  auto s = initial_state<C, N>();
  for (int i = 0; i < steps; ++i) {
    std::vector<State<C, N>> next;
    for (const auto& [op, a] : alphabet<N>(s, Alphabet::oracle)) {
      auto st = concrete_step<N>(s, op, a);
      if (st.out.kind == K_OK && leaves(st.next) != leaves(s)) next.push_back(st.next);
    }
    if (next.empty()) break;
    s = next[*rc::gen::inRange<std::size_t>(0, next.size())];
  }
  return s;
}

template <int N>
void codec_round_trips() {
  Codec<N> codec;
  const auto s = random_state<N>(*rc::gen::inRange(0, 60));
  Encoded<N> e;
  codec.encode(s, e);
  RC_ASSERT(leaves(codec.decode(e.bytes.data(), e.size)) == leaves(s));
}

TEST(Explore, EncodingRoundTrips) {
  EXPECT_TRUE(rc::check("N=3", [] { codec_round_trips<3>(); }));
  EXPECT_TRUE(rc::check("N=5", [] { codec_round_trips<5>(); }));
}

// The reduction is sound only if renaming commutes with the rules: from a
// state and from its canonical form, the same canonical successors, the same
// properties broken, and free slots are always blank.
template <int N>
void renaming_commutes() {
  const auto s = random_state<N>(*rc::gen::inRange(0, 40));
  const auto c = canonical<N>(s, Reduction::full);
  RC_ASSERT(leaves(canonical<N>(c, Reduction::full)) == leaves(c));
  for (const auto& p : s.procs)
    if (p.p_state == PRS_FREE) RC_ASSERT(leaves(p) == leaves(empty_proc<C>()));
  auto successors = [](const State<C, N>& x) {
    std::set<Leaves<N>> next;
    std::multiset<std::string> broken;
    std::multiset<std::pair<int, int>> outcomes;
    for (const auto& [op, a] : alphabet<N>(x, Alphabet::oracle)) {
      auto st = concrete_step<N>(x, op, a);
      outcomes.insert({static_cast<int>(st.out.kind), static_cast<int>(st.out.check)});
      StepCtx<C, N> ctx{x, op, a, st.out, st.next};
      for_each_property<C, N>(ctx, [&](std::string_view id, auto, bool h) {
        if (!h) broken.emplace(id);
      });
      if (st.out.kind == K_OK) next.insert(leaves(canonical<N>(st.next, Reduction::full)));
    }
    return std::tuple{next, broken, outcomes};
  };
  RC_ASSERT(successors(s) == successors(c));
}

TEST(Explore, RenamingCommutesWithTheRules) {
  EXPECT_TRUE(rc::check("N=4", [] { renaming_commutes<4>(); }));
  EXPECT_TRUE(rc::check("N=5", [] { renaming_commutes<5>(); }));
}

}  // namespace
}  // namespace ptm::explore
