#include "proofs/goal_search.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace ptm::proofs {

GoalSearch goal_leg_at(int n, explore::Alphabet alpha, const GoalLimits& lim,
                       const std::vector<std::vector<int>>& mutants) {
  switch (n) {
    case 2: return goal_leg<2>(alpha, lim, mutants);
    case 3: return goal_leg<3>(alpha, lim, mutants);
    case 4: return goal_leg<4>(alpha, lim, mutants);
    case 5: return goal_leg<5>(alpha, lim, mutants);
    case 6: return goal_leg<6>(alpha, lim, mutants);
  }
  throw std::invalid_argument("table size must be 2..6");
}

GoalSearch search_goals(const std::vector<std::vector<int>>& mutants, const GoalLimits& lim, int threads) {
  // The legs, largest first so that the two threads finish together.
  std::vector<std::pair<explore::Alphabet, int>> legs;
  for (int n = lim.complete_procs; n >= 2; --n) legs.emplace_back(explore::Alphabet::complete, n);
  for (int n = lim.search_procs; n >= 2; --n) legs.emplace_back(explore::Alphabet::search, n);
  std::sort(legs.begin(), legs.end(), [](const auto& a, const auto& b) {
    auto weight = [](const auto& l) { return l.second + (l.first == explore::Alphabet::complete ? 2 : 0); };
    return weight(a) > weight(b);
  });
  GoalSearch out;
  out.mutants.resize(mutants.size());
  for (std::size_t m = 0; m < mutants.size(); ++m) out.mutants[m].removed = mutants[m];
  std::mutex mu;
  std::size_t next = 0;
  std::exception_ptr error;
  auto merge = [&](GoalSearch&& g) {
    for (auto& [c, h] : g.seed) goal_detail::keep(out.seed, c, std::move(h));
    for (std::size_t m = 0; m < mutants.size(); ++m) {
      for (auto& [c, h] : g.mutants[m].reached) goal_detail::keep(out.mutants[m].reached, c, std::move(h));
      out.mutants[m].states += g.mutants[m].states;
      out.mutants[m].budget_hit = out.mutants[m].budget_hit || g.mutants[m].budget_hit;
    }
    for (const auto& [c, by] : g.takeover)
      for (const auto& [k, n] : by) out.takeover[c][k] += n;
    out.legs.insert(out.legs.end(), g.legs.begin(), g.legs.end());
  };
  auto worker = [&] {
    for (;;) {
      std::pair<explore::Alphabet, int> leg;
      {
        std::lock_guard<std::mutex> g(mu);
        if (next >= legs.size() || error) return;
        leg = legs[next++];
      }
      try {
        GoalSearch g = goal_leg_at(leg.second, leg.first, lim, mutants);
        std::lock_guard<std::mutex> lock(mu);
        merge(std::move(g));
      } catch (...) {
        std::lock_guard<std::mutex> g(mu);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  std::sort(out.legs.begin(), out.legs.end(), [](const SearchLeg& a, const SearchLeg& b) {
    return std::make_pair(a.alphabet != "search", a.procs) < std::make_pair(b.alphabet != "search", b.procs);
  });
  return out;
}

}  // namespace ptm::proofs
