// The explorer's compact state encoding. Every scalar field of the state (the
// leaves of the Hana structures, in declaration order) is compared with the
// same field of a free slot (for a process) or of the initial state (for the
// globals); the encoding is, per process and then for the globals, a bit mask of
// the fields that differ followed by those fields' values as zig-zag varints.
// A free slot costs its mask alone; a typical process about ten bytes.
// Exact: decode(encode(s)) == s for every state (tested).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "model/table.hpp"

namespace ptm::explore {

using C = Concrete;

// ---- the leaves of a structure ---------------------------------------------

template <class T>
constexpr int leaf_count() {
  if constexpr (hana::Struct<T>::value) {
    int n = 0;
    hana::for_each(hana::accessors<T>(), [&](auto acc) {
      using F = std::decay_t<decltype(hana::second(acc)(std::declval<T&>()))>;
      n += leaf_count<F>();
    });
    return n;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    return static_cast<int>(std::tuple_size<T>::value) * leaf_count<typename T::value_type>();
  } else {
    return 1;
  }
}

// f(leaf&) for every scalar leaf, in order (const or not).
template <class T, class F>
void for_each_leaf(T& v, F&& f) {
  using U = std::remove_const_t<T>;
  if constexpr (hana::Struct<U>::value) {
    hana::for_each(hana::keys(v), [&](auto key) { for_each_leaf(hana::at_key(v, key), f); });
  } else if constexpr (requires { std::tuple_size<U>::value; }) {
    for (auto& x : v) for_each_leaf(x, f);
  } else {
    f(v);
  }
}

template <class T>
std::array<std::int64_t, leaf_count<T>()> leaves(const T& v) {
  std::array<std::int64_t, leaf_count<T>()> out{};
  int i = 0;
  for_each_leaf(v, [&](const auto& x) { out[i++] = static_cast<std::int64_t>(x); });
  return out;
}

template <class T>
void set_leaves(T& v, const std::array<std::int64_t, leaf_count<T>()>& in) {
  int i = 0;
  for_each_leaf(v, [&](auto& x) { x = static_cast<std::remove_reference_t<decltype(x)>>(in[i++]); });
}

// The globals of a state: every field but the process table.
template <int N>
struct Globals {
  static constexpr int kCount = leaf_count<State<C, N>>() - N * leaf_count<Proc<C>>();
};

// ---- the encoding ------------------------------------------------------------

inline constexpr int kProcLeaves = leaf_count<Proc<C>>();

template <int N>
inline constexpr int kMaxEncoded =
    N * ((kProcLeaves + 7) / 8 + kProcLeaves * 10) + (Globals<N>::kCount + 7) / 8 + Globals<N>::kCount * 10;

template <int N>
struct Encoded {
  std::array<std::uint8_t, kMaxEncoded<N>> bytes;
  int size = 0;
};

namespace detail {

template <int L>
void put_fields(const std::array<std::int64_t, L>& v, const std::array<std::int64_t, L>& base, std::uint8_t*& out) {
  std::uint8_t* mask = out;
  std::memset(mask, 0, (L + 7) / 8);
  out += (L + 7) / 8;
  for (int i = 0; i < L; ++i) {
    if (v[i] == base[i]) continue;
    mask[i / 8] |= static_cast<std::uint8_t>(1u << (i % 8));
    std::uint64_t z = (static_cast<std::uint64_t>(v[i]) << 1) ^ static_cast<std::uint64_t>(v[i] >> 63);
    while (z >= 0x80) {
      *out++ = static_cast<std::uint8_t>(z | 0x80);
      z >>= 7;
    }
    *out++ = static_cast<std::uint8_t>(z);
  }
}

template <int L>
void get_fields(std::array<std::int64_t, L>& v, const std::array<std::int64_t, L>& base, const std::uint8_t*& in,
                const std::uint8_t* end) {
  const std::uint8_t* mask = in;
  in += (L + 7) / 8;
  for (int i = 0; i < L; ++i) {
    if (!(mask[i / 8] & (1u << (i % 8)))) {
      v[i] = base[i];
      continue;
    }
    std::uint64_t z = 0;
    for (int shift = 0;; shift += 7) {
      if (in >= end || shift > 63) throw std::logic_error("explore: a stored state does not decode");
      const std::uint8_t b = *in++;
      z |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    v[i] = static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1);
  }
}

template <int N>
std::array<std::int64_t, Globals<N>::kCount> global_leaves(const State<C, N>& s) {
  State<C, N> t = s;
  for (auto& p : t.procs) p = empty_proc<C>();
  auto all = leaves(t);
  std::array<std::int64_t, Globals<N>::kCount> g{};
  // The process table is the first field of State: the globals follow it.
  std::copy(all.end() - Globals<N>::kCount, all.end(), g.begin());
  return g;
}

}  // namespace detail

template <int N>
struct Codec {
  std::array<std::int64_t, kProcLeaves> free_proc = leaves(empty_proc<C>());
  std::array<std::int64_t, Globals<N>::kCount> init_globals = detail::global_leaves<N>(initial_state<C, N>());

  void encode(const State<C, N>& s, Encoded<N>& e) const {
    std::uint8_t* out = e.bytes.data();
    for (const auto& p : s.procs) detail::put_fields<kProcLeaves>(leaves(p), free_proc, out);
    detail::put_fields<Globals<N>::kCount>(detail::global_leaves<N>(s), init_globals, out);
    e.size = static_cast<int>(out - e.bytes.data());
  }

  State<C, N> decode(const std::uint8_t* in, int size) const {
    const std::uint8_t* end = in + size;
    State<C, N> s = initial_state<C, N>();
    for (auto& p : s.procs) {
      std::array<std::int64_t, kProcLeaves> v{};
      detail::get_fields<kProcLeaves>(v, free_proc, in, end);
      set_leaves(p, v);
    }
    std::array<std::int64_t, Globals<N>::kCount> g{};
    detail::get_fields<Globals<N>::kCount>(g, init_globals, in, end);
    auto all = leaves(s);
    std::copy(g.begin(), g.end(), all.end() - Globals<N>::kCount);
    set_leaves(s, all);
    if (in != end) throw std::logic_error("explore: a stored state has trailing bytes");
    return s;
  }
};

}  // namespace ptm::explore
