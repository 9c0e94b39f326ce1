// The user address space every process has in the model, and what proc_rwmem(),
// copyin() and copyout() can reach in it (kernel-context.md §10).
//
// The rules see only which accesses fault; the bytes themselves are kept by
// memory.hpp, beside the state (no check reads them). One fixed layout for every
// process:
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

// The image a new program starts from (execve, and a spawn's login), as far as
// its contents go: the test fixture docs/environment.md fixes ("Memory
// contents"). Each file's byte at offset o of its page k is (o + k + fill) mod
// 256, with fill 9 for the program file, 14 for the read-only file and 15 for
// the read-write one; each mapping maps page 0 of its file. Anonymous memory
// (data, guard) is zero-filled (vm_fault's zero page).
constexpr std::uint8_t image_byte(std::int64_t va) {
  if (va >= VA_TEXT && va < VA_DATA) return static_cast<std::uint8_t>((va - VA_TEXT + 9) & 0xff);
  if (va >= VA_RO && va < VA_GUARD) return static_cast<std::uint8_t>((va - VA_RO + 14) & 0xff);
  if (va >= VA_SHM && va < VA_END) return static_cast<std::uint8_t>((va - VA_SHM + 15) & 0xff);
  return 0;
}

}  // namespace ptm
