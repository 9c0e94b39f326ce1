// The proofs' worker processes (proofs/workers.hpp): results come back in job
// order whichever process ran a job; a job past its time limit is stopped and
// replaced by what `overran` says, and the jobs after it still run; a child's
// exception, and a child the kernel kills, reach the caller.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <new>
#include <set>
#include <stdexcept>
#include <vector>

#include "proofs/workers.hpp"

namespace ptm::proofs {
namespace {

auto no_limit = [](std::size_t) { return 600.0; };
auto never = [](std::size_t, double) -> std::string { return "overran"; };

TEST(Workers, ResultsComeBackInJobOrderFromEveryProcess) {
  std::vector<std::string> got(20);
  run_in_processes(
      20, 3, [](std::size_t i) { return "job " + std::to_string(i) + " in " + std::to_string(getpid()); }, no_limit,
      never, [&](std::size_t i, const std::string& text) { got[i] = text; });
  std::set<std::string> pids;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].rfind("job " + std::to_string(i) + " in ", 0), 0u) << got[i];
    pids.insert(got[i].substr(got[i].rfind(' ') + 1));
  }
  EXPECT_EQ(pids.count(std::to_string(getpid())), 0u);  // none ran in this process
}

TEST(Workers, AJobPastItsLimitIsStoppedAndTheRestStillRun) {
  std::vector<std::string> got(6);
  std::vector<double> ran(6, 0);
  run_in_processes(
      6, 1,
      [](std::size_t i) {
        if (i == 2) sleep(30);  // a job that does not stop
        return "done " + std::to_string(i);
      },
      [](std::size_t) { return 1.0; },
      [&](std::size_t i, double seconds) {
        ran[i] = seconds;
        return "stopped " + std::to_string(i);
      },
      [&](std::size_t i, const std::string& text) { got[i] = text; });
  EXPECT_EQ(got[2], "stopped 2");
  EXPECT_GE(ran[2], 1.0);
  EXPECT_LT(ran[2], 10.0);
  for (std::size_t i : {0, 1, 3, 4, 5}) EXPECT_EQ(got[i], "done " + std::to_string(i));
}

// A process that says it is spent ends after its job: RETIRE keeps the
// result, RETRY runs the job again (once) in a fresh process, whose result
// stands; either way a new process takes the jobs left. One worker at a time,
// so the order is fixed: processes run jobs {0, 1}, {2, 3 sent back}, {3},
// {4, 5}, {6: sent back as a first job, so kept}, {7}.
TEST(Workers, ASpentProcessIsReplacedAndARetriedJobRunsOnceMore) {
  std::vector<std::string> got(8);
  // Two jobs per process at most (a process-local count, as Z3's memory is).
  static int jobs_here = 0;
  static bool last_was_retry_target = false;
  static std::string log;
  log = testing::TempDir() + "/workers-runs";
  std::remove(log.c_str());
  run_in_processes(
      8, 1,
      [](std::size_t i) {
        std::ofstream(log, std::ios::app) << i << "\n";  // every run of every job
        ++jobs_here;
        last_was_retry_target = i == 3 || i == 6;
        return std::to_string(i) + " in " + std::to_string(getpid());
      },
      no_limit, never, [&](std::size_t i, const std::string& text) { got[i] = text; },
      [] { return last_was_retry_target ? Spent::RETRY : jobs_here >= 2 ? Spent::RETIRE : Spent::KEEP_GOING; });
  std::set<std::string> pids;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].rfind(std::to_string(i) + " in ", 0), 0u) << i << ": " << got[i];
    pids.insert(got[i].substr(got[i].rfind(' ') + 1));
  }
  EXPECT_EQ(pids.count(std::to_string(getpid())), 0u);
  std::map<int, int> runs;
  std::ifstream in(log);
  for (int i; in >> i;) ++runs[i];
  for (int i = 0; i < 8; ++i) EXPECT_EQ(runs[i], i == 3 ? 2 : 1) << "job " << i;
  EXPECT_EQ(pids.size(), 6u);
}

TEST(Workers, AChildsExceptionReachesTheCaller) {
  auto collect = [](std::size_t, const std::string&) {};
  EXPECT_THROW(run_in_processes(
                   4, 2,
                   [](std::size_t i) -> std::string {
                     if (i == 1) throw std::runtime_error("boom in job 1");
                     return "ok";
                   },
                   no_limit, never, collect),
               std::runtime_error);
  try {
    run_in_processes(
        1, 1, [](std::size_t) -> std::string { throw std::runtime_error("boom"); }, no_limit, never, collect);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_THROW(run_in_processes(
                   2, 1, [](std::size_t) -> std::string { throw std::bad_alloc(); }, no_limit, never, collect),
               std::bad_alloc);
}

TEST(Workers, AChildTheKernelKillsIsOutOfMemory) {
  // SIGKILL that the parent did not send is how the out-of-memory killer ends a process.
  EXPECT_THROW(run_in_processes(
                   3, 1,
                   [](std::size_t i) -> std::string {
                     if (i == 1) raise(SIGKILL);
                     return "ok";
                   },
                   no_limit, never, [](std::size_t, const std::string&) {}),
               std::bad_alloc);
}

}  // namespace
}  // namespace ptm::proofs
