// The simulated kernel's own tests: lock assertions, the VM path proc_rwmem
// runs (faults, backing objects, copy-on-write, partial transfers), copyin and
// copyout, and register contents, none of which the model keeps.
#include <gtest/gtest.h>

#include <cstring>

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

}  // namespace
}  // namespace impl
