// A second value domain runs the same rule code: Recording is the concrete
// domain plus a log of every check a decision evaluated, in order, with its
// value. The log must follow the seed's order and stop at the deciding check.
#include <gtest/gtest.h>

#include <vector>

#include "model/recording.hpp"
#include "model/tests/sim.hpp"

namespace ptm {
namespace {

std::vector<int> ids(const std::vector<Recording::Entry>& log) {
  std::vector<int> out;
  for (const auto& e : log) out.push_back(e.check);
  return out;
}

TEST(RecordingDomain, AttachToTracedProcessEvaluatesTheSeedsChecksInOrder) {
  test::Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  int d = m.spawn();

  auto s = convert<State<Recording, 6>>(m.s);
  Args<Recording> a = convert<Args<Recording>>(default_args<Concrete>());
  a.actor = d;
  a.pt.pid = m.pid(c);
  Recording::log.clear();
  auto st = step<Recording, 6>(s, Op{OP_PTRACE, PT_ATTACH}, a);

  EXPECT_EQ(st.out.kind, K_ERR);
  EXPECT_EQ(st.out.error, BSD_EBUSY);
  const std::vector<int> want = {C_ACTOR_CANNOT_RUN, C_PFIND,           C_CANSEE_PRISON,   C_CANSEE_UIDS,
                                 C_CANSEE_GIDS,      C_CANDEBUG_UNPRIV, C_CANDEBUG_PRISON, C_CANDEBUG_UIDS,
                                 C_CANDEBUG_GIDS,    C_CANDEBUG_CRED,   C_CANDEBUG_INIT_SECURE,
                                 C_CANDEBUG_INEXEC,  C_SYSTEM,          C_ATTACH_SELF,     C_ATTACH_TRACED};
  EXPECT_EQ(ids(Recording::log), want);
  for (std::size_t i = 0; i + 1 < Recording::log.size(); ++i) EXPECT_FALSE(Recording::log[i].fired) << i;
  EXPECT_TRUE(Recording::log.back().fired);
}

TEST(RecordingDomain, TraceMeSkipsPfindAndRunsNoTracerChecks) {
  test::Sim<> m;
  int p = m.spawn();
  auto s = convert<State<Recording, 6>>(m.s);
  Args<Recording> a = convert<Args<Recording>>(default_args<Concrete>());
  a.actor = p;
  Recording::log.clear();
  auto st = step<Recording, 6>(s, Op{OP_PTRACE, PT_TRACE_ME}, a);
  EXPECT_EQ(st.out.kind, K_OK);
  const std::vector<int> want = {C_ACTOR_CANNOT_RUN, C_CANSEE_PRISON,   C_CANSEE_UIDS,   C_CANSEE_GIDS,
                                 C_CANDEBUG_UNPRIV,  C_CANDEBUG_PRISON, C_CANDEBUG_UIDS, C_CANDEBUG_GIDS,
                                 C_CANDEBUG_CRED,    C_CANDEBUG_INIT_SECURE, C_CANDEBUG_INEXEC, C_SYSTEM};
  EXPECT_EQ(ids(Recording::log), want);
  // The concrete domain gives the same outcome and next state.
  auto cs = step<Concrete, 6>(m.s, Op{OP_PTRACE, PT_TRACE_ME}, convert<Args<Concrete>>(a));
  EXPECT_EQ(cs.out.kind, st.out.kind);
  EXPECT_EQ((convert<State<Recording, 6>>(cs.next).procs[p].P_TRACED), st.next.procs[p].P_TRACED);
  EXPECT_EQ(cs.next.procs[p].p_oppid, st.next.procs[p].p_oppid);
}

TEST(RecordingDomain, ContinueWithBadSignalStopsAtTheRangeCheck) {
  test::Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  auto s = convert<State<Recording, 6>>(m.s);
  Args<Recording> a = convert<Args<Recording>>(default_args<Concrete>());
  a.actor = p;
  a.pt.pid = m.pid(c);
  a.pt.data = 200;
  Recording::log.clear();
  auto st = step<Recording, 6>(s, Op{OP_PTRACE, PT_CONTINUE}, a);
  EXPECT_EQ(st.out.error, BSD_EINVAL);
  ASSERT_GE(Recording::log.size(), 4u);
  auto n = Recording::log.size();
  EXPECT_EQ(Recording::log[n - 4].check, C_NOT_TRACED);
  EXPECT_EQ(Recording::log[n - 3].check, C_NOT_YOURS);
  EXPECT_EQ(Recording::log[n - 2].check, C_NOT_STOPPED);
  EXPECT_EQ(Recording::log[n - 1].check, C_SIGNAL_RANGE);
  EXPECT_TRUE(Recording::log[n - 1].fired);
}

}  // namespace
}  // namespace ptm
