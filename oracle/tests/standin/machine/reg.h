/* A stand-in for FreeBSD's <machine/reg.h>: the register sets, opaque. */
#ifndef STANDIN_MACHINE_REG_H
#define STANDIN_MACHINE_REG_H
struct reg { unsigned int r_regs[19]; };
struct fpreg { unsigned long fpr_env[7]; unsigned char fpr_acc[8][10]; };
struct dbreg { unsigned int dr[8]; };
#endif
