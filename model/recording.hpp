// The recording domain: the concrete domain plus a log of every check a
// decision evaluated, in order, with its value. `ptmodel explain` and the tests
// run the same rules in it.
#pragma once

#include <vector>

#include "model/step.hpp"

namespace ptm {

struct Recording : Concrete {
  struct Entry {
    int check;
    bool fired;    // its test held
    bool removed;  // taken out (a run-time edit or a mutant): the rules went on
  };
  static inline std::vector<Entry> log;
  static bool observe(const CheckInfo& c, bool fired) {
    const bool removed = check_removed(c.index);
    log.push_back({c.index, fired, removed});
    return fired && !removed;
  }
};

// A value of one domain rebuilt in another with the same value types, field by field.
template <class To, class From>
To convert(const From& v) {
  if constexpr (hana::Struct<From>::value) {
    To out{};
    hana::for_each(hana::keys(v), [&](auto key) {
      using Field = std::decay_t<decltype(hana::at_key(out, key))>;
      hana::at_key(out, key) = convert<Field>(hana::at_key(v, key));
    });
    return out;
  } else if constexpr (requires { std::tuple_size<From>::value; }) {
    To out{};
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = convert<typename To::value_type>(v[i]);
    return out;
  } else {
    return static_cast<To>(v);
  }
}

// The checks `op` evaluates from `s`, in order, and the step's result.
template <int N>
std::pair<std::vector<Recording::Entry>, Step<Concrete, State<Concrete, N>>> record_step(const State<Concrete, N>& s,
                                                                                       const Op& op,
                                                                                       const Args<Concrete>& a) {
  Recording::log.clear();
  auto st = step<Recording, N>(convert<State<Recording, N>>(s), op, convert<Args<Recording>>(a));
  auto log = Recording::log;
  Recording::log.clear();
  return {log, convert<Step<Concrete, State<Concrete, N>>>(st)};
}

}  // namespace ptm
