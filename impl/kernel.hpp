// The reference implementation: a small simulated FreeBSD 5.x kernel whose
// ptrace path follows the seed's ptrace() / kern_ptrace() / proc_rwmem() /
// PROC_ACTION, with the kernel primitives they call. It is a second,
// independent reading of the seed in the kernel's own structure: put it beside
// sys_process.c and follow it line by line. docs/impl.md maps the two.
//
// The simulator is sequential: one system call (or kernel event) runs at a
// time, to completion. A KASSERT, a panic or a write outside a kernel
// structure throws KernelFault; a loop that would never end throws KernelHang.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/check.hpp"
#include "model/constants.hpp"

namespace impl {

// The kernel's types, i386 (sys/types.h, machine/_types.h): uid_t and gid_t
// are __uint32_t, pid_t is __int32_t. The harness converts the model's wider
// argument values to these as a C call converts an argument (trap.cpp).
using pid_t = std::int32_t;
using uid_t = std::uint32_t;
using gid_t = std::uint32_t;
using u_int = std::uint32_t;
using vm_offset_t = std::uint64_t;  // 32 bits on i386; every user address here is below 4 GB
using namespace ptm;  // the request, errno and signal numbers of <sys/*.h>

struct KernelFault : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct KernelHang : std::runtime_error {
  std::vector<pid_t> cycle;
  KernelHang(const std::string& what, std::vector<pid_t> c) : std::runtime_error(what), cycle(std::move(c)) {}
};
[[noreturn]] void panic(const std::string& msg);
#define KASSERT(exp, msg) \
  do {                    \
    if (!(exp)) ::impl::panic(msg); \
  } while (0)

struct thread;

// ---- locks (sys/mutex.h, sys/sx.h) ----------------------------------------------
enum { MA_OWNED = 1, MA_NOTOWNED = 2 };
struct mtx {
  const char* name;
  int order;  // lock order: a lock may be taken only while holding locks of lower order
  thread* owner = nullptr;
};
struct sx {
  const char* name;
  int order;
  thread* xowner = nullptr;
  int shared = 0;
};

// ---- credentials (sys/ucred.h) -------------------------------------------------
inline constexpr int NGROUPS = 3;
struct ucred {
  uid_t cr_uid = 0, cr_ruid = 0, cr_svuid = 0;
  int cr_ngroups = 1;
  gid_t cr_groups[NGROUPS] = {0, 0, 0};
  gid_t cr_rgid = 0, cr_svgid = 0;
  int cr_prison = 0;  // 0: not jailed
};
using ucred_ref = std::shared_ptr<const ucred>;  // crhold/crfree; changed by copy (crcopy)

// ---- signals (sys/signal.h) ----------------------------------------------------
struct sigset_t {
  std::uint32_t __bits[_SIG_WORDS] = {};
};
void SIGADDSET(sigset_t& set, int sig);  // outside 1.._SIG_MAXSIG: a write outside the set
void SIGDELSET(sigset_t& set, int sig);
bool SIGISMEMBER(const sigset_t& set, int sig);
bool SIGISEMPTY(const sigset_t& set);

// ---- machine state (machine/reg.h, i386) ---------------------------------------
inline constexpr std::uint32_t PSL_T = 0x100;   // trace enable
inline constexpr std::uint32_t PSL_USERCHANGE = 0x00000dd5 | PSL_T;  // C, PF, AF, ZF, SF, TF, DF, OF (machine/psl.h)
inline constexpr std::uint32_t PSL_USER = 0x202;  // IF and the reserved bit 1
inline constexpr std::uint32_t SEL_UPL = 3;
inline constexpr std::uint32_t GUCODE_SEL = 0x1f;  // a user code selector, RPL 3
inline constexpr vm_offset_t VM_MAXUSER_ADDRESS = 0xbfc00000;
inline constexpr int T_TRCTRAP = 10;  // trace trap (machine/trap.h)
struct reg {  // struct reg, 19 registers
  std::uint32_t r_fs, r_es, r_ds, r_edi, r_esi, r_ebp, r_isp, r_ebx, r_edx, r_ecx, r_eax, r_trapno, r_err, r_eip,
      r_cs, r_eflags, r_esp, r_ss, r_gs;
};
struct fpreg {
  std::uint32_t fpr_env[7];
  std::uint8_t fpr_acc[8][10];
  std::uint32_t fpr_ex_sw;
  std::uint8_t fpr_pad[64];
};
struct dbreg {
  std::uint32_t dr[8];
};
static_assert(sizeof(reg) == SIZEOF_REG && sizeof(fpreg) == SIZEOF_FPREG && sizeof(dbreg) == SIZEOF_DBREG);

// ---- virtual memory (vm/) ---------------------------------------------------------
enum vm_prot_t : int {
  VM_PROT_NONE = 0,
  VM_PROT_READ = 1,
  VM_PROT_WRITE = 2,
  VM_PROT_EXECUTE = 4,
  VM_PROT_OVERRIDE_WRITE = 8,
  VM_PROT_ALL = 7,
};
struct vm_page {
  std::array<std::uint8_t, PAGE_SIZE> data{};
  int wire_count = 0;
};
struct vm_object {
  enum Type { OBJT_DEFAULT, OBJT_VNODE } type = OBJT_DEFAULT;
  std::string name;
  std::map<std::uint64_t, std::unique_ptr<vm_page>> memq;  // resident pages by pindex
  std::shared_ptr<vm_object> backing_object;
  std::uint64_t backing_object_offset = 0;  // bytes
  int ref_count = 1;
};
using vm_object_t = std::shared_ptr<vm_object>;
struct vm_map_entry {
  vm_offset_t start, end;
  vm_object_t object;
  std::uint64_t offset = 0;  // into the object, bytes
  int protection, max_protection;
  bool shared = false;      // MAP_SHARED: no copy-on-write
  bool needs_copy = false;  // MAP_ENTRY_NEEDS_COPY: the next write makes a shadow object
};
struct vmspace {
  std::vector<vm_map_entry> vm_map;
  int vm_refcnt = 1;
};

// ---- processes (sys/proc.h) --------------------------------------------------
// p_flag (FreeBSD 5.0 values)
enum : int {
  P_CONTROLT = 0x2, P_KTHREAD = 0x4, P_PPWAIT = 0x10, P_SUGID = 0x100, P_SYSTEM = 0x200, P_TRACED = 0x800,
  P_WAITED = 0x1000, P_WEXIT = 0x2000, P_EXEC = 0x4000, P_STOPPED_SIG = 0x20000, P_STOPPED_TRACE = 0x40000,
  P_INEXEC = 0x8000000,
};
inline constexpr int P_STOPPED = P_STOPPED_SIG | P_STOPPED_TRACE;
// p_sflag
enum : int { PS_INMEM = 0x1, PS_SWAPPINGIN = 0x40 };
enum prstate { PRS_NEW = 0, PRS_NORMAL = 1, PRS_ZOMBIE = 2 };

struct proc;

// Sessions and process groups (sys/proc.h, 5.x): a process's p_pgrp; its
// session is p_pgrp->pg_session (the kernel's p_session and p_pgid are macros).
struct session {
  int s_count = 0;          // ref count: the process groups in the session
  proc* s_leader = nullptr;  // the session leader (NULL once it has exited)
  pid_t s_sid = 0;          // the session ID
};
struct pgrp {
  std::list<proc*> pg_members;  // LIST_HEAD pg_members: front is the head
  session* pg_session = nullptr;
  pid_t pg_id = 0;
  int pg_jobc = 0;  // # procs qualifying pgrp for job control
};
struct thread {
  proc* td_proc = nullptr;
  int td_retval[2] = {0, 0};
  reg td_frame{};     // the trapframe
  fpreg td_fpregs{};  // the saved FPU state
  dbreg td_dbregs{};
  // The thread is suspended inside issignal() in a trace stop, holding `sig`
  // there; when it runs again it goes on with that value (0: it is not).
  int td_issignal_sig = 0;
};

struct proc {
  int p_slot = -1;  // its item in the proc zone (see kern_proc.cpp)
  prstate p_state = PRS_NEW;
  pid_t p_pid = 0;
  proc* p_pptr = nullptr;
  std::list<proc*> p_children;  // LIST_INSERT_HEAD: front is the head
  pid_t p_oppid = 0;
  // The parent a PT_ATTACH took the process from (moved to init when that
  // parent exits), null when the attacher was the parent or after PT_TRACE_ME.
  // The seed has no such link (it finds the parent again by p_oppid); the delta
  // detach_real_parent reads it, as later kernels read their orphan list.
  proc* p_orphan_of = nullptr;
  int p_flag = 0;
  int p_sflag = 0;
  int p_lock = 0;  // _PHOLD count
  pgrp* p_pgrp = nullptr;  // kept by a zombie until wait1() reaps it (leavepgrp)
  std::uint16_t p_xstat = 0;
  sigset_t p_siglist;
  ucred_ref p_ucred;
  std::shared_ptr<vmspace> p_vmspace;
  mtx p_mtx{"process lock", 30};
  thread td;  // FIRST_THREAD_IN_PROC(p): one thread per process
  // The two-step exit and execve keep their arguments between the steps (the
  // harness's, not kernel fields): the owner of a set-uid / set-gid image as
  // a uid_t / gid_t, or -1 when the image is not set-id.
  int p_exit_rv = 0;
  std::int64_t p_exec_suid = -1;
  std::int64_t p_exec_sgid = -1;
  // For a trap: p_code and p_sig (kern_sig.c trapsignal: "XXX for core dump/debugger").
  unsigned long p_code = 0;
  int p_sig = 0;
};
// FIRST_THREAD_IN_PROC and P_SHOULDSTOP are macros in the kernel; functions
// here, so they do not leak into the model's headers.
inline thread* FIRST_THREAD_IN_PROC(proc* p) { return &p->td; }
inline int P_SHOULDSTOP(const proc* p) { return p->p_flag & P_STOPPED; }
inline session* p_session(const proc* p) { return p->p_pgrp ? p->p_pgrp->pg_session : nullptr; }
inline pid_t p_pgid(const proc* p) { return p->p_pgrp->pg_id; }
inline bool SESS_LEADER(const proc* p) { return p_session(p) && p_session(p)->s_leader == p; }

// Lock order (the witness-like check): Giant, proctree_lock, allproc_lock,
// process locks, sched_lock.
inline constexpr int ORDER_GIANT = 10, ORDER_PROCTREE = 20, ORDER_ALLPROC = 25, ORDER_SCHED = 40;

}  // namespace impl
