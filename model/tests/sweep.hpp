// An exhaustive sweep for constant evaluation: from a few small states, every
// operation with every actor, every target and a few argument values, then
// every property on every step. Evaluated at compile time, it shows the rule
// code has no undefined behaviour there (an out-of-range index, a signed
// overflow or a read of an uninitialised value is not a constant expression).
#pragma once

#include "model/tests/sim.hpp"

namespace ptm::test {

inline constexpr int kSweepN = 4;  // proc0, init and two user processes
using SweepSim = Sim<kSweepN>;

// The seed states of the sweep.
constexpr SweepSim sweep_seed(int which) {
  SweepSim m;
  int a = m.spawn();
  switch (which) {
    case 0: m.fork(a); break;                           // a parent and its child
    case 1: m.traced_stopped_child(a); break;           // a tracee stopped and waited for
    case 2: m.pt(m.fork(a), PT_ATTACH, a); break;       // a p_pptr cycle: the child traces its parent
    case 3: {                                           // a child exiting, the parent inside execve
      int c = m.fork(a);
      m.op(OP_EXIT_BEGIN, c);
      m.op(OP_EXEC_BEGIN, a);
      break;
    }
    case 4: {                                           // a traced zombie, swapped-out parent, another user
      int c = m.fork(a);
      m.pt(c, PT_TRACE_ME, NOPROC);
      m.op(OP_EXIT, c);
      m.swap(OP_SWAPOUT, a);
      m.sysctl(SEE_OTHER_UIDS, 0);
      m.spawn(1002);
      break;
    }
  }
  return m;
}
inline constexpr int kSweepSeeds = 5;

struct SweepResult {
  int steps = 0;
  int by_kind[5] = {};     // outcomes by Kind
  int violations = 0;      // property evaluations that were false
};

constexpr SweepResult sweep(int seed) {
  using D = Concrete;
  const SweepSim start = sweep_seed(seed);
  SweepResult r;
  auto one = [&](Op op, Args<D> a) {
    auto st = step<D, kSweepN>(start.s, op, a);
    StepCtx<D, kSweepN> c{start.s, op, a, st.out, st.next};
    for_each_property<D, kSweepN>(c, [&](auto, auto, bool h) { r.violations += !h; });
    ++r.steps;
    ++r.by_kind[st.out.kind];
  };
  const std::int64_t pids[] = {0, 1, 2, 3, 999};  // every pid in use, and one never used
  for (int actor = 0; actor < kSweepN; ++actor) {
    for (Req req : kAllRequests) {
      for (std::int64_t pid : pids) {
        for (std::int64_t data : {0, 129}) {
          for (std::int64_t addr : {(std::int64_t)1, VA_DATA}) {
            Args<D> a = default_args<D>();
            a.actor = actor;
            a.pt = PtraceArgs<D>{pid, addr, data, PIOD_READ_D, VA_DATA, addr, SIZEOF_INT, data == 0};
            one(Op{OP_PTRACE, req}, a);
          }
        }
      }
    }
    for (int k = OP_SPAWN; k < OP_COUNT; ++k) {
      for (std::int64_t pid : pids) {
        Args<D> a = default_args<D>();
        a.actor = actor;
        a.pid = (k == OP_SWAPOUT || k == OP_SWAPIN || k == OP_SWAPIN_BEGIN) ? pid % kSweepN : pid;
        a.sig = pid == 999 ? 129 : 9 + pid * 4;  // SIGKILL, SIGCHLD... and one out of range
        a.value = pid;
        a.suid = pid == 0 ? 0 : -1;
        a.options = pid % 4;
        one(Op{static_cast<OpKind>(k), PT_TRACE_ME, static_cast<Sysctl>(pid % 5)}, a);
      }
    }
  }
  return r;
}

}  // namespace ptm::test
