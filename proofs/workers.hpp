// Jobs run side by side in child processes, with a watchdog. The proofs use
// it (proofs/verify.cpp): Debian 12's Z3 (4.8.12) shares one pool of timer
// threads between all contexts, and threads that set time limits can
// deadlock in it (Z3 pull request 5371, issue 5990); and a query does not
// always stop at its time limit (verify --timeout 1 has run on for more than
// ten minutes in one every-N query, its timer fired and idle). In a process
// of its own each job has its own Z3, and a job that overruns can be stopped.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace ptm::proofs {

// Runs jobs 0..count-1 in `workers` child processes: each takes the next
// index from a counter in shared memory, runs `job(i)` and writes what it
// returns to a file; then `collect(i, text)` for each job in order, in this
// process. A job that runs longer than `limit(i)` seconds is stopped
// (SIGKILL) with its process and `overran(i, seconds)` gives its text
// instead; a new process takes the jobs left. An exception in a child is
// rethrown here: std::bad_alloc as std::bad_alloc, another as
// std::runtime_error with its message; a child the kernel kills (its
// out-of-memory killer's SIGKILL) as std::bad_alloc, and one that dies of
// another signal as std::runtime_error. A child ends with _exit: no
// destructors or exit handlers of this process run in it.
//
// After each job a child asks `spent()` (if given) whether it should end:
// KEEP_GOING; RETIRE, its result is good and a new process takes the jobs
// left (its Z3 has grown large); or RETRY, its result is not to be trusted
// (its Z3 ran out of memory during the job) and the job runs once more in a
// new process, whose result stands. RETRY after a process's first job is
// RETIRE: the job already had a fresh process.
enum class Spent { KEEP_GOING, RETIRE, RETRY };
void run_in_processes(std::size_t count, int workers, const std::function<std::string(std::size_t)>& job,
                      const std::function<double(std::size_t)>& limit,
                      const std::function<std::string(std::size_t, double)>& overran,
                      const std::function<void(std::size_t, const std::string&)>& collect,
                      const std::function<Spent()>& spent = {});

}  // namespace ptm::proofs
