#include "proofs/workers.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <new>
#include <stdexcept>

namespace ptm::proofs {

namespace {
struct Shared {
  std::atomic<std::size_t> next{0};
  // Jobs to run again (Spent::RETRY), taken before new ones: requeued[head..tail).
  static constexpr int kRequeue = 256;
  std::atomic<long> requeued[kRequeue];
  std::atomic<int> head{0}, tail{0};
  static constexpr int kSlots = 1024;  // worker processes started, replacements included
  std::atomic<long> job[kSlots];     // the job a worker is running, -1 none
  std::atomic<long> since_ms[kSlots];
};
long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void run_in_processes(std::size_t count, int workers, const std::function<std::string(std::size_t)>& job,
                      const std::function<double(std::size_t)>& limit,
                      const std::function<std::string(std::size_t, double)>& overran,
                      const std::function<void(std::size_t, const std::string&)>& collect,
                      const std::function<Spent()>& spent) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "ptmodel-proofs-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot make a directory for the proof processes in " + tmpl);
  const fs::path dir = tmpl;
  auto cleanup = [&] {
    std::error_code ec;
    fs::remove_all(dir, ec);
  };
  void* mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    cleanup();
    throw std::runtime_error("cannot map memory for the proof processes");
  }
  auto* sh = new (mem) Shared;
  for (int k = 0; k < Shared::kSlots; ++k) sh->job[k] = -1, sh->since_ms[k] = 0;
  for (int k = 0; k < Shared::kRequeue; ++k) sh->requeued[k] = -1;
  // Which jobs ran once already and were sent back (one byte each, shared).
  void* again_mem = mmap(nullptr, std::max<std::size_t>(count, 1), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (again_mem == MAP_FAILED) {
    munmap(mem, sizeof(Shared));
    cleanup();
    throw std::runtime_error("cannot map memory for the proof processes");
  }
  auto* again = static_cast<std::atomic<char>*>(again_mem);
  // The next job: one sent back first, else a new one; count when none is left.
  auto take = [&]() -> std::size_t {
    for (int h = sh->head.load(); h < sh->tail.load();) {
      if (sh->head.compare_exchange_weak(h, h + 1)) {
        long j;
        while ((j = sh->requeued[h].load()) < 0) usleep(1000);  // its sender is still storing it
        return static_cast<std::size_t>(j);
      }
    }
    const std::size_t i = sh->next++;
    return i < count ? i : count;
  };
  auto work_left = [&] { return sh->next.load() < count || sh->head.load() < sh->tail.load(); };
  auto write_file = [&](const fs::path& to, const std::string& text) {
    const fs::path part = to.string() + ".part";
    std::ofstream f(part, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw std::runtime_error("cannot write " + part.string());
    fs::rename(part, to);
  };
  auto job_file = [&](std::size_t i) { return dir / ("job-" + std::to_string(i)); };
  auto start = [&](int slot) -> pid_t {
    std::fflush(nullptr);  // nothing buffered is written twice
    const pid_t pid = fork();
    if (pid != 0) return pid;
    int status = 0;
    int done_here = 0;
    try {
      for (std::size_t i; (i = take()) < count;) {
        sh->since_ms[slot] = now_ms();
        sh->job[slot] = static_cast<long>(i);
        std::string text = job(i);
        Spent s = spent ? spent() : Spent::KEEP_GOING;
        // A process's first job ran in a fresh process already: running it in
        // another fresh one would end the same way. Its result stands.
        if (++done_here == 1 && s == Spent::RETRY) s = Spent::RETIRE;
        if (s == Spent::RETRY && !again[i].exchange(1) && sh->tail.load() < Shared::kRequeue) {
          sh->requeued[sh->tail++].store(static_cast<long>(i));
          sh->job[slot] = -1;
          break;
        }
        write_file(job_file(i), text);
        sh->job[slot] = -1;
        if (s != Spent::KEEP_GOING) break;
      }
    } catch (const std::bad_alloc&) {
      std::ofstream(dir / ("error-" + std::to_string(getpid()))) << "bad_alloc";
      sh->next = count;
      status = 1;
    } catch (const std::exception& e) {
      std::ofstream(dir / ("error-" + std::to_string(getpid()))) << "error:" << e.what();
      sh->next = count;
      status = 1;
    }
    std::fflush(nullptr);
    _exit(status);  // no destructors, no exit handlers: they belong to the parent
  };
  std::map<pid_t, int> alive;  // pid -> slot
  int slots = 0;
  for (int w = 0; w < workers && slots < Shared::kSlots; ++w) {
    const pid_t pid = start(slots);
    if (pid > 0) alive[pid] = slots++;
  }
  std::string died, killed, error;
  if (alive.empty()) died = "cannot start the proof processes (fork)";
  while (!alive.empty()) {
    for (auto it = alive.begin(); it != alive.end();) {
      int st = 0;
      const pid_t r = waitpid(it->first, &st, WNOHANG);
      if (r == it->first) {
        // SIGKILL that this process did not send: the kernel's out-of-memory killer.
        if (WIFSIGNALED(st)) (WTERMSIG(st) == SIGKILL ? killed : died) = "a proof process ended by signal " + std::to_string(WTERMSIG(st));
        it = alive.erase(it);
        // A process that ended for its Z3's size (Spent) leaves jobs: a new one takes them.
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && work_left() && slots < Shared::kSlots) {
          const pid_t pid = start(slots);
          if (pid > 0) alive[pid] = slots++;
        }
        continue;
      }
      const long j = sh->job[it->second];
      const double ran = (now_ms() - sh->since_ms[it->second]) / 1000.0;
      if (j >= 0 && ran > limit(static_cast<std::size_t>(j))) {
        ::kill(it->first, SIGKILL);
        while (waitpid(it->first, &st, 0) < 0 && errno == EINTR) {
        }
        write_file(job_file(static_cast<std::size_t>(j)), overran(static_cast<std::size_t>(j), ran));
        it = alive.erase(it);
        if (work_left() && slots < Shared::kSlots) {  // another process for the jobs left
          const pid_t pid = start(slots);
          if (pid > 0) alive[pid] = slots++;
        }
        continue;
      }
      ++it;
    }
    if (!alive.empty()) usleep(100'000);
  }
  munmap(mem, sizeof(Shared));
  munmap(again_mem, std::max<std::size_t>(count, 1));
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("error-", 0) == 0) {
      std::ifstream f(e.path());
      std::getline(f, error, '\0');
    }
  if (error == "bad_alloc" || (error.empty() && died.empty() && !killed.empty())) {
    cleanup();
    throw std::bad_alloc();
  }
  if (!error.empty() || !died.empty()) {
    cleanup();
    throw std::runtime_error(!error.empty() ? error.substr(6) : died);
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::ifstream f(job_file(i), std::ios::binary);
    if (!f) {
      cleanup();
      throw std::runtime_error("a proof process left job " + std::to_string(i) + " without results");
    }
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    collect(i, text);
  }
  cleanup();
}

}  // namespace ptm::proofs
