// The process table: the proc zone, allproc/zombproc, pfind(), proc_reparent(),
// and pid allocation (fork1's loop).
#include <algorithm>

#include "impl/sim.hpp"

namespace impl {

Kernel::Kernel(int nproc, int pid_max_) : pid_max(pid_max_), zone_(static_cast<std::size_t>(nproc)) {
  KASSERT(nproc >= 2, "the zone holds at least proc0 and init");
  // The files every image maps: the program (text), a file mapped shared read-only
  // and one mapped shared read-write.
  text_file = std::make_shared<vm_object>();
  text_file->type = vm_object::OBJT_VNODE;
  text_file->name = "text file";
  ro_file = std::make_shared<vm_object>();
  ro_file->type = vm_object::OBJT_VNODE;
  ro_file->name = "read-only file";
  rw_file = std::make_shared<vm_object>();
  rw_file->type = vm_object::OBJT_VNODE;
  rw_file->name = "read-write file";
  for (std::uint64_t i = 0; i < 4; ++i) {
    for (auto* f : {text_file.get(), ro_file.get(), rw_file.get()}) {
      auto pg = std::make_unique<vm_page>();
      for (std::size_t b = 0; b < pg->data.size(); ++b) pg->data[b] = static_cast<std::uint8_t>(b + i + f->name.size());
      f->memq[i] = std::move(pg);
    }
  }

  // proc0 (the swapper) and init: both P_SYSTEM, root (kernel-context.md §1).
  for (int i = 0; i < 2; ++i) {
    zone_[i].used = true;
    proc& p = zone_[i].p;
    p.p_slot = i;
    p.p_pid = i;
    p.p_state = PRS_NORMAL;
    p.p_flag = P_SYSTEM;
    p.p_sflag = PS_INMEM;
    p.p_ucred = std::make_shared<ucred>();
    p.td.td_proc = &p;
    p.td.td_frame.r_eflags = PSL_USER;
    p.td.td_frame.r_cs = GUCODE_SEL;
    allproc.push_back(&p);
  }
  proc0()->p_pptr = nullptr;
  initproc()->p_pptr = proc0();
  proc0()->p_children.push_front(initproc());
  initproc()->p_vmspace = vmspace_exec();
}

// The proc zone hands out its lowest free item (see docs/impl.md).
proc* Kernel::proc_alloc() {
  for (std::size_t i = 0; i < zone_.size(); ++i) {
    if (!zone_[i].used) {
      zone_[i].used = true;
      zone_[i].p = proc{};
      zone_[i].p.p_slot = static_cast<int>(i);
      zone_[i].p.td.td_proc = &zone_[i].p;
      return &zone_[i].p;
    }
  }
  return nullptr;
}
void Kernel::proc_free(proc* p) {
  KASSERT(p->p_slot >= 2, "freeing proc0 or init");
  zone_[static_cast<std::size_t>(p->p_slot)].used = false;
}

// pfind(): the pid hash is allproc here. Zombies are on zombproc and are not
// found; a process being created (PRS_NEW) is skipped. Returns it locked.
proc* Kernel::pfind(pid_t pid) {
  sx_slock(allproc_lock);
  proc* found = nullptr;
  for (proc* p : allproc) {
    if (p->p_pid == pid && p->p_state != PRS_NEW) {
      PROC_LOCK(p);
      found = p;
      break;
    }
  }
  sx_sunlock(allproc_lock);
  return found;
}

// proc_reparent(): proctree_lock held exclusively, the child locked.
void Kernel::proc_reparent(proc* child, proc* parent) {
  KASSERT(proctree_lock.xowner == curthread && proctree_lock.xowner != nullptr,
          "proc_reparent: proctree_lock not exclusively held");
  PROC_LOCK_ASSERT(child, MA_OWNED);
  if (child->p_pptr == parent) return;
  auto& siblings = child->p_pptr->p_children;
  siblings.erase(std::find(siblings.begin(), siblings.end(), child));
  parent->p_children.push_front(child);
  child->p_pptr = parent;
}

// fork1()'s pid loop: the next pid after lastpid not used by any process on
// allproc or zombproc; past pid_max it wraps (below PID_RESERVED is skipped).
std::optional<pid_t> Kernel::alloc_pid() {
  pid_t trypid = lastpid;
  for (int tries = 0; tries < pid_max; ++tries) {
    ++trypid;
    if (trypid >= pid_max) {
      trypid = trypid % pid_max;
      if (trypid < PID_RESERVED) trypid += PID_RESERVED;
    }
    bool used = false;
    for (const auto* list : {&allproc, &zombproc})
      for (const proc* p : *list) used = used || p->p_pid == trypid;
    if (!used) return trypid;
  }
  return std::nullopt;
}

}  // namespace impl
