// Numbers from FreeBSD 5.x headers the seed includes: <sys/ptrace.h>,
// <sys/errno.h>, <sys/signal.h>, <sys/wait.h>. Names are the kernel's.
#pragma once

#include <cstdint>
#include <string_view>

namespace ptm {

// <sys/ptrace.h> (5.x): PT_FIRSTMACH is 64 (the 5.x text, docs/environment.md;
// 4.x had 32); i386 <machine/ptrace.h> numbers its requests PT_FIRSTMACH + 1...
enum Req : int {
  PT_TRACE_ME = 0,
  PT_READ_I = 1,
  PT_READ_D = 2,
  PT_WRITE_I = 4,
  PT_WRITE_D = 5,
  PT_CONTINUE = 7,
  PT_KILL = 8,
  PT_STEP = 9,
  PT_ATTACH = 10,
  PT_DETACH = 11,
  PT_IO = 12,
  PT_GETREGS = 65,
  PT_SETREGS = 66,
  PT_GETFPREGS = 67,
  PT_SETFPREGS = 68,
  PT_GETDBREGS = 69,
  PT_SETDBREGS = 70,
  // Any other number reaches the seed's `default: error = EINVAL` (seed 513-515).
  PT_UNKNOWN = 99,
};

inline constexpr Req kAllRequests[] = {
    PT_TRACE_ME, PT_READ_I,    PT_READ_D,    PT_WRITE_I,   PT_WRITE_D,   PT_IO,
    PT_CONTINUE, PT_STEP,      PT_KILL,      PT_ATTACH,    PT_DETACH,    PT_GETREGS,
    PT_SETREGS,  PT_GETFPREGS, PT_SETFPREGS, PT_GETDBREGS, PT_SETDBREGS, PT_UNKNOWN,
};

// <sys/ptrace.h> struct ptrace_io_desc operations.
enum PiodOp : int { PIOD_READ_D = 1, PIOD_WRITE_D = 2, PIOD_READ_I = 3, PIOD_WRITE_I = 4 };

// <sys/errno.h>: FreeBSD numbering. Errno, signal and wait names carry a BSD_
// prefix: the host's <errno.h>, <signal.h> and <sys/wait.h> define the plain
// names as macros, several with Linux's values (SIGSTOP is 19 there, 17 here).
enum Errno : int {
  OK = 0,
  BSD_EPERM = 1,
  BSD_ESRCH = 3,
  BSD_EINTR = 4,
  BSD_EIO = 5,
  BSD_ECHILD = 10,
  BSD_EACCES = 13,
  BSD_EFAULT = 14,
  BSD_EBUSY = 16,
  BSD_EINVAL = 22,
  BSD_ENOSPC = 28,
  BSD_EAGAIN = 35,
};

// The errnos by name, as scenarios and run-time edits spell them.
struct ErrnoName {
  std::string_view name;
  int value;
};
inline constexpr ErrnoName kErrnoNames[] = {
    {"EPERM", BSD_EPERM},   {"ESRCH", BSD_ESRCH}, {"EINTR", BSD_EINTR},   {"EIO", BSD_EIO},
    {"ECHILD", BSD_ECHILD}, {"EACCES", BSD_EACCES}, {"EFAULT", BSD_EFAULT}, {"EBUSY", BSD_EBUSY},
    {"EINVAL", BSD_EINVAL}, {"ENOSPC", BSD_ENOSPC}, {"EAGAIN", BSD_EAGAIN},
};

// <sys/signal.h>
enum Sig : int {
  BSD_SIGHUP = 1, BSD_SIGINT = 2, BSD_SIGQUIT = 3, BSD_SIGILL = 4, BSD_SIGTRAP = 5, BSD_SIGABRT = 6, BSD_SIGEMT = 7,
  BSD_SIGFPE = 8, BSD_SIGKILL = 9, BSD_SIGBUS = 10, BSD_SIGSEGV = 11, BSD_SIGSYS = 12, BSD_SIGPIPE = 13,
  BSD_SIGALRM = 14, BSD_SIGTERM = 15, BSD_SIGURG = 16, BSD_SIGSTOP = 17, BSD_SIGTSTP = 18, BSD_SIGCONT = 19,
  BSD_SIGCHLD = 20, BSD_SIGTTIN = 21, BSD_SIGTTOU = 22, BSD_SIGIO = 23, BSD_SIGXCPU = 24, BSD_SIGXFSZ = 25,
  BSD_SIGVTALRM = 26, BSD_SIGPROF = 27, BSD_SIGWINCH = 28, BSD_SIGINFO = 29, BSD_SIGUSR1 = 30, BSD_SIGUSR2 = 31,
};
inline constexpr int BSD_NSIG = 32;          // sigprop() knows signals below NSIG
inline constexpr int _SIG_MAXSIG = 128;  // sigset_t holds 128 signals in 4 words
inline constexpr int _SIG_WORDS = 4;

// kern_sig.c sigproptbl[] (5.x): the default-action properties of signals 1..31.
enum SigProp : int { SA_KILL = 0x01, SA_CORE = 0x02, SA_STOP = 0x04, SA_TTYSTOP = 0x08, SA_IGNORE = 0x10, SA_CONT = 0x20 };
inline constexpr int kSigProp[BSD_NSIG] = {
    0,
    SA_KILL,            SA_KILL,            SA_KILL | SA_CORE,  SA_KILL | SA_CORE,   // HUP INT QUIT ILL
    SA_KILL | SA_CORE,  SA_KILL | SA_CORE,  SA_KILL | SA_CORE,  SA_KILL | SA_CORE,   // TRAP ABRT EMT FPE
    SA_KILL,            SA_KILL | SA_CORE,  SA_KILL | SA_CORE,  SA_KILL | SA_CORE,   // KILL BUS SEGV SYS
    SA_KILL,            SA_KILL,            SA_KILL,            SA_IGNORE,           // PIPE ALRM TERM URG
    SA_STOP,            SA_STOP | SA_TTYSTOP, SA_IGNORE | SA_CONT, SA_IGNORE,        // STOP TSTP CONT CHLD
    SA_STOP | SA_TTYSTOP, SA_STOP | SA_TTYSTOP, SA_IGNORE,      SA_KILL,             // TTIN TTOU IO XCPU
    SA_KILL,            SA_KILL,            SA_KILL,            SA_IGNORE,           // XFSZ VTALRM PROF WINCH
    SA_IGNORE,          SA_KILL,            SA_KILL,                                 // INFO USR1 USR2
};
// Signals 32.._SIG_MAXSIG have no properties: their default action kills.
constexpr int sigprop(int sig) { return (sig > 0 && sig < BSD_NSIG) ? kSigProp[sig] : 0; }

// <sys/wait.h>
constexpr std::int64_t BSD_W_EXITCODE(std::int64_t ret, std::int64_t sig) { return (ret << 8) | sig; }
constexpr std::int64_t BSD_W_STOPCODE(std::int64_t sig) { return (sig << 8) | 0177; }
enum WaitOpt : int { BSD_WNOHANG = 1, BSD_WUNTRACED = 2 };

// <machine/reg.h> (i386) sizes, used for the copyin/copyout of ptrace() (seed 335-385).
inline constexpr int SIZEOF_REG = 76;     // 19 registers of 4 bytes
inline constexpr int SIZEOF_FPREG = 176;  // fpr_env[7], fpr_acc[8][10], fpr_ex_sw, fpr_pad[64]
inline constexpr int SIZEOF_DBREG = 32;   // dr[8]
inline constexpr int SIZEOF_PIOD = 16;    // piod_op, piod_offs, piod_addr, piod_len
inline constexpr int SIZEOF_INT = 4;

// <sys/param.h>
inline constexpr std::int64_t PAGE_SIZE = 4096;

}  // namespace ptm
