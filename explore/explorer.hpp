// `ptmodel explore`: an exhaustive breadth-first search of the states a table of
// N processes can reach from boot, over the alphabet of explore/alphabet.hpp,
// on the concrete model. Every transition is checked against every property
// not yet violated; the first violation of each is kept with its depth, so its
// trace is a shortest one.
//
// Storage: visited states in 256 shards, each an append-only byte arena of
// encoded states (explore/codec.hpp), an open-addressing table of indices, and
// a parent index per state (traces are rebuilt from these). A BFS level is
// processed in batches: the threads expand disjoint, contiguous parts of a
// batch (step, properties, canonical form, encoding), then insert the
// successors shard by shard, each thread owning a fixed set of shards, in the
// batch's order. The result (states, their order, every trace) is therefore the
// same for any number of threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "explore/alphabet.hpp"
#include "explore/canonical.hpp"
#include "explore/codec.hpp"
#include "model/properties.hpp"

namespace ptm::explore {

using Trace = std::vector<std::pair<Op, Args<C>>>;

struct Options {
  Reduction reduction = Reduction::full;
  Alphabet alphabet = Alphabet::search;  // the oracle's adds error paths and settings
  long max_states = 50'000'000;           // stored states; reaching it makes the result partial
  double max_memory_gib = 16;             // the visited set and queues; reaching it makes the result partial
  int max_depth = -1;                     // -1: no bound
  int threads = 2;
  // With a labeler: do not go on from a step that has a label (`ptmodel diff`
  // labels the steps where two semantics differ and searches only along
  // steps where they agree).
  bool stop_at_labels = false;
  // With a labeler: stop as soon as every label marked here has been found
  // (stopped_by "labelled"). The traces found stay shortest: the search is
  // breadth-first, so a label first found in the level where it stops has
  // that level's length. Empty: explore on.
  std::vector<char> wanted_labels;
  double max_seconds = 0;  // > 0: stop (partial, "time") after this long
  std::function<void(const struct Progress&)> progress;  // called between batches
};

struct Progress {
  long states = 0, transitions = 0, queue = 0;
  int depth = 0;
  double seconds = 0, memory_bytes = 0;
};

struct Violation {
  std::string property;
  int depth = 0;       // steps from boot to the violating step (inclusive)
  Trace trace;         // a shortest trace; its last step violates the property
};

struct Result {
  int procs = 0;
  Reduction reduction = Reduction::full;
  long states = 0;           // distinct (canonical) states stored
  long transitions = 0;      // steps taken (every operation of the alphabet in every state)
  long ok_transitions = 0;   // steps that succeeded (and so may lead to another state)
  int depth = 0;             // levels completed: every state within this many steps was expanded
  std::vector<long> per_level;  // states first reached at each depth
  bool complete = false;     // the whole reachable space was explored
  std::string stopped_by;    // why not complete: "max-states", "max-memory", "max-depth", "time", "labelled"
  double seconds = 0;
  double memory_bytes = 0;   // visited set and queues at the end
  double encoded_bytes = 0;  // the encodings alone
  std::vector<Violation> violations;  // in kProperties order, violated ones only
  std::vector<std::string> properties;  // every property id, in order
  int threads = 1;
};

namespace detail {

inline std::uint64_t hash_bytes(const std::uint8_t* p, int n) {
  std::uint64_t h = 0x243f6a8885a308d3ull ^ static_cast<std::uint64_t>(n);
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p, static_cast<std::size_t>(n));
  h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
  h ^= h >> 31;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 32);
}

inline constexpr int kShardBits = 8;
inline constexpr int kShards = 1 << kShardBits;

// One shard of the visited set. Ids are (index << kShardBits) | shard.
struct Shard {
  std::vector<std::uint8_t> arena;
  std::vector<std::uint64_t> offset{0};  // offset[i]..offset[i+1] is state i's encoding
  std::vector<std::uint64_t> parent;     // the id of the state it was first reached from
  std::vector<std::uint64_t> table;      // (hash high 32 bits << 32) | (index + 1); 0 empty
  std::size_t used = 0;

  std::size_t size() const { return parent.size(); }
  double bytes() const {
    return static_cast<double>(arena.capacity() + 8 * (offset.capacity() + parent.capacity() + table.capacity()));
  }

  // Inserts if absent; returns the index and whether it was new.
  std::pair<std::uint64_t, bool> insert(const std::uint8_t* e, int n, std::uint64_t h, std::uint64_t par) {
    if (2 * (used + 1) > table.size()) grow();
    const std::uint64_t tag = h & 0xffffffff00000000ull;
    std::size_t mask = table.size() - 1;
    for (std::size_t i = (h >> kShardBits) & mask;; i = (i + 1) & mask) {
      const std::uint64_t t = table[i];
      if (t == 0) {
        const std::uint64_t idx = size();
        table[i] = tag | (idx + 1);
        ++used;
        arena.insert(arena.end(), e, e + n);
        offset.push_back(arena.size());
        parent.push_back(par);
        return {idx, true};
      }
      if ((t & 0xffffffff00000000ull) != tag) continue;
      const std::uint64_t idx = (t & 0xffffffffull) - 1;
      if (static_cast<int>(offset[idx + 1] - offset[idx]) == n && std::memcmp(&arena[offset[idx]], e, n) == 0)
        return {idx, false};
    }
  }

  void grow() {
    std::vector<std::uint64_t> old(std::max<std::size_t>(64, table.size() * 2), 0);
    old.swap(table);
    const std::size_t mask = table.size() - 1;
    for (std::uint64_t t : old) {
      if (!t) continue;
      const std::uint64_t idx = (t & 0xffffffffull) - 1;
      const std::uint64_t h = hash_bytes(&arena[offset[idx]], static_cast<int>(offset[idx + 1] - offset[idx]));
      std::size_t i = (h >> kShardBits) & mask;
      while (table[i]) i = (i + 1) & mask;
      table[i] = t;
    }
  }
};

}  // namespace detail

// A search goal besides the properties: labels for a step (the oracle labels
// each step with its request and the check or effect branch that decided it).
// The explorer keeps, per label, the first step in breadth-first order.
template <int N>
using Labeler = std::function<void(const StepCtx<C, N>&, std::vector<int>&)>;

struct Labelled {
  int label = 0;
  int depth = 0;
  Trace trace;  // a shortest trace; its last step has the label
};

template <int N>
class Explorer {
 public:
  // With a labeler, labels are ints in 0..label_space-1.
  explicit Explorer(const Options& opt, Labeler<N> labeler = {}, int label_space = 0)
      : opt_(opt), labeler_(std::move(labeler)), labels_found_(label_space), shards_(detail::kShards) {}

  // The labelled steps found by the last run(), in order of label.
  std::vector<Labelled> labelled() const {
    std::vector<Labelled> out;
    for (int label = 0; label < static_cast<int>(labels_found_.size()); ++label) {
      if (!labels_found_[label]) continue;
      Violation v = rebuild("", *labels_found_[label], [&](const StepCtx<C, N>& c) {
        std::vector<int> ls;
        labeler_(c, ls);
        return std::find(ls.begin(), ls.end(), label) != ls.end();
      });
      out.push_back(Labelled{label, v.depth, std::move(v.trace)});
    }
    return out;
  }

  Result run() {
    const auto t0 = std::chrono::steady_clock::now();
    Result res;
    res.procs = N;
    res.reduction = opt_.reduction;
    res.threads = std::max(1, opt_.threads);
    hana::for_each(kProperties, [&](auto t) { res.properties.emplace_back(decltype(t)::type::id); });
    found_.assign(res.properties.size(), std::nullopt);

    // The initial state against the state properties (a violation there has an empty trace).
    std::vector<bool> init_broken(res.properties.size(), false);
    {
      int k = 0;
      const auto s0 = initial_state<C, N>();
      hana::for_each(kProperties, [&](auto t) {
        using P = typename decltype(t)::type;
        if constexpr (!P::is_step) init_broken[k] = !P::template holds<C, N>(s0);
        if (init_broken[k]) found_[k] = Found{kNoParent, -1};
        ++k;
      });
    }
    const State<C, N> init = canonical<N>(initial_state<C, N>(), opt_.reduction);
    Encoded<N> e;
    codec_.encode(init, e);
    std::vector<std::uint64_t> frontier{add(e, kNoParent).first};
    res.per_level.push_back(1);
    int depth = 0;
    auto now = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    while (!frontier.empty()) {
      if (opt_.max_depth >= 0 && depth >= opt_.max_depth) {
        res.stopped_by = "max-depth";
        break;
      }
      std::vector<std::uint64_t> next;
      bool stop = false;
      for (std::size_t b = 0; b < frontier.size() && !stop; b += kBatch) {
        const std::size_t e_ = std::min(frontier.size(), b + kBatch);
        try {
          expand_batch(frontier, b, e_, depth, next, res);
        } catch (const std::bad_alloc&) {
          // Out of memory (a ulimit, or --max-memory above what the machine
          // has): the batch's parts are freed on the way out, and what was
          // stored before it is reported as a partial result.
          res.stopped_by = "out-of-memory";
          stop = true;
          break;
        }
        bool all_wanted = !opt_.wanted_labels.empty();
        for (std::size_t l = 0; l < opt_.wanted_labels.size() && all_wanted; ++l)
          all_wanted = !opt_.wanted_labels[l] || (l < labels_found_.size() && labels_found_[l]);
        if (all_wanted) res.stopped_by = "labelled", stop = true;
        else if (opt_.max_seconds > 0 && now() >= opt_.max_seconds) res.stopped_by = "time", stop = true;
        else if (states_ >= opt_.max_states) res.stopped_by = "max-states", stop = true;
        else if (memory() >= opt_.max_memory_gib * 1073741824.0) res.stopped_by = "max-memory", stop = true;
        if (opt_.progress) {
          Progress p;
          p.states = states_;
          p.transitions = res.transitions;
          p.queue = static_cast<long>(frontier.size() - e_ + next.size());
          p.depth = depth;
          p.seconds = now();
          p.memory_bytes = memory();
          opt_.progress(p);
        }
      }
      if (stop) break;
      ++depth;
      res.depth = depth;
      if (!next.empty()) res.per_level.push_back(static_cast<long>(next.size()));
      frontier = std::move(next);
    }
    res.complete = res.stopped_by.empty();
    res.states = states_;
    res.seconds = now();
    res.memory_bytes = memory();
    for (const auto& s : shards_) res.encoded_bytes += static_cast<double>(s.arena.size());
    for (std::size_t i = 0; i < found_.size(); ++i) {
      if (init_broken[i]) res.violations.push_back(Violation{res.properties[i], 0, {}});
      else if (found_[i]) {
        const std::string& prop = res.properties[i];
        res.violations.push_back(rebuild(prop, *found_[i], [&](const StepCtx<C, N>& c) {
          bool broken = false;
          for_each_property<C, N>(c, [&](std::string_view id, auto, bool holds) { broken = broken || (!holds && id == prop); });
          return broken;
        }));
      }
    }
    return res;
  }

 private:
  static constexpr std::uint64_t kNoParent = ~std::uint64_t{0};
  static constexpr std::size_t kBatch = 1 << 14;

  struct Found {
    std::uint64_t from;  // the state the violating step starts from
    int depth;           // its depth
  };
  struct Candidate {
    std::uint64_t hash, parent;
    std::uint32_t at, size;  // in the part's byte buffer
  };
  struct Part {
    std::vector<std::uint64_t> first_label;  // per label: the state its first step starts from (or kNoParent)
    std::vector<std::uint8_t> bytes;
    std::vector<Candidate> cands;
    std::vector<std::optional<std::uint64_t>> first_violation;  // per property: the state it was found from
    long transitions = 0, ok = 0;
  };

  std::pair<std::uint64_t, bool> add(const Encoded<N>& e, std::uint64_t parent) {
    const std::uint64_t h = detail::hash_bytes(e.bytes.data(), e.size);
    auto& sh = shards_[h & (detail::kShards - 1)];
    auto [idx, fresh] = sh.insert(e.bytes.data(), e.size, h, parent);
    if (fresh) ++states_;
    return {(idx << detail::kShardBits) | (h & (detail::kShards - 1)), fresh};
  }

  State<C, N> state_of(std::uint64_t id) const {
    const auto& sh = shards_[id & (detail::kShards - 1)];
    const std::uint64_t idx = id >> detail::kShardBits;
    return codec_.decode(&sh.arena[sh.offset[idx]], static_cast<int>(sh.offset[idx + 1] - sh.offset[idx]));
  }
  std::uint64_t parent_of(std::uint64_t id) const {
    return shards_[id & (detail::kShards - 1)].parent[id >> detail::kShardBits];
  }

  double memory() const {
    double m = 0;
    for (const auto& s : shards_) m += s.bytes();
    return m + 16.0 * static_cast<double>(states_ / 8);  // the frontiers (ids), roughly
  }

  // Evaluates the properties not yet violated on one step; f(property index) for each that fails.
  template <class F>
  void check_properties(const StepCtx<C, N>& c, F&& f) const {
    int i = 0;
    hana::for_each(kProperties, [&](auto t) {
      using P = typename decltype(t)::type;
      const int k = i++;
      if (found_[k]) return;
      bool holds;
      if constexpr (P::is_step) holds = P::template holds<C, N>(c);
      else holds = P::template holds<C, N>(c.post);
      if (!holds) f(k);
    });
  }

  void expand_part(const std::vector<std::uint64_t>& frontier, std::size_t b, std::size_t e, Part& part) const {
    part.first_violation.assign(found_.size(), std::nullopt);
    std::vector<int> labels;
    part.first_label.assign(labels_found_.size(), kNoParent);
    Encoded<N> enc;
    for (std::size_t i = b; i < e; ++i) {
      const std::uint64_t id = frontier[i];
      const State<C, N> s = state_of(id);
      for (const auto& [op, a] : alphabet<N>(s, opt_.alphabet)) {
        auto st = concrete_step<N>(s, op, a);
        ++part.transitions;
        StepCtx<C, N> ctx{s, op, a, st.out, st.next};
        check_properties(ctx, [&](int k) {
          if (!part.first_violation[k]) part.first_violation[k] = id;
        });
        if (labeler_) {
          labels.clear();
          labeler_(ctx, labels);
          for (int l : labels)
            if (!labels_found_[l] && part.first_label[l] == kNoParent) part.first_label[l] = id;
          if (opt_.stop_at_labels && !labels.empty()) continue;
        }
        if (st.out.kind != K_OK) continue;  // errors, blocks, hangs and faults change nothing
        ++part.ok;
        codec_.encode(canonical<N>(st.next, opt_.reduction), enc);
        Candidate c;
        c.hash = detail::hash_bytes(enc.bytes.data(), enc.size);
        c.parent = id;
        c.at = static_cast<std::uint32_t>(part.bytes.size());
        c.size = static_cast<std::uint32_t>(enc.size);
        part.bytes.insert(part.bytes.end(), enc.bytes.begin(), enc.bytes.begin() + enc.size);
        part.cands.push_back(c);
      }
    }
  }

  void expand_batch(const std::vector<std::uint64_t>& frontier, std::size_t b, std::size_t e, int depth,
                    std::vector<std::uint64_t>& next, Result& res) {
    const int T = std::max(1, opt_.threads);
    std::vector<Part> parts(T);
    const std::size_t n = e - b;
    auto range = [&](int t) { return std::pair{b + n * t / T, b + n * (t + 1) / T}; };
    run_threads(T, [&](int t) {
      auto [lo, hi] = range(t);
      expand_part(frontier, lo, hi, parts[t]);
    });
    // Violations: the first in batch order, for properties not violated before.
    for (std::size_t k = 0; k < found_.size(); ++k) {
      if (found_[k]) continue;
      for (const auto& p : parts)
        if (p.first_violation[k]) {
          found_[k] = Found{*p.first_violation[k], depth};
          break;
        }
    }
    for (const auto& p : parts)
      for (std::size_t l = 0; l < p.first_label.size(); ++l)
        if (!labels_found_[l] && p.first_label[l] != kNoParent) labels_found_[l] = Found{p.first_label[l], depth};
    // Insertion, shard by shard: thread t owns shards s with s % T == t.
    std::vector<std::vector<std::uint64_t>> fresh_ids(T);
    std::vector<std::vector<char>> fresh(T);
    for (int t = 0; t < T; ++t) {
      fresh_ids[t].assign(parts[t].cands.size(), 0);
      fresh[t].assign(parts[t].cands.size(), 0);
    }
    std::vector<long> added(T, 0);
    // Candidate i of part t into its shard (by worker `me`); whether it was new.
    auto insert = [&](int t, std::size_t i, int me) {
      const Candidate& c = parts[t].cands[i];
      const int shard = static_cast<int>(c.hash & (detail::kShards - 1));
      auto [idx, is_new] = shards_[shard].insert(&parts[t].bytes[c.at], static_cast<int>(c.size), c.hash, c.parent);
      if (!is_new) return false;
      ++added[me];
      fresh[t][i] = 1;
      fresh_ids[t][i] = (idx << detail::kShardBits) | static_cast<std::uint64_t>(shard);
      return true;
    };
    std::size_t total = 0;
    for (const auto& p : parts) total += p.cands.size();
    if (states_ + static_cast<long>(total) > opt_.max_states) {
      // Near --max-states: insert in frontier order (parts are contiguous ranges
      // of it, so the order is the same for any thread count) and stop at the
      // limit exactly, so a bounded run stores max_states states, no more.
      long room = opt_.max_states - states_;
      for (int t = 0; t < T && room > 0; ++t)
        for (std::size_t i = 0; i < parts[t].cands.size() && room > 0; ++i) room -= insert(t, i, 0);
    } else {
      run_threads(T, [&](int me) {
        for (int t = 0; t < T; ++t)
          for (std::size_t i = 0; i < parts[t].cands.size(); ++i)
            if (static_cast<int>(parts[t].cands[i].hash & (detail::kShards - 1)) % T == me) insert(t, i, me);
      });
    }
    for (int t = 0; t < T; ++t) {
      states_ += added[t];
      res.transitions += parts[t].transitions;
      res.ok_transitions += parts[t].ok;
      for (std::size_t i = 0; i < fresh[t].size(); ++i)
        if (fresh[t][i]) next.push_back(fresh_ids[t][i]);
    }
  }

  template <class F>
  static void run_threads(int T, F&& f) {
    if (T == 1) {
      f(0);
      return;
    }
    // An exception in a worker (bad_alloc) is rethrown here, after every
    // worker has stopped, instead of terminating the process.
    std::vector<std::exception_ptr> errors(T);
    std::vector<std::thread> ts;
    for (int t = 1; t < T; ++t)
      ts.emplace_back([&, t] {
        try {
          f(t);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    try {
      f(0);
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& th : ts) th.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  // A concrete trace from boot: follow the stored path of canonical states,
  // and at each step pick the first operation of the alphabet, from the actual
  // (not renamed) state, whose successor has the next canonical form; the last
  // step is the first operation that violates the property.
  template <class Pred>
  Violation rebuild(const std::string& prop, const Found& f, Pred&& last_step) const {
    std::vector<std::uint64_t> path;
    for (std::uint64_t id = f.from; id != kNoParent; id = parent_of(id)) path.push_back(id);
    std::reverse(path.begin(), path.end());
    Violation v;
    v.property = prop;
    v.depth = f.depth + 1;
    State<C, N> s = initial_state<C, N>();
    Encoded<N> want, got;
    for (std::size_t k = 1; k < path.size(); ++k) {
      codec_.encode(state_of(path[k]), want);
      bool moved = false;
      for (const auto& [op, a] : alphabet<N>(s, opt_.alphabet)) {
        auto st = concrete_step<N>(s, op, a);
        if (st.out.kind != K_OK) continue;
        codec_.encode(canonical<N>(st.next, opt_.reduction), got);
        if (got.size != want.size || std::memcmp(got.bytes.data(), want.bytes.data(), got.size) != 0) continue;
        v.trace.emplace_back(op, a);
        s = st.next;
        moved = true;
        break;
      }
      if (!moved) throw std::logic_error("explore: a stored path does not replay (the symmetry reduction is unsound)");
    }
    for (const auto& [op, a] : alphabet<N>(s, opt_.alphabet)) {
      auto st = concrete_step<N>(s, op, a);
      StepCtx<C, N> ctx{s, op, a, st.out, st.next};
      if (last_step(ctx)) {
        v.trace.emplace_back(op, a);
        return v;
      }
    }
    throw std::logic_error("explore: a violation does not replay (the symmetry reduction is unsound)");
  }

  Options opt_;
  Labeler<N> labeler_;
  std::vector<std::optional<Found>> labels_found_;
  Codec<N> codec_;
  std::vector<detail::Shard> shards_;
  std::vector<std::optional<Found>> found_;
  long states_ = 0;
};

// Instantiated for N = 2..5 (explore_n*.cpp).
Result explore(int procs, const Options& opt);

}  // namespace ptm::explore
