// The user address space every process has in the model, and what proc_rwmem(),
// copyin() and copyout() can reach in it (kernel-context.md §10).
//
// The model abstracts memory contents (the impl keeps real pages); what it keeps
// is which accesses fault. One fixed layout for every process:
//
//   [0x0000, 0x1000)  unmapped (the NULL page)
//   [0x1000, 0x2000)  text:  private file mapping, prot r-x, max rwx
//   [0x2000, 0x4000)  data:  private anonymous,    prot rw-, max rwx
//   [0x4000, 0x5000)  ro:    MAP_SHARED of a file opened read-only, prot r--, max r--
//   [0x5000, 0x6000)  guard: private, PROT_NONE, max rwx
//   [0x6000, 0x7000)  shm:   MAP_SHARED of a file opened read-write, prot rw-, max rw-
//   [0x7000, ...)     unmapped
//
// A ptrace read (VM_PROT_READ) is checked against the current protection; a
// ptrace write asks VM_PROT_WRITE | VM_PROT_OVERRIDE_WRITE and is checked
// against max_protection (so text and guard are writable, copy-on-write, and
// the read-only shared mapping is not). copyout() to the caller needs current
// write permission, copyin() current read permission.
#pragma once

#include "model/domain.hpp"

namespace ptm {

struct Seg {
  std::int64_t lo, hi;
};
inline constexpr std::int64_t VA_TEXT = 0x1000, VA_DATA = 0x2000, VA_RO = 0x4000, VA_GUARD = 0x5000,
                              VA_SHM = 0x6000, VA_END = 0x7000;

inline constexpr Seg kTargetRead[] = {{VA_TEXT, VA_GUARD}, {VA_SHM, VA_END}};
inline constexpr Seg kTargetWrite[] = {{VA_TEXT, VA_RO}, {VA_GUARD, VA_END}};
inline constexpr Seg kCallerCopyout[] = {{VA_DATA, VA_RO}, {VA_SHM, VA_END}};
inline constexpr Seg kCallerCopyin[] = {{VA_TEXT, VA_GUARD}, {VA_SHM, VA_END}};

// Bytes from `a` to the end of the accessible run containing it (0: `a` faults).
template <class D, std::size_t K>
constexpr typename D::Int accessible_run(const Seg (&segs)[K], typename D::Int a) {
  typename D::Int r = D::num(0);
  for (const auto& sg : segs) r = D::ite(a >= D::num(sg.lo) && a < D::num(sg.hi), D::num(sg.hi) - a, r);
  return r;
}

}  // namespace ptm
