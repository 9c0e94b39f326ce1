// i386 machdep.c (MD5; kernel-context.md §10): the register sets and the
// ptrace hooks.
#include <cstring>

#include "impl/sim.hpp"

namespace impl {

namespace {
// EFL_SECURE: only the user-changeable flags may differ; CS_SECURE: a user selector.
bool EFL_SECURE(std::uint32_t ef, std::uint32_t oef) { return ((ef ^ oef) & ~PSL_USERCHANGE) == 0; }
bool CS_SECURE(std::uint32_t cs) { return (cs & 3) == SEL_UPL; }
}  // namespace

int Kernel::fill_regs(thread* td, reg* regs) {
  *regs = td->td_frame;
  return 0;
}
int Kernel::set_regs(thread* td, const reg* regs) {
  if (!EFL_SECURE(regs->r_eflags, td->td_frame.r_eflags) || !CS_SECURE(regs->r_cs))
    return fail_at(C_SET_REGS_MD, BSD_EINVAL);
  td->td_frame = *regs;
  return 0;
}
int Kernel::fill_fpregs(thread* td, fpreg* regs) {
  *regs = td->td_fpregs;
  return 0;
}
int Kernel::set_fpregs(thread* td, const fpreg* regs) {
  td->td_fpregs = *regs;
  return 0;
}
int Kernel::fill_dbregs(thread* td, dbreg* regs) {
  *regs = td->td_dbregs;
  return 0;
}
int Kernel::set_dbregs(thread* td, const dbreg* regs) {
  const std::uint32_t dr7 = regs->dr[7];
  for (int i = 0; i < 4; ++i) {
    std::uint32_t rw = (dr7 >> (16 + 4 * i)) & 3, len = (dr7 >> (18 + 4 * i)) & 3;
    if (rw == 2 || len == 2) return fail_at(C_SET_DBREGS_MD, BSD_EINVAL);  // reserved values
    if ((dr7 & (3u << (2 * i))) && regs->dr[i] >= VM_MAXUSER_ADDRESS) return fail_at(C_SET_DBREGS_MD, BSD_EINVAL);
  }
  td->td_dbregs = *regs;
  return 0;
}
int Kernel::ptrace_set_pc(thread* td, unsigned long addr) {
  td->td_frame.r_eip = static_cast<std::uint32_t>(addr);
  return 0;
}
int Kernel::ptrace_single_step(thread* td) {
  td->td_frame.r_eflags |= PSL_T;
  return 0;
}

// trap() (5.x i386 trap.c), the user-mode trace trap: the CPU, running a user
// instruction with PSL_T set, raises T_TRCTRAP; trap() clears PSL_T in the
// trapframe, takes SIGTRAP (ucode 0), and posts it with trapsignal(); userret()
// then returns to the thread, whose next issignal() takes the signal. (The
// P_WEXIT test before the switch does not apply: an exiting thread does not
// return to user mode here.) The harness calls it when a thread with PSL_T
// returns to user mode (impl/trap.cpp, OP_TAKESIG).
void Kernel::trap(thread* td, int type) {
  int i = 0;
  unsigned long ucode = 0;
  switch (type) {
    case T_TRCTRAP: /* trace trap */
      td->td_frame.r_eflags &= ~PSL_T;
      i = BSD_SIGTRAP;
      break;
    default:
      panic("trap: only T_TRCTRAP is simulated");
  }
  trapsignal(td, i, ucode);
}

}  // namespace impl
