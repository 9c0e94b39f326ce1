// The simulated kernel's own tests: lock assertions, the VM path proc_rwmem
// runs (faults, backing objects, copy-on-write, partial transfers), copyin and
// copyout, and register contents; and the lockstep's comparison of memory
// contents with the model's (model/memory.hpp).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "impl/sim.hpp"
#include "impl/trap.hpp"

namespace impl {
void reset_held_locks();
namespace {

struct KernelTest : ::testing::Test {
  Kernel k{8, 24};
  void TearDown() override { reset_held_locks(); }

  proc* spawn(uid_t uid = 1001) {
    ucred c;
    c.cr_uid = c.cr_ruid = c.cr_svuid = uid;
    c.cr_groups[0] = c.cr_rgid = c.cr_svgid = 1001;
    return k.spawn(c, false, false);
  }
  proc* fork(proc* parent) {
    k.curthread = FIRST_THREAD_IN_PROC(parent);
    proc* c = nullptr;
    EXPECT_EQ(k.fork1(k.curthread, &c), 0);
    k.curthread = nullptr;
    return c;
  }
  // parent traces child, stopped and waited for.
  void trace_stopped(proc* parent, proc* child) {
    k.curthread = FIRST_THREAD_IN_PROC(child);
    ASSERT_EQ(k.kern_ptrace(k.curthread, PT_TRACE_ME, 0, nullptr, 0), 0);
    k.curthread = FIRST_THREAD_IN_PROC(parent);
    ASSERT_EQ(k.kill(k.curthread, child->p_pid, BSD_SIGSTOP), 0);
    k.curthread = FIRST_THREAD_IN_PROC(child);
    ASSERT_EQ(k.issignal(k.curthread), BSD_SIGSTOP);
    k.curthread = FIRST_THREAD_IN_PROC(parent);
    int status;
    pid_t ret;
    ASSERT_EQ(k.wait1(k.curthread, child->p_pid, &status, 0, &ret), 0);
    ASSERT_EQ(ret, child->p_pid);
  }
  int ptrace(proc* caller, int req, proc* target, vm_offset_t addr, int data) {
    k.curthread = FIRST_THREAD_IN_PROC(caller);
    Kernel::ptrace_args uap{req, target ? target->p_pid : 9999, addr, data};
    int e = k.ptrace(k.curthread, &uap);
    EXPECT_FALSE(k.holds_any_lock());
    return e;
  }
  std::uint32_t word(proc* p, vm_offset_t va) {
    std::uint32_t w = 0;
    k.peek(p, va, &w, sizeof w);
    return w;
  }
  // One operation through the harness (trap.cpp), as the lockstep runs it.
  ptm::Outcome<ptm::Concrete> op(ptm::OpKind kind, proc* actor, std::function<void(ptm::Args<ptm::Concrete>&)> set = {},
                                 int req = PT_TRACE_ME) {
    ptm::Args<ptm::Concrete> a = ptm::default_args<ptm::Concrete>();
    a.actor = actor ? actor->p_slot : ptm::SLOT_INIT;
    if (set) set(a);
    ptm::Op o;
    o.kind = kind;
    o.req = static_cast<ptm::Req>(req);
    auto out = apply(k, o, a);
    EXPECT_FALSE(k.holds_any_lock());
    return out;
  }
  ptm::Outcome<ptm::Concrete> pt(proc* caller, int req, proc* target, std::int64_t addr = 1, std::int64_t data = 0) {
    return op(ptm::OP_PTRACE, caller, [&](auto& a) {
      a.pt.pid = target ? target->p_pid : 9999;
      a.pt.addr = addr;
      a.pt.data = data;
    }, req);
  }
  ptm::Outcome<ptm::Concrete> wait(proc* caller, pid_t pid) {
    return op(ptm::OP_WAIT, caller, [&](auto& a) { a.pid = pid; });
  }
  // A kernel call as `p` (curthread = p's thread), its locks released.
  template <class F>
  auto as(proc* p, F&& f) {
    k.curthread = FIRST_THREAD_IN_PROC(p);
    auto r = f(k.curthread);
    k.curthread = nullptr;
    EXPECT_FALSE(k.holds_any_lock());
    return r;
  }
  pgrp* find_pgrp(pid_t id) {
    for (pgrp* g : k.pgrphash)
      if (g->pg_id == id) return g;
    return nullptr;
  }
  proc* by_pid(pid_t pid) {
    for (int i = 0; i < k.nproc(); ++i)
      if (proc* p = k.slot(i); p && p->p_pid == pid) return p;
    return nullptr;
  }
};

// ---- locks -----------------------------------------------------------------------

TEST_F(KernelTest, ProcLockAssertFiresWhenTheLockIsNotHeld) {
  proc* p = spawn();
  EXPECT_THROW(k.PROC_LOCK_ASSERT(p, MA_OWNED), KernelFault);
  k.PROC_LOCK(p);
  EXPECT_NO_THROW(k.PROC_LOCK_ASSERT(p, MA_OWNED));
  EXPECT_THROW(k.PROC_LOCK_ASSERT(p, MA_NOTOWNED), KernelFault);
  k.PROC_UNLOCK(p);
}

TEST_F(KernelTest, RecursingOnAMutexIsAFault) {
  proc* p = spawn();
  k.PROC_LOCK(p);
  EXPECT_THROW(k.PROC_LOCK(p), KernelFault);
}

TEST_F(KernelTest, UnlockingAMutexNobodyHoldsIsAFault) {
  proc* p = spawn();
  EXPECT_THROW(k.PROC_UNLOCK(p), KernelFault);
}

TEST_F(KernelTest, TakingProctreeLockWhileHoldingAProcessLockIsAnOrderReversal) {
  proc* p = spawn();
  k.PROC_LOCK(p);
  EXPECT_THROW(k.sx_xlock(k.proctree_lock), KernelFault);
}

TEST_F(KernelTest, ProcReparentRequiresProctreeLockAndTheChildLocked) {
  proc* p = spawn();
  proc* c = fork(p);
  k.curthread = FIRST_THREAD_IN_PROC(p);
  k.PROC_LOCK(c);
  EXPECT_THROW(k.proc_reparent(c, k.initproc()), KernelFault);  // no proctree_lock
}

TEST_F(KernelTest, ProcRwmemRequiresGiant) {
  proc* p = spawn();
  int v = 0;
  Kernel::uio u{&v, 4, static_cast<std::int64_t>(UVA_DATA), 4, UIO_SYSSPACE, UIO_READ, nullptr};
  EXPECT_THROW(k.proc_rwmem(p, &u), KernelFault);
}

TEST_F(KernelTest, PfindReturnsTheProcessLockedAndSkipsZombies) {
  proc* p = spawn();
  proc* c = fork(p);
  k.curthread = FIRST_THREAD_IN_PROC(p);
  proc* f = k.pfind(c->p_pid);
  ASSERT_EQ(f, c);
  EXPECT_NO_THROW(k.PROC_LOCK_ASSERT(c, MA_OWNED));
  k.PROC_UNLOCK(c);
  k.curthread = FIRST_THREAD_IN_PROC(c);
  k.exit1_begin(k.curthread, 0);
  k.exit1_finish(k.curthread);
  EXPECT_EQ(k.pfind(c->p_pid), nullptr);
}

TEST_F(KernelTest, EveryCallThroughTheTrapLayerReleasesItsLocks) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  for (int req : {PT_GETREGS, PT_READ_D, PT_IO, PT_CONTINUE}) {
    ptm::Args<ptm::Concrete> a = ptm::default_args<ptm::Concrete>();
    a.actor = p->p_slot;
    a.pt.pid = c->p_pid;
    a.pt.addr = req == PT_CONTINUE ? 1 : UVA_DATA;
    a.pt.piod_op = PIOD_READ_D;
    a.pt.piod_offs = a.pt.piod_addr = UVA_DATA;
    a.pt.piod_len = 4;
    auto o = apply(k, ptm::Op{ptm::OP_PTRACE, static_cast<ptm::Req>(req)}, a);
    EXPECT_EQ(o.kind, ptm::K_OK) << req;
    EXPECT_FALSE(k.holds_any_lock());
  }
}

// ---- memory -----------------------------------------------------------------------

TEST_F(KernelTest, WriteThenReadBackThroughPtrace) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(ptrace(p, PT_WRITE_D, c, UVA_DATA + 8, 0x12345678), 0);
  ASSERT_EQ(ptrace(p, PT_READ_D, c, UVA_DATA + 8, 0), 0);
  EXPECT_EQ(static_cast<std::uint32_t>(FIRST_THREAD_IN_PROC(p)->td_retval[0]), 0x12345678u);
  EXPECT_EQ(word(c, UVA_DATA + 8), 0x12345678u);
}

TEST_F(KernelTest, AWriteAfterForkCopiesOnWriteAndLeavesTheParentAndTheFileUnchanged) {
  proc* p = spawn();
  std::uint32_t before = 0xfeedface;
  k.poke(p, UVA_DATA, &before, 4);
  proc* c = fork(p);
  trace_stopped(p, c);
  const std::uint32_t text_before = word(p, UVA_TEXT);
  ASSERT_EQ(ptrace(p, PT_WRITE_D, c, UVA_DATA, 7), 0);
  ASSERT_EQ(ptrace(p, PT_WRITE_I, c, UVA_TEXT, 9), 0);  // text: OVERRIDE_WRITE, a private copy
  EXPECT_EQ(word(c, UVA_DATA), 7u);
  EXPECT_EQ(word(p, UVA_DATA), 0xfeedfaceu);  // the parent's page is its own again
  EXPECT_EQ(word(c, UVA_TEXT), 9u);
  EXPECT_EQ(word(p, UVA_TEXT), text_before);
  std::uint32_t file_word;
  std::memcpy(&file_word, k.text_file->memq.at(0)->data.data(), 4);
  EXPECT_EQ(file_word, text_before);  // the file is not modified
  // The child's text entry now has a shadow object backed by the file.
  auto& entry = c->p_vmspace->vm_map[0];
  EXPECT_NE(entry.object, k.text_file);
  EXPECT_EQ(entry.object->backing_object, k.text_file);
}

TEST_F(KernelTest, AReadFallsBackToTheBackingObject) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  // Make a shadow over the text with one page written, then read the page below it.
  ASSERT_EQ(ptrace(p, PT_WRITE_I, c, UVA_TEXT, 1), 0);
  auto& entry = c->p_vmspace->vm_map[0];
  ASSERT_TRUE(entry.object->backing_object);
  entry.object->memq.clear();  // the shadow holds no page now: a read must go to the file
  ASSERT_EQ(ptrace(p, PT_READ_I, c, UVA_TEXT + 4, 0), 0);
  std::uint32_t file_word;
  std::memcpy(&file_word, k.text_file->memq.at(0)->data.data() + 4, 4);
  EXPECT_EQ(static_cast<std::uint32_t>(FIRST_THREAD_IN_PROC(p)->td_retval[0]), file_word);
}

TEST_F(KernelTest, AWriteToTheSharedWritableMappingReachesTheFileAndOtherProcesses) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(ptrace(p, PT_WRITE_D, c, UVA_SHM, 0x55), 0);
  EXPECT_EQ(word(p, UVA_SHM), 0x55u);
  EXPECT_EQ(k.rw_file->memq.at(0)->data[0], 0x55);
}

TEST_F(KernelTest, TheReadOnlySharedMappingRefusesWritesAtVmFault) {
  // MAP_SHARED of a file opened read-only: VM_PROT_WRITE is not in max_protection,
  // so vm_fault() fails with a protection error and proc_rwmem returns EFAULT.
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  const auto before = k.ro_file->memq.at(0)->data;
  EXPECT_EQ(ptrace(p, PT_WRITE_D, c, UVA_RO, 1), BSD_EFAULT);
  EXPECT_EQ(k.last_check, ptm::C_RWMEM_FAULT);
  EXPECT_EQ(k.ro_file->memq.at(0)->data, before);
  EXPECT_EQ(ptrace(p, PT_READ_D, c, UVA_RO, 0), 0);  // reads are fine
}

TEST_F(KernelTest, EfaultPaths) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  EXPECT_EQ(ptrace(p, PT_READ_D, c, 0, 0), BSD_EFAULT);          // unmapped
  EXPECT_EQ(ptrace(p, PT_READ_D, c, UVA_GUARD, 0), BSD_EFAULT);  // PROT_NONE
  EXPECT_EQ(ptrace(p, PT_GETREGS, c, 0, 0), BSD_EFAULT);         // copyout to NULL
  EXPECT_EQ(k.last_check, ptm::C_PTRACE_COPYOUT);
  EXPECT_EQ(ptrace(p, PT_SETREGS, c, UVA_GUARD, 0), BSD_EFAULT);  // copyin from PROT_NONE
  EXPECT_EQ(k.last_check, ptm::C_PTRACE_COPYIN);
  EXPECT_EQ(ptrace(p, PT_IO, c, 0, 0), BSD_EFAULT);  // the descriptor itself
}

TEST_F(KernelTest, APartialPtIoTransferMovesThePagesBeforeTheFaultAndReportsEfault) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  // Fill the target's last data page and read 64 bytes from 32 before the guard page.
  std::uint8_t pattern[64];
  for (int i = 0; i < 64; ++i) pattern[i] = static_cast<std::uint8_t>(0xa0 + i);
  k.poke(c, UVA_RO - 32, pattern, 32);  // the end of data
  std::uint8_t zero[64] = {};
  k.poke(p, UVA_DATA, zero, 64);
  ptrace_io_desc d{PIOD_READ_D, static_cast<std::uint32_t>(UVA_RO - 32), static_cast<std::uint32_t>(UVA_DATA), 64};
  k.poke(p, UVA_DATA + 0x100, &d, sizeof d);
  // data then the read-only mapping: both readable, so all 64 bytes move.
  EXPECT_EQ(ptrace(p, PT_IO, c, UVA_DATA + 0x100, 0), 0);
  ptrace_io_desc back;
  k.peek(p, UVA_DATA + 0x100, &back, sizeof back);
  EXPECT_EQ(back.piod_len, 64u);  // copied back on success, nothing left
  std::uint8_t got[32];
  k.peek(p, UVA_DATA, got, 32);
  EXPECT_EQ(0, std::memcmp(got, pattern, 32));

  // Now from 16 bytes before the PROT_NONE page: the first page moves, the second faults.
  std::uint8_t marker[16];
  std::memset(marker, 0x77, 16);
  k.poke(c, UVA_GUARD - 16, marker, 16);
  k.poke(p, UVA_DATA, zero, 64);
  d = {PIOD_READ_D, static_cast<std::uint32_t>(UVA_GUARD - 16), static_cast<std::uint32_t>(UVA_DATA), 64};
  k.poke(p, UVA_DATA + 0x100, &d, sizeof d);
  EXPECT_EQ(ptrace(p, PT_IO, c, UVA_DATA + 0x100, 0), BSD_EFAULT);
  EXPECT_EQ(k.last_check, ptm::C_RWMEM_FAULT);
  k.peek(p, UVA_DATA, got, 16);
  EXPECT_EQ(0, std::memcmp(got, marker, 16));  // the bytes before the fault arrived
  k.peek(p, UVA_DATA + 0x100, &back, sizeof back);
  EXPECT_EQ(back.piod_len, 64u);  // not copied back: the caller sees the original length
}

TEST_F(KernelTest, PtIoWritesFromTheCallersBuffer) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  const char msg[] = "hello, tracee";
  k.poke(p, UVA_DATA + 0x200, msg, sizeof msg);
  ptrace_io_desc d{PIOD_WRITE_D, static_cast<std::uint32_t>(UVA_DATA + 0x40),
                   static_cast<std::uint32_t>(UVA_DATA + 0x200), sizeof msg};
  k.poke(p, UVA_DATA + 0x100, &d, sizeof d);
  ASSERT_EQ(ptrace(p, PT_IO, c, UVA_DATA + 0x100, 0), 0);
  char got[sizeof msg];
  k.peek(c, UVA_DATA + 0x40, got, sizeof got);
  EXPECT_STREQ(got, msg);
}

// ---- registers ---------------------------------------------------------------------

TEST_F(KernelTest, SetregsThenGetregsRoundTripsAndRefusesPrivilegedFlags) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  reg r = c->td.td_frame;
  r.r_eax = 42;
  r.r_eip = 0x1234;
  k.poke(p, UVA_DATA, &r, sizeof r);
  ASSERT_EQ(ptrace(p, PT_SETREGS, c, UVA_DATA, 0), 0);
  ASSERT_EQ(ptrace(p, PT_GETREGS, c, UVA_DATA + 0x100, 0), 0);
  reg back;
  k.peek(p, UVA_DATA + 0x100, &back, sizeof back);
  EXPECT_EQ(back.r_eax, 42u);
  EXPECT_EQ(back.r_eip, 0x1234u);
  r.r_eflags |= 0x3000;  // IOPL
  k.poke(p, UVA_DATA, &r, sizeof r);
  EXPECT_EQ(ptrace(p, PT_SETREGS, c, UVA_DATA, 0), BSD_EINVAL);
  r = c->td.td_frame;
  r.r_cs = 0x08;  // a kernel selector
  k.poke(p, UVA_DATA, &r, sizeof r);
  EXPECT_EQ(ptrace(p, PT_SETREGS, c, UVA_DATA, 0), BSD_EINVAL);
}

TEST_F(KernelTest, SetdbregsRefusesReservedFieldsAndKernelAddresses) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  dbreg d{};
  d.dr[0] = UVA_DATA;
  d.dr[7] = 0x1;  // L0, execute, 1 byte
  k.poke(p, UVA_DATA, &d, sizeof d);
  EXPECT_EQ(ptrace(p, PT_SETDBREGS, c, UVA_DATA, 0), 0);
  EXPECT_EQ(c->td.td_dbregs.dr[0], UVA_DATA);
  d.dr[0] = VM_MAXUSER_ADDRESS;
  k.poke(p, UVA_DATA, &d, sizeof d);
  EXPECT_EQ(ptrace(p, PT_SETDBREGS, c, UVA_DATA, 0), BSD_EINVAL);
  d.dr[0] = UVA_DATA;
  d.dr[7] = 0x00080001;  // LEN0 = 2: reserved
  k.poke(p, UVA_DATA, &d, sizeof d);
  EXPECT_EQ(ptrace(p, PT_SETDBREGS, c, UVA_DATA, 0), BSD_EINVAL);
}

TEST_F(KernelTest, StepSetsTheTraceFlagAndContinueSetsThePc) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(ptrace(p, PT_STEP, c, 0x1800, 0), 0);
  EXPECT_TRUE(c->td.td_frame.r_eflags & PSL_T);
  EXPECT_EQ(c->td.td_frame.r_eip, 0x1800u);
}

TEST_F(KernelTest, TheAncestorWalkOnACycleIsAHangNotAnEndlessLoop) {
  proc* p = spawn();
  proc* c = fork(p);
  ASSERT_EQ(ptrace(c, PT_ATTACH, p, 1, 0), 0);  // c traces its own parent: a p_pptr cycle
  proc* g = fork(c);
  k.curthread = FIRST_THREAD_IN_PROC(g);
  ASSERT_EQ(k.kern_ptrace(k.curthread, PT_TRACE_ME, 0, nullptr, 0), 0);
  proc* e = spawn();
  k.curthread = FIRST_THREAD_IN_PROC(g);
  try {
    Kernel::ptrace_args uap{PT_ATTACH, e->p_pid, 1, 0};
    k.ptrace(k.curthread, &uap);
    FAIL() << "expected a hang";
  } catch (const KernelHang& h) {
    EXPECT_FALSE(h.cycle.empty());
  }
}


// ---- the swapper (5.x vm_glue.c swapout_procs, faultin) --------------------------

// swapout_procs() skips `p->p_lock != 0 || (p->p_flag & (P_STOPPED_SINGLE |
// P_TRACED | P_SYSTEM | P_WEXIT))`, a process not exactly PS_INMEM and a zombie.
TEST_F(KernelTest, SwapoutProcsSkipsTracedHeldExitingSystemAndZombieProcesses) {
  proc* p = spawn();
  proc* c = fork(p);
  as(c, [&](thread* td) { return k.kern_ptrace(td, PT_TRACE_ME, 0, nullptr, 0); });
  k.swapout(c);
  EXPECT_TRUE(c->p_sflag & PS_INMEM) << "P_TRACED";
  proc* h = fork(p);
  h->p_lock = 1;
  k.swapout(h);
  EXPECT_TRUE(h->p_sflag & PS_INMEM) << "p_lock";
  h->p_lock = 0;
  proc* e = fork(p);
  as(e, [&](thread* td) { return k.exit1_begin(td, 0); });
  k.swapout(e);
  EXPECT_TRUE(e->p_sflag & PS_INMEM) << "P_WEXIT";
  as(e, [&](thread* td) { k.exit1_finish(td); return 0; });
  k.swapout(e);
  EXPECT_TRUE(e->p_sflag & PS_INMEM) << "zombie";
  k.swapout(k.initproc());
  EXPECT_TRUE(k.initproc()->p_sflag & PS_INMEM) << "P_SYSTEM";
  k.swapout(h);
  EXPECT_FALSE(h->p_sflag & PS_INMEM) << "an idle process is swapped out";
}

// thread_safetoswapout(td) is TD_IS_SLEEPING || TD_IS_SUSPENDED (5.x sys/proc.h):
// a stopped (suspended) untraced process is swapped out; one inside execve
// (asleep below PSOCK, on the image's I/O) is not.
TEST_F(KernelTest, SwapoutTakesAStoppedProcessButNotOneInsideExecve) {
  proc* p = spawn();
  proc* c = fork(p);
  ASSERT_EQ(as(p, [&](thread* td) { return k.kill(td, c->p_pid, BSD_SIGSTOP); }), 0);
  ASSERT_TRUE(c->p_flag & P_STOPPED_SIG);
  k.swapout(c);
  EXPECT_FALSE(c->p_sflag & PS_INMEM);
  proc* x = fork(p);
  as(x, [&](thread* td) { return k.execve_begin(td, -1, -1); });
  k.swapout(x);
  EXPECT_TRUE(x->p_sflag & PS_INMEM);
}

// A swapped-out thread cannot run: any call it makes blocks until the swapper
// brings it in (its thread is TDI_SWAPPED until faultin()).
TEST_F(KernelTest, ASwappedOutCallerIsBlockedUntilSwappedIn) {
  proc* p = spawn();
  k.swapout(p);
  ASSERT_FALSE(p->p_sflag & PS_INMEM);
  auto o = op(ptm::OP_GETPPID, p);
  EXPECT_EQ(o.kind, ptm::K_BLOCKED);
  EXPECT_EQ(o.check, ptm::C_ACTOR_CANNOT_RUN);
  EXPECT_EQ(op(ptm::OP_TAKESIG, p).kind, ptm::K_BLOCKED);
  op(ptm::OP_SWAPIN_BEGIN, nullptr, [&](auto& a) { a.pid = p->p_slot; });
  EXPECT_EQ(op(ptm::OP_GETPPID, p).kind, ptm::K_BLOCKED) << "still being swapped in";
  op(ptm::OP_SWAPIN, nullptr, [&](auto& a) { a.pid = p->p_slot; });
  EXPECT_EQ(op(ptm::OP_GETPPID, p).kind, ptm::K_OK);
}

// faultin() with PS_SWAPPINGIN: "If another process is swapping in this
// process, just wait until it finishes": the one msleep is woken by the
// wakeup(&p->p_sflag) at the end of that swap-in, so _PHOLD returns with p in
// memory and PROC_ACTION finds PS_INMEM. Without a swap-in under way faultin
// swaps p in itself. (Under swapout_procs' rules a stopped tracee is never
// swapped out, so the state is set by hand: this is faultin's own test.)
TEST_F(KernelTest, PholdBringsASwappedOutTargetInEvenWhileASwapinIsUnderWay) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  c->p_sflag &= ~PS_INMEM;
  k.swapin_begin(c);
  ASSERT_TRUE(c->p_sflag & PS_SWAPPINGIN);
  EXPECT_EQ(ptrace(p, PT_GETREGS, c, UVA_DATA, 0), 0);
  EXPECT_TRUE(c->p_sflag & PS_INMEM);
  EXPECT_FALSE(c->p_sflag & PS_SWAPPINGIN);
  EXPECT_EQ(c->p_lock, 0);
  c->p_sflag &= ~PS_INMEM;
  EXPECT_EQ(ptrace(p, PT_GETREGS, c, UVA_DATA, 0), 0);
  EXPECT_TRUE(c->p_sflag & PS_INMEM);
  EXPECT_EQ(c->p_lock, 0);
}

// ---- the set-id calls (5.x kern_prot.c) -------------------------------------------

// POSIX_APPENDIX_B_4_2_2 is defined and _POSIX_SAVED_IDS is not: `uid == euid`
// permits, and every permitted setuid() sets ruid, svuid and euid.
TEST_F(KernelTest, SetuidToTheEffectiveUidSetsAllThreeIds) {
  ucred c;
  c.cr_ruid = 1001;
  c.cr_uid = 1002;
  c.cr_svuid = 1003;
  c.cr_groups[0] = c.cr_rgid = c.cr_svgid = 1001;
  proc* p = k.spawn(c, false, false);
  EXPECT_EQ(as(p, [&](thread* td) { return k.setuid(td, 1003); }), BSD_EPERM);  // the saved uid does not permit
  EXPECT_EQ(k.last_check, ptm::C_SETUID_PERM);
  ASSERT_EQ(as(p, [&](thread* td) { return k.setuid(td, 1002); }), 0);
  EXPECT_EQ(p->p_ucred->cr_ruid, 1002u);
  EXPECT_EQ(p->p_ucred->cr_svuid, 1002u);
  EXPECT_EQ(p->p_ucred->cr_uid, 1002u);
  EXPECT_TRUE(p->p_flag & P_SUGID);
}

TEST_F(KernelTest, SetuidToTheRealUidSetsTheSavedUidToo) {
  ucred c;
  c.cr_ruid = 1001;
  c.cr_uid = c.cr_svuid = 1002;
  c.cr_groups[0] = c.cr_rgid = c.cr_svgid = 1001;
  proc* p = k.spawn(c, false, false);
  ASSERT_EQ(as(p, [&](thread* td) { return k.setuid(td, 1001); }), 0);
  EXPECT_EQ(p->p_ucred->cr_svuid, 1001u);  // with _POSIX_SAVED_IDS it would stay 1002
  EXPECT_EQ(p->p_ucred->cr_uid, 1001u);
}

TEST_F(KernelTest, SetgidToTheEffectiveGidSetsAllThreeGids) {
  ucred c;
  c.cr_uid = c.cr_ruid = c.cr_svuid = 1001;
  c.cr_rgid = 100;
  c.cr_groups[0] = 200;
  c.cr_svgid = 300;
  proc* p = k.spawn(c, false, false);
  EXPECT_EQ(as(p, [&](thread* td) { return k.setgid(td, 300); }), BSD_EPERM);
  EXPECT_EQ(k.last_check, ptm::C_SETGID_PERM);
  ASSERT_EQ(as(p, [&](thread* td) { return k.setgid(td, 200); }), 0);
  EXPECT_EQ(p->p_ucred->cr_rgid, 200u);
  EXPECT_EQ(p->p_ucred->cr_svgid, 200u);
  EXPECT_EQ(p->p_ucred->cr_groups[0], 200u);
  EXPECT_TRUE(p->p_flag & P_SUGID);
  // seteuid/setegid: the real or saved id permits; only the effective one changes.
  ASSERT_EQ(as(p, [&](thread* td) { return k.seteuid(td, 1001); }), 0);
  EXPECT_EQ(as(p, [&](thread* td) { return k.setegid(td, 100); }), BSD_EPERM);
  EXPECT_EQ(k.last_check, ptm::C_SETEGID_PERM);
}

// uid_t is u_int32_t: setuid(-1) from the harness is setuid(4294967295).
TEST_F(KernelTest, TheHarnessConvertsIdsAsACCallDoes) {
  proc* p = spawn(0);  // root
  ASSERT_EQ(op(ptm::OP_SETUID, p, [](auto& a) { a.value = -1; }).kind, ptm::K_OK);
  EXPECT_EQ(p->p_ucred->cr_uid, 0xffffffffu);
  EXPECT_EQ(p->p_ucred->cr_ruid, 0xffffffffu);
  ptm::State<ptm::Concrete, 8> g = ptm::initial_state<ptm::Concrete, 8>();
  EXPECT_EQ(abstract<8>(k, g).procs[p->p_slot].p_ucred.cr_uid, 4294967295LL);
}

// ---- PT_STEP and the trace trap (5.x i386 trap.c T_TRCTRAP, kern_sig.c trapsignal) ----

TEST_F(KernelTest, ASingleStepTrapsAfterTheResumeAndTheTracerSeesSigtrap) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(pt(p, PT_STEP, c, 1, 0).kind, ptm::K_OK);
  ASSERT_TRUE(c->td.td_frame.r_eflags & PSL_T);
  // Resumed: issignal() goes on with p_xstat 0, the thread returns to user
  // mode, executes one instruction, and trap() posts SIGTRAP.
  auto t1 = op(ptm::OP_TAKESIG, c);
  ASSERT_EQ(t1.kind, ptm::K_OK);
  EXPECT_EQ(t1.retval, 0);
  EXPECT_TRUE(SIGISMEMBER(c->p_siglist, BSD_SIGTRAP));
  EXPECT_FALSE(c->td.td_frame.r_eflags & PSL_T);
  EXPECT_EQ(c->p_sig, BSD_SIGTRAP);
  auto t2 = op(ptm::OP_TAKESIG, c);
  EXPECT_EQ(t2.retval, BSD_SIGTRAP);
  EXPECT_TRUE(P_SHOULDSTOP(c));
  auto w = wait(p, c->p_pid);
  ASSERT_EQ(w.kind, ptm::K_OK);
  EXPECT_EQ(w.retval, c->p_pid);
  EXPECT_EQ(w.status, BSD_W_STOPCODE(BSD_SIGTRAP));
}

// The trap comes only when the thread really returns to user mode: a signal
// still pending is taken first (issignal's loop; the next takesig here).
TEST_F(KernelTest, NoTraceTrapWhileASignalIsStillPending) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(as(p, [&](thread* td) { return k.kill(td, c->p_pid, BSD_SIGUSR2); }), 0);
  ASSERT_EQ(pt(p, PT_STEP, c, 1, 0).kind, ptm::K_OK);
  EXPECT_EQ(op(ptm::OP_TAKESIG, c).retval, 0);
  EXPECT_TRUE(c->td.td_frame.r_eflags & PSL_T);
  EXPECT_FALSE(SIGISMEMBER(c->p_siglist, BSD_SIGTRAP));
  EXPECT_EQ(op(ptm::OP_TAKESIG, c).retval, BSD_SIGUSR2);  // a trace stop for SIGUSR2 first
}

// exec_setregs zeroes the trapframe before it computes `PSL_USER |
// (regs->tf_eflags & PSL_T)`: exec clears PSL_T (and the debug registers).
TEST_F(KernelTest, ExecClearsTheTraceFlag) {
  proc* p = spawn();
  proc* c = fork(p);
  c->td.td_frame.r_eflags |= PSL_T;
  c->td.td_dbregs.dr[7] = 1;
  ASSERT_EQ(op(ptm::OP_EXEC, c).kind, ptm::K_OK);
  EXPECT_FALSE(c->td.td_frame.r_eflags & PSL_T);
  EXPECT_EQ(c->td.td_dbregs.dr[7], 0u);
  EXPECT_EQ(c->td.td_frame.r_eip, 0u);
}

// ---- exit1 (5.x kern_exit.c) --------------------------------------------------------

// exit1() clears P_TRACED | P_PPWAIT and empties p_siglist right after P_WEXIT
// (and the exit hooks), before its first sleep (fdfree): between the two steps a
// third party's PT_ATTACH succeeds and the zombie ends up traced by it.
TEST_F(KernelTest, ExitUntracesBeforeItsFirstSleepAndAThirdPartyCanAttachInBetween) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  ASSERT_EQ(pt(p, PT_CONTINUE, c, 1, 0).kind, ptm::K_OK);
  ASSERT_EQ(op(ptm::OP_TAKESIG, c).kind, ptm::K_OK);
  ASSERT_EQ(op(ptm::OP_EXIT_BEGIN, c).kind, ptm::K_OK);
  EXPECT_TRUE(c->p_flag & P_WEXIT);
  EXPECT_FALSE(c->p_flag & P_TRACED);
  EXPECT_TRUE(SIGISEMPTY(c->p_siglist));
  proc* d = spawn();
  ASSERT_EQ(pt(d, PT_ATTACH, c).kind, ptm::K_OK);
  EXPECT_TRUE(c->p_flag & P_TRACED);
  EXPECT_EQ(c->p_pptr, d);
  ASSERT_EQ(op(ptm::OP_EXIT_END, c).kind, ptm::K_OK);
  EXPECT_EQ(c->p_state, PRS_ZOMBIE);
  EXPECT_TRUE(c->p_flag & P_TRACED);
  EXPECT_EQ(c->p_pptr, d);
}

// ---- sessions and process groups (5.x kern_prot.c, kern_proc.c, kern_fork.c) ----------

TEST_F(KernelTest, BootLoginForkAndKernelProcessesHaveTheirGroupsAndSessions) {
  EXPECT_EQ(p_pgid(k.proc0()), 0);
  EXPECT_EQ(p_session(k.proc0())->s_sid, 0);
  EXPECT_EQ(p_pgid(k.initproc()), 1);
  EXPECT_EQ(p_session(k.initproc())->s_sid, 1);
  EXPECT_TRUE(SESS_LEADER(k.initproc()));
  proc* p = spawn();  // init forks, the child calls setsid() and execs
  EXPECT_EQ(p_pgid(p), p->p_pid);
  EXPECT_EQ(p_session(p)->s_sid, p->p_pid);
  EXPECT_TRUE(SESS_LEADER(p));
  EXPECT_TRUE(p->p_flag & P_EXEC);
  proc* c = fork(p);  // fork1: the parent's group, no P_EXEC
  EXPECT_EQ(c->p_pgrp, p->p_pgrp);
  EXPECT_FALSE(c->p_flag & P_EXEC);
  EXPECT_EQ(p->p_pgrp->pg_members, (std::list<proc*>{p, c}));  // LIST_INSERT_AFTER(p1, p2)
  ucred root;
  proc* kt = k.spawn(root, false, true);  // kthread_create: fork1 from proc0
  EXPECT_EQ(kt->p_pgrp, k.proc0()->p_pgrp);
  ptm::State<ptm::Concrete, 8> g = ptm::initial_state<ptm::Concrete, 8>();
  auto s = abstract<8>(k, g);
  EXPECT_EQ(s.procs[c->p_slot].p_pgid, p->p_pid);
  EXPECT_EQ(s.procs[c->p_slot].p_sid, p->p_pid);
  EXPECT_TRUE(s.procs[p->p_slot].P_EXEC);
}

TEST_F(KernelTest, SetsidRefusesAGroupLeaderAndMakesANewSessionOtherwise) {
  proc* p = spawn();
  auto o = op(ptm::OP_SETSID, p);
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_SETSID_PERM);
  proc* c = fork(p);
  auto ok = op(ptm::OP_SETSID, c);
  ASSERT_EQ(ok.kind, ptm::K_OK);
  EXPECT_EQ(ok.retval, c->p_pid);
  EXPECT_TRUE(SESS_LEADER(c));
  EXPECT_EQ(p_pgid(c), c->p_pid);
  EXPECT_EQ(p_session(p)->s_count, 1);  // c's old group is still p's
}

// setpgid()'s tests in 5.x's order, each with its errno.
TEST_F(KernelTest, SetpgidChecksInTheSourcesOrder) {
  proc* p = spawn();
  proc* c = fork(p);
  proc* other = spawn();
  auto setpgid = [&](proc* caller, pid_t pid, pid_t pgid) {
    return op(ptm::OP_SETPGID, caller, [&](auto& a) {
      a.pid = pid;
      a.value = pgid;
    });
  };
  auto o = setpgid(p, c->p_pid, -1);
  EXPECT_EQ(o.error, BSD_EINVAL);
  EXPECT_EQ(o.check, ptm::C_SETPGID_EINVAL);
  o = setpgid(p, 999, 0);
  EXPECT_EQ(o.error, BSD_ESRCH);
  EXPECT_EQ(o.check, ptm::C_SETPGID_ESRCH);
  o = setpgid(p, other->p_pid, 0);  // not an inferior
  EXPECT_EQ(o.error, BSD_ESRCH);
  EXPECT_EQ(o.check, ptm::C_SETPGID_NOT_INFERIOR);
  proc* gc = fork(c);
  ASSERT_EQ(op(ptm::OP_SETSID, gc).kind, ptm::K_OK);  // an inferior in another session
  o = setpgid(p, gc->p_pid, 0);
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_SETPGID_SESSION);
  proc* x = fork(p);
  ASSERT_EQ(op(ptm::OP_EXEC, x).kind, ptm::K_OK);
  EXPECT_TRUE(x->p_flag & P_EXEC);
  o = setpgid(p, x->p_pid, 0);
  EXPECT_EQ(o.error, BSD_EACCES);
  EXPECT_EQ(o.check, ptm::C_SETPGID_EXEC);
  o = setpgid(p, 0, 0);  // p leads its session
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_SETPGID_LEADER);
  o = setpgid(p, c->p_pid, 999);  // no such group
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_SETPGID_PGRP);
  o = setpgid(p, c->p_pid, other->p_pid);  // a group of another session
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_SETPGID_PGRP);
  ASSERT_EQ(setpgid(p, c->p_pid, 0).kind, ptm::K_OK);  // pgid 0: the target's pid, a new group
  EXPECT_EQ(p_pgid(c), c->p_pid);
  EXPECT_EQ(c->p_pgrp->pg_jobc, 1);  // c's parent is in another group of its session
  ASSERT_EQ(setpgid(c, 0, 0).kind, ptm::K_OK);  // already there: nothing to do
  ASSERT_EQ(setpgid(p, c->p_pid, p->p_pid).kind, ptm::K_OK);  // back into p's group
  EXPECT_EQ(p_pgid(c), p->p_pid);
  EXPECT_EQ(find_pgrp(c->p_pid), nullptr);  // the emptied group is gone
}

// fork1's pid loop skips any pid that is some process's p_pid, pgrp id or
// session id, on allproc and zombproc.
TEST_F(KernelTest, PidAllocationSkipsLiveGroupAndSessionIds) {
  proc* s = spawn();  // pid 2
  proc* a = fork(s);  // 3
  ASSERT_EQ(op(ptm::OP_SETSID, a).kind, ptm::K_OK);  // session 3
  proc* a2 = fork(a);  // 4, in session 3
  proc* b = fork(s);   // 5
  ASSERT_EQ(op(ptm::OP_SETPGID, b).kind, ptm::K_OK);  // group 5
  proc* b2 = fork(b);  // 6, in group 5
  for (proc* q : {a, b}) {
    ASSERT_EQ(op(ptm::OP_EXIT, q).kind, ptm::K_OK);
    ASSERT_EQ(wait(s, q->p_pid).kind, ptm::K_OK);  // reaped: pids 3 and 5 are free as pids
  }
  EXPECT_EQ(p_session(a2)->s_sid, 3);
  EXPECT_EQ(p_pgid(b2), 5);
  k.lastpid = 2;
  proc* n = fork(s);
  EXPECT_EQ(n->p_pid, 7);  // 3 is a session id, 4 a pid, 5 a group id, 6 a pid
}

// A zombie stays in its process group until wait1() reaps it (leavepgrp); wait
// for pid 0 means the caller's group.
TEST_F(KernelTest, AZombieKeepsItsGroupUntilReaped) {
  proc* p = spawn();
  proc* c = fork(p);
  ASSERT_EQ(op(ptm::OP_SETPGID, c).kind, ptm::K_OK);
  pgrp* g = c->p_pgrp;
  ASSERT_EQ(op(ptm::OP_EXIT, c).kind, ptm::K_OK);
  EXPECT_EQ(c->p_pgrp, g);
  EXPECT_NE(find_pgrp(c->p_pid), nullptr);
  EXPECT_EQ(wait(p, 0).error, BSD_ECHILD);  // pid 0: p's group; c is in another
  auto w = wait(p, -c->p_pid);              // pid < -1: group -pid
  ASSERT_EQ(w.kind, ptm::K_OK);
  EXPECT_EQ(w.retval, c->p_pid);
  EXPECT_EQ(find_pgrp(c->p_pid), nullptr);
}

// exit1's fixjobc: the exiting process was the last to qualify its child's
// group; the group is orphaned and has a stopped member: SIGHUP, then SIGCONT.
TEST_F(KernelTest, AnOrphanedGroupWithAStoppedMemberGetsSighupAndSigcontFromExit) {
  proc* s = spawn();
  proc* b = fork(s);
  ASSERT_EQ(op(ptm::OP_SETPGID, b).kind, ptm::K_OK);
  EXPECT_EQ(b->p_pgrp->pg_jobc, 1);
  proc* c = fork(b);
  ASSERT_EQ(as(b, [&](thread* td) { return k.kill(td, c->p_pid, BSD_SIGSTOP); }), 0);
  ASSERT_TRUE(c->p_flag & P_STOPPED_SIG);
  ASSERT_EQ(op(ptm::OP_EXIT, b).kind, ptm::K_OK);
  EXPECT_EQ(c->p_pgrp->pg_jobc, 0);
  EXPECT_FALSE(c->p_flag & P_STOPPED_SIG);
  EXPECT_TRUE(SIGISMEMBER(c->p_siglist, BSD_SIGHUP));
  EXPECT_FALSE(SIGISMEMBER(c->p_siglist, BSD_SIGCONT));
}

// setpgid's doenterpgrp -> fixjobc(p, oldpgrp, 0) can orphan a group too: here
// the leaving process's child qualified the group through it.
TEST_F(KernelTest, SetpgidCanOrphanAGroup) {
  proc* s = spawn();
  proc* p0 = fork(s);
  proc* a = fork(p0);
  ASSERT_EQ(op(ptm::OP_SETPGID, a).kind, ptm::K_OK);  // group a, qualified by a (parent p0 in s's group)
  proc* c = fork(a);
  ASSERT_EQ(as(a, [&](thread* td) { return k.kill(td, c->p_pid, BSD_SIGSTOP); }), 0);
  ASSERT_EQ(op(ptm::OP_EXIT, s).kind, ptm::K_OK);  // p0 goes to init (session 1)
  ASSERT_EQ(p0->p_pptr, k.initproc());
  ASSERT_EQ(op(ptm::OP_SETPGID, p0, [&](auto& x) { x.value = a->p_pid; }).kind, ptm::K_OK);
  EXPECT_FALSE(c->p_flag & P_STOPPED_SIG);
  EXPECT_TRUE(SIGISMEMBER(c->p_siglist, BSD_SIGHUP));
}

// p_cansignal: "processes in the same session always be able to deliver
// SIGCONT to one another, overriding the remaining protections" (after the
// self test, before cr_cansignal).
TEST_F(KernelTest, SigcontWithinASessionOverridesTheCredentialTests) {
  proc* s = spawn(0);
  proc* x = fork(s);
  ASSERT_EQ(op(ptm::OP_SETUID, x, [](auto& a) { a.value = 1002; }).kind, ptm::K_OK);
  auto kill = [&](proc* from, proc* to, int sig) {
    return op(ptm::OP_KILL, from, [&](auto& a) {
      a.pid = to->p_pid;
      a.sig = sig;
    });
  };
  EXPECT_EQ(kill(x, s, BSD_SIGCONT).kind, ptm::K_OK);
  auto o = kill(x, s, BSD_SIGUSR1);
  EXPECT_EQ(o.error, BSD_EPERM);
  EXPECT_EQ(o.check, ptm::C_CANSIGNAL_IDS);
  proc* y = spawn(1002);
  EXPECT_EQ(kill(y, s, BSD_SIGCONT).error, BSD_EPERM);
}

// ---- widths: PT_IO with piod_len = (size_t)-1 ------------------------------------------

// piod_len is a 32-bit size_t, uio_resid an int: -1. proc_rwmem's len =
// min(PAGE_SIZE - page_offset, uio_resid) is libkern's u_int min: the rest of
// the page; uiomove moves it (`while (n > 0 && uio->uio_resid)`), uio_resid
// goes further below 0, and proc_rwmem's `while (... && uio->uio_resid > 0)`
// stops after the one page: 0, and piod_len -= uio_resid leaves the count moved.
TEST_F(KernelTest, PtIoWithLengthMinusOneMovesTheRestOfOnePage) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  std::uint8_t pattern[32];
  for (int i = 0; i < 32; ++i) pattern[i] = static_cast<std::uint8_t>(0x40 + i);
  k.poke(c, UVA_DATA + PAGE_SIZE - 32, pattern, 32);
  auto o = op(ptm::OP_PTRACE, p, [&](auto& a) {
    a.pt.pid = c->p_pid;
    a.pt.addr = UVA_DATA + 0x100;
    a.pt.piod_op = PIOD_READ_D;
    a.pt.piod_offs = UVA_DATA + PAGE_SIZE - 32;
    a.pt.piod_addr = UVA_DATA + 0x200;
    a.pt.piod_len = -1;
  }, PT_IO);
  ASSERT_EQ(o.kind, ptm::K_OK);
  ptrace_io_desc back;
  k.peek(p, UVA_DATA + 0x100, &back, sizeof back);
  EXPECT_EQ(back.piod_len, 32u);
  std::uint8_t got[32];
  k.peek(p, UVA_DATA + 0x200, got, 32);
  EXPECT_EQ(0, std::memcmp(got, pattern, 32));
}

// PT_READ_D's return value is the word read (td_retval[0] = tmp), through the
// harness too; the other requests return 0 (syscall() zeroes td_retval[0]).
TEST_F(KernelTest, PtReadReturnsTheWordThroughTheHarness) {
  proc* p = spawn();
  proc* c = fork(p);
  trace_stopped(p, c);
  std::uint32_t w = 0x1234abcd;
  k.poke(c, UVA_DATA + 16, &w, 4);
  auto o = pt(p, PT_READ_D, c, UVA_DATA + 16);
  ASSERT_EQ(o.kind, ptm::K_OK);
  EXPECT_EQ(static_cast<std::uint32_t>(o.retval), 0x1234abcdu);
  EXPECT_EQ(pt(p, PT_GETREGS, c, UVA_DATA).retval, 0);
}

// The lockstep's memory comparison (trap.cpp): the model's contents
// (model/memory.hpp) against the kernel's pages, after the same steps on both.
TEST(LockstepMemory, ComparesEveryByteExceptUnspecifiedOnesAndTheWordRead) {
  using namespace ptm;
  constexpr int N = 4;
  Kernel k{N, pid_max<N>};
  auto s = initial_state<Concrete, N>();
  Memory<N> mem;
  std::vector<std::string> last;
  Outcome<Concrete> model_out, impl_out;
  auto both = [&](OpKind kind, auto set, Req req = PT_TRACE_ME) {
    Args<Concrete> a = default_args<Concrete>();
    set(a);
    Op op{kind, req};
    auto [st, eff] = step_with_memory<N>(s, mem, op, a);
    impl_out = apply(k, op, a);
    model_out = st.out;
    s = st.next;
    last = lockstep_differences<N>(k, op, st.out, impl_out, s, mem, eff);
    EXPECT_TRUE(last.empty()) << last.front();
  };
  both(OP_SPAWN, [](auto& a) {
    a.cred.cr_uid = a.cred.cr_ruid = a.cred.cr_svuid = 1001;
    a.cred.cr_groups[0] = a.cred.cr_rgid = a.cred.cr_svgid = 1001;
  });
  const std::int64_t P = 2, C = 3;
  both(OP_FORK, [&](auto& a) { a.actor = P; });
  const std::int64_t cpid = s.procs[C].p_pid;
  both(OP_PTRACE, [&](auto& a) { a.actor = C; });
  both(OP_KILL, [&](auto& a) { a.actor = P; a.pid = cpid; a.sig = BSD_SIGSTOP; });
  both(OP_TAKESIG, [&](auto& a) { a.actor = C; });
  both(OP_WAIT, [&](auto& a) { a.actor = P; a.pid = cpid; });
  both(OP_PTRACE, [&](auto& a) { a.actor = P; a.pt.pid = cpid; a.pt.addr = 0x2000; a.pt.data = 0x5a5a1234; }, PT_WRITE_D);
  both(OP_PTRACE, [&](auto& a) { a.actor = P; a.pt.pid = cpid; a.pt.addr = 0x2000; }, PT_READ_D);
  ASSERT_EQ(model_out.kind, K_OK);
  EXPECT_EQ(model_out.retval, 0x5a5a1234);
  EXPECT_EQ(impl_out.retval, 0x5a5a1234);

  // A byte the kernel does not hold is reported, by slot and address.
  Memory<N> planted = mem;
  planted.put(C, 0x2001, {0x99, false});
  auto d = memory_differences<N>(k, s, planted);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "slot 3 memory 0x2001: model 0x99, impl 0x12");
  // The same byte, unspecified, is not.
  planted.put(C, 0x2001, {0x99, true});
  EXPECT_TRUE(memory_differences<N>(k, s, planted).empty());
  // A shared page is every process's: planted in P's view, it shows in both.
  planted = mem;
  planted.put(P, 0x6000, {0, false});
  EXPECT_EQ(memory_differences<N>(k, s, planted).size(), 3u);  // init, P and C map the file
  // The word read is compared, unless the model calls it unspecified.
  Outcome<Concrete> other = model_out;
  other.retval = 7;
  Op read{OP_PTRACE, PT_READ_D};
  EXPECT_FALSE(same_outcome(read, other, impl_out, nullptr));
  EXPECT_TRUE(same_outcome(read, other, impl_out, nullptr, true));
}

}  // namespace
}  // namespace impl
