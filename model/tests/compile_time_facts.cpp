// Compile-time facts: each reachable check of ptrace()/kern_ptrace() fires in
// a scenario built by running the model at compile time, with the errno the
// seed returns there. A wrong rule fails the build, not a test run.
#include "model/tests/sim.hpp"

namespace ptm::test {
namespace {

using D = Concrete;

// seed 350-366: the buffer is copied in before kern_ptrace() even looks up the pid.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  return is_err(m.pt(p, PT_IO, NOPROC, [](auto& a) { a.addr = 0; }), C_PTRACE_COPYIN);
}());

// seed 421-426
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  return is_err(m.pt(p, PT_ATTACH, NOPROC), C_PFIND);
}());

// seed 428: p_cansee, a jailed caller and a target outside its prison.
static_assert([] {
  Sim<> m;
  int p = m.spawn(1001, 1001, [](Args<D>& a) { a.cred.cr_prison = 1; });
  int q = m.spawn();
  return is_err(m.pt(p, PT_ATTACH, q), C_CANSEE_PRISON);
}());

// seed 428: p_cansee with security.bsd.see_other_uids=0.
static_assert([] {
  Sim<> m;
  m.sysctl(SEE_OTHER_UIDS, 0);
  int p = m.spawn(1001);
  int q = m.spawn(1002);
  return is_err(m.pt(p, PT_ATTACH, q), C_CANSEE_UIDS);
}());

// seed 428: p_cansee with security.bsd.see_other_gids=0 and no shared group.
static_assert([] {
  Sim<> m;
  m.sysctl(SEE_OTHER_GIDS, 0);
  int p = m.spawn(1001, 10);
  int q = m.spawn(1001, 20);
  return is_err(m.pt(p, PT_ATTACH, q), C_CANSEE_GIDS);
}());

// seed 431: unprivileged_proc_debug=0 refuses even PT_TRACE_ME (before the self exemption).
static_assert([] {
  Sim<> m;
  m.sysctl(UNPRIVILEGED_PROC_DEBUG, 0);
  int p = m.spawn();
  return is_err(m.pt(p, PT_TRACE_ME, NOPROC), C_CANDEBUG_UNPRIV);
}());

// seed 431: another user's process.
static_assert([] {
  Sim<> m;
  int p = m.spawn(1001);
  int q = m.spawn(1002);
  return is_err(m.pt(p, PT_ATTACH, q), C_CANDEBUG_CRED);
}());

// seed 431: a set-id process, same uid.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int q = m.spawn(1001, 1001, [](Args<D>& a) { a.sugid = true; });
  return is_err(m.pt(p, PT_ATTACH, q), C_CANDEBUG_CRED);
}());

// seed 431-440: root and init. securelevel 1: EPERM from p_candebug; -1: EINVAL (P_SYSTEM).
static_assert([] {
  Sim<> m;
  int r = m.spawn(0, 0);
  m.sysctl(KERN_SECURELEVEL, 1);
  return is_err(m.pt(r, PT_ATTACH, SLOT_INIT), C_CANDEBUG_INIT_SECURE);
}());
static_assert([] {
  Sim<> m;
  int r = m.spawn(0, 0);
  return is_err(m.pt(r, PT_ATTACH, SLOT_INIT), C_SYSTEM);
}());
// A non-root caller gets EPERM for init, from the credential test.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  return is_err(m.pt(p, PT_ATTACH, SLOT_INIT), C_CANDEBUG_CRED);
}());

// seed 431: a target inside execve (P_INEXEC).
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int q = m.spawn();
  m.op(OP_EXEC_BEGIN, q);
  return is_err(m.pt(p, PT_ATTACH, q), C_CANDEBUG_INEXEC);
}());

// seed 451-455: Self
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  return is_err(m.pt(p, PT_ATTACH, p), C_ATTACH_SELF);
}());

// seed 457-461: Already traced
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  int d = m.spawn();
  return is_err(m.pt(d, PT_ATTACH, c), C_ATTACH_TRACED);
}());

// seed 463-471: a traced child attaching its parent.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  return is_err(m.pt(c, PT_ATTACH, p), C_ATTACH_ANCESTOR);
}());

// seed 463-471: the walk never ends. An untraced child attaches its parent
// (no ancestor test for an untraced caller), making a p_pptr cycle {P, C};
// a traced grandchild's walk then goes round it for ever.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  if (!is_ok(m.pt(c, PT_ATTACH, p))) return false;
  int g = m.fork(c);
  m.pt(g, PT_TRACE_ME, NOPROC);
  int e = m.spawn();
  // The cycle the report names: P and C, in walk order from G's parent.
  auto cyc = ancestor_cycle<6>(m.s, static_cast<int>(m.proc(g).p_pptr));
  return is(m.pt(g, PT_ATTACH, e), K_HANG, 0, C_ATTACH_ANCESTOR_LOOP) && cyc[0] == c && cyc[1] == p &&
         cyc[2] == NOPROC;
}());

// seed 492-508: not being traced... / not being traced by YOU / not currently stopped
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  return is_err(m.pt(p, PT_CONTINUE, c), C_NOT_TRACED);
}());
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  int d = m.spawn();
  return is_err(m.pt(d, PT_GETREGS, c), C_NOT_YOURS);
}());
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  return is_err(m.pt(p, PT_READ_D, c), C_NOT_STOPPED);
}());
// Stopped but not yet waited for: still "not currently stopped".
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  m.pt(c, PT_TRACE_ME, NOPROC);
  m.kill(p, c, BSD_SIGSTOP);
  m.takesig(c);
  return is_err(m.pt(p, PT_KILL, c), C_NOT_STOPPED);
}());

// seed 513-515: an unknown request number, after every permission check.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.fork(p);
  return is_err(m.pt(p, PT_UNKNOWN, c), C_UNKNOWN_REQ);
}());

// seed 553-557: the signal range, for PT_CONTINUE and PT_DETACH but not PT_STEP.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_CONTINUE, c, [](auto& a) { a.data = 129; }), C_SIGNAL_RANGE) &&
         is_err(m.pt(p, PT_DETACH, c, [](auto& a) { a.data = -1; }), C_SIGNAL_RANGE) &&
         is_ok(m.pt(p, PT_STEP, c, [](auto& a) { a.data = 129; }));
}());

// seed 665-676: PT_IO with an unknown piod_op.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_IO, c, [](auto& a) { a.piod_op = 9; }), C_IO_OP);
}());

// seed 212-219: vm_fault() fails: an unmapped address, a PROT_NONE page read,
// a write to a read-only shared mapping.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_READ_D, c, [](auto& a) { a.addr = 0; }), C_RWMEM_FAULT) &&
         is_err(m.pt(p, PT_READ_I, c, [](auto& a) { a.addr = VA_GUARD; }), C_RWMEM_FAULT) &&
         is_err(m.pt(p, PT_WRITE_D, c, [](auto& a) { a.addr = VA_RO; }), C_RWMEM_FAULT) &&
         // With VM_PROT_OVERRIDE_WRITE, text and PROT_NONE private pages are writable.
         is_ok(m.pt(p, PT_WRITE_I, c, [](auto& a) { a.addr = VA_TEXT; })) &&
         is_ok(m.pt(p, PT_WRITE_D, c, [](auto& a) { a.addr = VA_GUARD; })) &&
         // An int that straddles the end of the data segment into the read-only mapping.
         is_err(m.pt(p, PT_WRITE_D, c, [](auto& a) { a.addr = VA_RO - 2; }), C_RWMEM_FAULT);
}());

// seed 286-289: PT_IO whose buffer in the caller faults; the target's page comes first.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_IO, c, [](auto& a) { a.piod_addr = VA_TEXT; }), C_RWMEM_UIOMOVE) &&  // copyout to text
         is_err(m.pt(p, PT_IO, c, [](auto& a) { a.piod_addr = 0; a.piod_offs = 0; }), C_RWMEM_FAULT) &&
         // zero-length transfer: the target page is still faulted (do ... while), the buffer never touched.
         is_ok(m.pt(p, PT_IO, c, [](auto& a) { a.piod_len = 0; a.piod_addr = 0; })) &&
         is_err(m.pt(p, PT_IO, c, [](auto& a) { a.piod_len = 0; a.piod_offs = 0; }), C_RWMEM_FAULT);
}());

// seed 83-92: PROC_ACTION's EIO cannot fire in 5.x: the swapper passes over a
// traced process (vm_glue.c swapout_procs), and _PHOLD's faultin() returns only
// with the process in memory, also when a swap-in is already under way.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  m.swap(OP_SWAPOUT, c);
  if (!m.proc(c).PS_INMEM) return false;
  m.swap(OP_SWAPIN_BEGIN, c);
  return is_ok(m.pt(p, PT_GETFPREGS, c)) && m.proc(c).PS_INMEM;
}());

// set_regs / set_dbregs refuse a register set that fails the i386 checks.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_SETREGS, c, [](auto& a) { a.regs_ok = false; }), C_SET_REGS_MD) &&
         is_err(m.pt(p, PT_SETDBREGS, c, [](auto& a) { a.regs_ok = false; }), C_SET_DBREGS_MD) &&
         is_ok(m.pt(p, PT_SETFPREGS, c, [](auto& a) { a.regs_ok = false; }));  // set_fpregs has no check
}());

// seed 376-384: the result is copied out after kern_ptrace() succeeded.
static_assert([] {
  Sim<> m;
  int p = m.spawn();
  int c = m.traced_stopped_child(p);
  return is_err(m.pt(p, PT_GETDBREGS, c, [](auto& a) { a.addr = VA_TEXT; }), C_PTRACE_COPYOUT);
}());

// Every check table entry that is marked reachable is reached above or in the
// environment's facts below; the ones marked unreachable say why.
consteval bool unreachable_checks_say_why() {
  for (const auto& c : kChecks)
    if (!c.reachable && c.why.empty()) return false;
  return true;
}
static_assert(unreachable_checks_say_why());

}  // namespace
}  // namespace ptm::test

int main() { return 0; }  // the facts above are checked when this file compiles
