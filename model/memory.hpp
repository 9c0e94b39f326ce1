// Memory contents: the bytes PT_WRITE_*, PT_IO and the register requests store,
// and the word PT_READ_* returns (seed proc_rwmem 147-311, kern_ptrace 616-681,
// ptrace() 328-388; docs/environment.md, "Memory contents").
//
// No check reads a byte of memory: which check decides a step depends only on
// the layout (vm_layout.hpp), which the rules see. So contents are kept beside
// the State, in the concrete domain only, by a layer that runs after the rules
// have decided the step: `memory_step` moves the bytes of a step the rules let
// reach proc_rwmem(), page by page as the seed's loop does, and checks that its
// own walk stops where the rules' deciding check says (a disagreement is a
// logic_error: the two readings of the layout differ). The explorer and the
// proofs abstract contents (nothing they decide depends on them).
//
// What each address space holds:
//  - private pages (text, data, guard) belong to the process: fork1()'s
//    vmspace_fork() copies them (copy-on-write is a copy, as far as contents
//    go), execve()'s new image and a spawn start from the image;
//  - the two MAP_SHARED pages (the read-only file at VA_RO, the read-write
//    file at VA_SHM) are the files' pages, one copy for every process;
//  - a page never written holds the image (vm_layout.hpp, image_byte).
// Bytes whose value the sources do not settle are *unspecified*: register
// contents (the model keeps no registers), the bytes a copyin()/copyout() moved
// before it faulted part way (i386's copy loop is CPU-dependent: generic_copyout
// moves 4 bytes at a time, the i586 one uses the FPU), and an overlapping copy
// of the shared page onto itself. A comparison skips them; a word read with
// one of them in it is unspecified too.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>

#include "model/step.hpp"
#include "model/vm_layout.hpp"

namespace ptm {

struct MemPage {
  std::array<std::uint8_t, PAGE_SIZE> byte{};
  std::bitset<PAGE_SIZE> unspecified;
};

// The image's page at `page` (page-aligned, mapped): image_byte, once.
inline const MemPage& image_page(std::int64_t page) {
  static const auto image = [] {
    std::array<MemPage, (VA_END - VA_TEXT) / PAGE_SIZE> im{};
    for (std::size_t k = 0; k < im.size(); ++k)
      for (std::int64_t o = 0; o < PAGE_SIZE; ++o)
        im[k].byte[o] = image_byte(VA_TEXT + static_cast<std::int64_t>(k) * PAGE_SIZE + o);
    return im;
  }();
  return image[(page - VA_TEXT) / PAGE_SIZE];
}

struct MemByte {
  std::uint8_t value = 0;
  bool unspecified = false;
};

template <int N>
struct Memory {
  std::array<std::map<std::int64_t, MemPage>, N> priv;  // by slot, page address -> contents, pages written only
  std::map<std::int64_t, MemPage> shared;               // the MAP_SHARED files' pages that were written

  static constexpr bool is_shared(std::int64_t va) {
    return (va >= VA_RO && va < VA_GUARD) || (va >= VA_SHM && va < VA_END);
  }
  static constexpr bool mapped(std::int64_t va) { return va >= VA_TEXT && va < VA_END; }

  // The page at `page` (page-aligned, mapped) as `slot` sees it.
  const MemPage& page_of(int slot, std::int64_t page) const {
    const auto& pages = is_shared(page) ? shared : priv[slot];
    if (auto it = pages.find(page); it != pages.end()) return it->second;
    return image_page(page);
  }
  MemByte get(int slot, std::int64_t va) const {
    const std::int64_t page = va & ~(PAGE_SIZE - 1);
    const MemPage& p = page_of(slot, page);
    return {p.byte[va - page], p.unspecified[va - page]};
  }
  void put(int slot, std::int64_t va, MemByte b) {
    const std::int64_t page = va & ~(PAGE_SIZE - 1);
    auto& pages = is_shared(va) ? shared : priv[slot];
    MemPage& p = pages.try_emplace(page, image_page(page)).first->second;
    p.byte[va - page] = b.value;
    p.unspecified[va - page] = b.unspecified;
  }
};

namespace memory_detail {

// copyout() of `n` bytes to the caller's `uaddr` (current write protection):
// all of them, or, when a page on the way faults, the bytes before it become
// unspecified.
template <int N>
void copyout(Memory<N>& m, int slot, std::int64_t uaddr, const MemByte* src, std::int64_t n) {
  const std::int64_t run = accessible_run<Concrete>(kCallerCopyout, uaddr);
  for (std::int64_t i = 0; i < std::min(run, n); ++i) m.put(slot, uaddr + i, run >= n ? src[i] : MemByte{0, true});
}

// The harness's part, as the test program would: before the call the caller's
// buffer at `addr` holds what the arguments describe (trap.cpp's
// prepare_buffers, kernel-context.md §10). It is stored byte by byte up to the
// first unmapped byte.
template <int N>
void store(Memory<N>& m, int slot, std::int64_t addr, const MemByte* src, std::int64_t n) {
  for (std::int64_t i = 0; i < n && Memory<N>::mapped(addr + i); ++i) m.put(slot, addr + i, src[i]);
}

inline void le32(MemByte* out, std::int64_t v) {
  for (int i = 0; i < 4; ++i) out[i] = {static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)), false};
}

// proc_rwmem()'s loop (seed 186-303) for the bytes: one page of the target at
// a time, faulted first (seed 215: a failure moves nothing of that page), then
// uiomove() of min(PAGE_SIZE - page_offset, resid) bytes (seed 210, 289). For
// UIO_SYSSPACE (PT_READ_*/PT_WRITE_*) the other side is the kernel int `kbuf`;
// for UIO_USERSPACE (PT_IO) it is the caller's memory at `uaddr`. Returns the
// check that stopped the walk, or NO_CHECK.
template <int N>
int rwmem(Memory<N>& m, int target, int caller, bool writing, std::int64_t offs, std::int64_t len, bool userspace,
          std::int64_t uaddr, MemByte* kbuf) {
  // The bytes the walk moves when nothing fails (the rules' own arithmetic).
  std::int64_t resid = rwmem_length<Concrete>(offs, len);
  std::int64_t pos = offs, u = uaddr, k = 0;
  do {
    const std::int64_t cnt = std::min<std::int64_t>(PAGE_SIZE - (pos & (PAGE_SIZE - 1)), resid);
    const std::int64_t t = writing ? accessible_run<Concrete>(kTargetWrite, pos) : accessible_run<Concrete>(kTargetRead, pos);
    if (t == 0) return C_RWMEM_FAULT;
    if (!userspace) {
      for (std::int64_t i = 0; i < cnt; ++i, ++k) {
        if (writing) m.put(target, pos + i, kbuf[k]);
        else kbuf[k] = m.get(target, pos + i);
      }
    } else {
      const std::int64_t c = writing ? accessible_run<Concrete>(kCallerCopyin, u)
                                     : accessible_run<Concrete>(kCallerCopyout, u);
      const std::int64_t moved = std::min(c, cnt);
      // Both ends in the one shared page, overlapping: bcopy's direction decides.
      const bool overlap = Memory<N>::is_shared(pos) && Memory<N>::is_shared(u) &&
                           ((pos & ~(PAGE_SIZE - 1)) == (u & ~(PAGE_SIZE - 1))) && pos < u + cnt && u < pos + cnt;
      const bool settled = c >= cnt && !overlap;
      std::array<MemByte, PAGE_SIZE> chunk{};
      for (std::int64_t i = 0; i < moved; ++i) chunk[i] = writing ? m.get(caller, u + i) : m.get(target, pos + i);
      for (std::int64_t i = 0; i < moved; ++i) {
        MemByte b = settled ? chunk[i] : MemByte{0, true};
        if (writing) m.put(target, pos + i, b);
        else m.put(caller, u + i, b);
      }
      if (c < cnt) return C_RWMEM_UIOMOVE;
    }
    pos += cnt;
    u += cnt;
    resid -= cnt;
  } while (resid > 0);
  return NO_CHECK;
}

}  // namespace memory_detail

// Parts of a step's outcome that memory contents settle and the sources do not:
// PT_READ_*'s word, PT_IO's piod_len as the caller's descriptor holds it.
struct MemoryEffect {
  bool word_unspecified = false;
  bool io_len_unspecified = false;
};

// The contents after step `st` (from `before`, for `op` with `raw` arguments)
// has run; PT_READ_*'s word goes into st.out.retval. Steps that did not reach
// the data move nothing.
template <int N>
MemoryEffect memory_step(Memory<N>& m, const State<Concrete, N>& before, const Op& op, const Args<Concrete>& raw,
                         StepOf<Concrete, N>& st) {
  using namespace memory_detail;
  MemoryEffect eff;
  const Args<Concrete> a = kernel_args<Concrete>(op, raw);
  const bool ok = st.out.kind == K_OK;
  auto new_slot = [&]() -> int {
    for (int i = 0; i < N; ++i)
      if (before.procs[i].p_state == PRS_FREE && st.next.procs[i].p_state != PRS_FREE) return i;
    return -1;
  };
  switch (op.kind) {
    case OP_SPAWN:  // a login's execve(): a new image
      if (int c = new_slot(); ok && c >= 0) m.priv[c].clear();
      return eff;
    case OP_FORK:  // vmspace_fork(): the private pages are copied, the shared ones stay shared
      if (int c = new_slot(); ok && c >= 0) m.priv[c] = m.priv[a.actor];
      return eff;
    case OP_EXEC:
    case OP_EXEC_END:  // exec_new_vmspace(): the image
      if (ok) m.priv[a.actor].clear();
      return eff;
    case OP_PTRACE:
      if (st.out.kind == K_BLOCKED) return eff;  // the call never ran: nothing was stored either
      break;
    default:
      return eff;
  }
  const int caller = static_cast<int>(a.actor);
  const auto& pt = a.pt;
  const Req req = op.req;
  // The harness's buffers (what the test program stored before the call).
  if (req == PT_IO) {
    std::array<MemByte, SIZEOF_PIOD> d{};
    le32(&d[0], pt.piod_op);
    le32(&d[4], pt.piod_offs);
    le32(&d[8], pt.piod_addr);
    le32(&d[12], pt.piod_len);
    store(m, caller, pt.addr, d.data(), SIZEOF_PIOD);
  } else if (req == PT_SETREGS || req == PT_SETFPREGS || req == PT_SETDBREGS) {
    std::array<MemByte, SIZEOF_FPREG> r{};
    for (auto& b : r) b.unspecified = true;  // register contents: not modelled
    store(m, caller, pt.addr, r.data(), copyin_size(req));
  }
  const int decided = static_cast<int>(st.out.check);
  const bool reached_rwmem = ok || decided == C_RWMEM_FAULT || decided == C_RWMEM_UIOMOVE;
  const int target = static_cast<int>(pfind<Concrete>(before, pt.pid));
  auto agree = [&](int walked) {
    const int want = ok ? NO_CHECK : decided;
    // A mutant (a check removed) may go on where the kernel would not.
    if (walked != want && !any_check_removed())
      throw std::logic_error("memory_step: proc_rwmem's page walk stopped at another check than the rules' (" +
                             std::to_string(walked) + " against " + std::to_string(want) + ")");
  };
  switch (req) {
    case PT_READ_I:
    case PT_READ_D:
    case PT_WRITE_I:
    case PT_WRITE_D: {
      if (!reached_rwmem || target < 0) return eff;
      const bool writing = req == PT_WRITE_I || req == PT_WRITE_D;
      std::array<MemByte, SIZEOF_INT> word{};  // tmp = 0, or the data argument
      if (writing) le32(word.data(), pt.data);
      agree(rwmem(m, target, caller, writing, pt.addr, SIZEOF_INT, false, 0, word.data()));
      if (!writing && ok) {
        std::uint32_t w = 0;
        for (int i = 0; i < SIZEOF_INT; ++i) {
          eff.word_unspecified = eff.word_unspecified || word[i].unspecified;
          w |= static_cast<std::uint32_t>(word[i].value) << (8 * i);
        }
        st.out.retval = eff.word_unspecified ? 0 : static_cast<std::int32_t>(w);  // td_retval[0] = tmp (seed 651)
      }
      return eff;
    }
    case PT_IO: {
      const bool op_write = pt.piod_op == PIOD_WRITE_D || pt.piod_op == PIOD_WRITE_I;
      if (reached_rwmem && target >= 0)
        agree(rwmem(m, target, caller, op_write, pt.piod_offs, pt.piod_len, true, pt.piod_addr, nullptr));
      if (ok) {  // seed 374: the descriptor goes back with piod_len -= uio_resid, its error ignored
        std::array<MemByte, SIZEOF_PIOD> d{};
        le32(&d[0], pt.piod_op);
        le32(&d[4], pt.piod_offs);
        le32(&d[8], pt.piod_addr);
        le32(&d[12], st.out.status);
        copyout(m, caller, pt.addr, d.data(), SIZEOF_PIOD);
        // The outcome's len is the caller's piod_len as its buffer now holds it:
        // the old one where the copyout could not write (text, the read-only
        // file), the transfer's bytes where the buffer overlapped it.
        std::uint32_t len = 0;
        for (int i = 0; i < 4; ++i) {
          const MemByte b = m.get(caller, pt.addr + 12 + i);
          eff.io_len_unspecified = eff.io_len_unspecified || b.unspecified;
          len |= static_cast<std::uint32_t>(b.value) << (8 * i);
        }
        st.out.status = eff.io_len_unspecified ? 0 : len;
      }
      return eff;
    }
    case PT_GETREGS:
    case PT_GETFPREGS:
    case PT_GETDBREGS:
      // seed 376-384: the registers go to the caller's buffer (their contents
      // are not modelled); a copyout that faults part way leaves the bytes
      // before the fault unspecified as well.
      if (ok || decided == C_PTRACE_COPYOUT) {
        std::array<MemByte, SIZEOF_FPREG> r{};
        for (auto& b : r) b.unspecified = true;
        copyout(m, caller, pt.addr, r.data(), copyout_size(req));
      }
      return eff;
    default:
      return eff;
  }
}

// One step of the rules, then of the contents: what the runner, the scenario
// writer and the lockstep take as the model's step.
template <int N>
struct MemStep {
  StepOf<Concrete, N> st;
  MemoryEffect eff;
};
template <int N>
MemStep<N> step_with_memory(const State<Concrete, N>& s, Memory<N>& m, const Op& op, const Args<Concrete>& a) {
  MemStep<N> r{step_or_fault<N>(s, op, a), {}};
  r.eff = memory_step<N>(m, s, op, a, r.st);
  return r;
}

}  // namespace ptm
