/*
 * A stand-in for FreeBSD's <sys/ptrace.h> (the requests of 2003, with
 * FreeBSD's numbers), enough to compile the oracle's ATF-C output.
 */
#ifndef STANDIN_SYS_PTRACE_H
#define STANDIN_SYS_PTRACE_H
#include <stddef.h>
#include <sys/types.h>

#define PT_TRACE_ME 0
#define PT_READ_I 1
#define PT_READ_D 2
#define PT_WRITE_I 4
#define PT_WRITE_D 5
#define PT_CONTINUE 7
#define PT_KILL 8
#define PT_STEP 9
#define PT_ATTACH 10
#define PT_DETACH 11
#define PT_IO 12
#define PT_GETREGS 33
#define PT_SETREGS 34
#define PT_GETFPREGS 35
#define PT_SETFPREGS 36
#define PT_GETDBREGS 37
#define PT_SETDBREGS 38

struct ptrace_io_desc {
	int piod_op;
	void *piod_offs;
	void *piod_addr;
	size_t piod_len;
};
#define PIOD_READ_D 1
#define PIOD_WRITE_D 2
#define PIOD_READ_I 3
#define PIOD_WRITE_I 4

int ptrace(int, pid_t, caddr_t, int);
#endif
