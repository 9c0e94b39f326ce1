// A constexpr driver for the model, for tests: build states by running
// operations, the way a scenario would, at compile time or at run time.
#pragma once

#include "model/model.hpp"
#include "model/properties.hpp"

namespace ptm::test {

// Track: evaluate every property after every step (counting violations).
template <int N = 6, bool Track = false>
struct Sim {
  using D = Concrete;
  using S = State<D, N>;
  S s = initial_state<D, N>();
  Outcome<D> last{};
  int violations = 0;  // property violations seen over the run

  template <class F>
  constexpr Outcome<D> op(OpKind kind, int actor, F&& tweak, Req req = PT_TRACE_ME, Sysctl knob = KERN_SECURELEVEL) {
    Args<D> a = default_args<D>();
    a.actor = actor;
    tweak(a);
    Op o{kind, req, knob};
    auto st = step<D, N>(s, o, a);
    if constexpr (Track) {
      StepCtx<D, N> c{s, o, a, st.out, st.next};
      for_each_property<D, N>(c, [&](auto, auto, bool h) { violations += !h; });
    }
    s = st.next;
    last = st.out;
    return st.out;
  }
  constexpr Outcome<D> op(OpKind kind, int actor) {
    return op(kind, actor, [](Args<D>&) {});
  }

  constexpr int slot_of_pid(std::int64_t pid) const {
    for (int i = 0; i < N; ++i)
      if (s.procs[i].p_state != PRS_FREE && s.procs[i].p_pid == pid) return i;
    return NOPROC;
  }
  constexpr std::int64_t pid(int slot) const { return s.procs[slot].p_pid; }
  constexpr const Proc<D>& proc(int slot) const { return s.procs[slot]; }

  // A process as a login leaves it, with uid/gid (and optional extras).
  template <class F>
  constexpr int spawn(std::int64_t uid, std::int64_t gid, F&& tweak) {
    auto o = op(OP_SPAWN, SLOT_INIT, [&](Args<D>& a) {
      a.cred.cr_uid = a.cred.cr_ruid = a.cred.cr_svuid = uid;
      a.cred.cr_groups = {gid, gid, gid};
      a.cred.cr_rgid = a.cred.cr_svgid = gid;
      tweak(a);
    });
    return o.kind == K_OK ? slot_of_pid(o.retval) : NOPROC;
  }
  constexpr int spawn(std::int64_t uid = 1001, std::int64_t gid = 1001) {
    return spawn(uid, gid, [](Args<D>&) {});
  }
  constexpr int fork(int parent) {
    auto o = op(OP_FORK, parent);
    return o.kind == K_OK ? slot_of_pid(o.retval) : NOPROC;
  }
  template <class F>
  constexpr Outcome<D> pt(int actor, Req req, int target, F&& tweak) {
    return op(
        OP_PTRACE, actor,
        [&](Args<D>& a) {
          a.pt.pid = target == NOPROC ? 999 : pid(target);
          a.pt.addr = is_resume_req(req) ? 1 : VA_DATA;
          a.pt.piod_op = PIOD_READ_D;
          a.pt.piod_offs = a.pt.piod_addr = VA_DATA;
          a.pt.piod_len = SIZEOF_INT;
          tweak(a.pt);
        },
        req);
  }
  constexpr Outcome<D> pt(int actor, Req req, int target) {
    return pt(actor, req, target, [](PtraceArgs<D>&) {});
  }
  constexpr Outcome<D> kill(int actor, int target, std::int64_t sig) {
    return op(OP_KILL, actor, [&](Args<D>& a) {
      a.pid = pid(target);
      a.sig = sig;
    });
  }
  constexpr Outcome<D> takesig(int actor) { return op(OP_TAKESIG, actor); }
  constexpr Outcome<D> wait(int actor, int target, std::int64_t options = 0) {
    return op(OP_WAIT, actor, [&](Args<D>& a) {
      a.pid = target == NOPROC ? -1 : pid(target);
      a.options = options;
    });
  }
  constexpr Outcome<D> sysctl(Sysctl knob, std::int64_t v) {
    return op(
        OP_SYSCTL, SLOT_INIT, [&](Args<D>& a) { a.value = v; }, PT_TRACE_ME, knob);
  }
  constexpr Outcome<D> swap(OpKind k, int target) {
    return op(k, SLOT_INIT, [&](Args<D>& a) { a.pid = target; });
  }

  // `tracer` attaches `target`, which takes the SIGSTOP and is waited for:
  // traced, stopped, waited for.
  constexpr void attach_stopped(int tracer, int target) {
    pt(tracer, PT_ATTACH, target);
    takesig(target);
    wait(tracer, target);
  }

  // P forks C; C asks to be traced; C stops for SIGSTOP; P waits for the stop.
  // Returns C: traced by P, stopped and waited for.
  constexpr int traced_stopped_child(int parent) {
    int c = fork(parent);
    pt(c, PT_TRACE_ME, NOPROC);
    kill(parent, c, BSD_SIGSTOP);
    takesig(c);
    wait(parent, c);
    return c;
  }
};

// The kind/errno/check of an outcome, compared in one go.
constexpr bool is(const Outcome<Concrete>& o, int kind, int err, int check) {
  return o.kind == kind && o.error == err && o.check == check;
}
constexpr bool is_err(const Outcome<Concrete>& o, int check) {
  return is(o, kChecks[check].kind, kChecks[check].err, check);
}
constexpr bool is_ok(const Outcome<Concrete>& o) { return o.kind == K_OK; }

}  // namespace ptm::test
