// Concrete states and arguments for the agreement tests: reachable states of
// a table of N processes (random walks over the reachability search's
// alphabet from the initial state) and arguments drawn over the values the
// rules compare against. Shared by agreement_test (the bounded symbolic
// domain) and every_n_agreement_test (the unbounded one).
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/Random.h>

#include <vector>

#include "proofs/reach.hpp"

namespace ptm::proofs::testing {

template <int N>
std::vector<State<Concrete, N>> reachable_pool(rc::Random& random, int walks, int steps) {
  std::vector<State<Concrete, N>> states{initial_state<Concrete, N>()};
  for (int walk = 0; walk < walks; ++walk) {
    State<Concrete, N> s = initial_state<Concrete, N>();
    for (int i = 0; i < steps; ++i) {
      auto moves = alphabet<N>(s);
      const auto& [op, a] = moves[rc::gen::inRange<std::size_t>(0, moves.size())(random.split(), 10).value()];
      auto st = concrete_step<N>(s, op, a);
      if (st.out.kind != K_OK) continue;
      s = st.next;
      states.push_back(s);
    }
  }
  return states;
}

// Arguments for operation `op`: an actor, a pid in and around the pid space,
// signals valid and not, addresses in and outside the image.
template <int N>
Args<Concrete> random_args(rc::Random& random, const Op& op) {
  auto g = rc::gen::tuple(rc::gen::inRange(1, N), rc::gen::inRange<std::int64_t>(-1, pid_max<N> + 2),
                          rc::gen::elementOf(std::vector<std::int64_t>{0, 1, BSD_SIGSTOP, BSD_SIGKILL, 129, -1}),
                          rc::gen::elementOf(std::vector<std::int64_t>{1, VA_DATA, 0, VA_RO, VA_GUARD - 2}));
  auto [actor, pid, sig, addr] = g(random.split(), 30).value();
  Args<Concrete> a = default_args<Concrete>();
  a.actor = actor;
  a.pt.pid = pid;
  a.pt.data = sig;
  a.pt.addr = addr;
  a.pt.piod_op = PIOD_READ_D;
  a.pt.piod_offs = a.pt.piod_addr = VA_DATA;
  a.pt.piod_len = 4;
  a.pid = pid == 0 ? -1 : pid;
  a.sig = sig;
  a.value = 1;
  a.cred.cr_uid = a.cred.cr_ruid = a.cred.cr_svuid = 1001;
  // The swapper's target is a slot.
  if (op.kind == OP_SWAPOUT || op.kind == OP_SWAPIN_BEGIN || op.kind == OP_SWAPIN) a.pid = (a.pid + 1) % N;
  return a;
}

}  // namespace ptm::proofs::testing
