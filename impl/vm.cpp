// The VM the seed's proc_rwmem() runs on (vm_map.c, vm_fault.c; kernel-context.md
// §10): map entries with protection and max_protection, objects with resident
// pages and backing objects, copy-on-write through shadow objects, and
// copyin/copyout against the calling process's map.
#include <algorithm>
#include <cstring>

#include "impl/sim.hpp"

namespace impl {

enum { KERN_SUCCESS = 0, KERN_INVALID_ADDRESS = 1, KERN_PROTECTION_FAILURE = 2 };

namespace {
vm_object_t anon_object(const char* name) {
  auto o = std::make_shared<vm_object>();
  o->name = name;
  return o;
}
vm_map_entry* lookup_entry(vmspace& map, vm_offset_t va) {
  for (auto& e : map.vm_map)
    if (va >= e.start && va < e.end) return &e;
  return nullptr;
}
// The access is allowed by the entry: VM_PROT_OVERRIDE_WRITE checks the
// maximum protection (vm_map_lookup), everything else the current one.
bool prot_ok(const vm_map_entry& e, int fault_type) {
  if (fault_type & VM_PROT_OVERRIDE_WRITE) {
    int want = fault_type & ~VM_PROT_OVERRIDE_WRITE;
    return (e.max_protection & want) == want;
  }
  return (e.protection & fault_type) == fault_type;
}
// vm_object_shadow: a private copy of the entry starts as an empty object backed by the old one.
void shadow(vm_map_entry& e) {
  auto s = anon_object("shadow");
  s->backing_object = e.object;
  s->backing_object_offset = e.offset;
  e.object = s;
  e.offset = 0;
  e.needs_copy = false;
}
vm_page* find_in_chain(vm_object* o, std::uint64_t pindex) {
  for (; o; o = o->backing_object.get()) {
    if (auto it = o->memq.find(pindex); it != o->memq.end()) return it->second.get();
    pindex += o->backing_object_offset / PAGE_SIZE;
  }
  return nullptr;
}
}  // namespace

std::shared_ptr<vmspace> Kernel::vmspace_exec() {
  auto vm = std::make_shared<vmspace>();
  vm->vm_map = {
      {UVA_TEXT, UVA_DATA, text_file, 0, VM_PROT_READ | VM_PROT_EXECUTE, VM_PROT_ALL, false, true},
      {UVA_DATA, UVA_RO, anon_object("data"), 0, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, false, false},
      {UVA_RO, UVA_GUARD, ro_file, 0, VM_PROT_READ, VM_PROT_READ, true, false},
      {UVA_GUARD, UVA_SHM, anon_object("guard"), 0, VM_PROT_NONE, VM_PROT_ALL, false, false},
      {UVA_SHM, UVA_END, rw_file, 0, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE, true, false},
  };
  for (auto& e : vm->vm_map) ++e.object->ref_count;
  return vm;
}

// vm_map_copy for fork: shared entries share the object; private ones are
// marked copy-on-write in both parent and child.
std::shared_ptr<vmspace> Kernel::vmspace_fork(vmspace& vm) {
  auto nvm = std::make_shared<vmspace>();
  for (auto& e : vm.vm_map) {
    if (!e.shared) e.needs_copy = true;
    nvm->vm_map.push_back(e);
    ++e.object->ref_count;
  }
  return nvm;
}

int Kernel::vm_fault(vmspace& map, vm_offset_t va, int fault_type) {
  vm_map_entry* e = lookup_entry(map, va);
  if (!e) return KERN_INVALID_ADDRESS;
  if (!prot_ok(*e, fault_type)) return KERN_PROTECTION_FAILURE;
  const bool write = fault_type & VM_PROT_WRITE;
  if (write && e->needs_copy) shadow(*e);
  std::uint64_t pindex = (va - e->start + e->offset) / PAGE_SIZE;
  vm_object* first = e->object.get();
  if (first->memq.count(pindex)) return KERN_SUCCESS;
  vm_page* below = find_in_chain(first->backing_object.get(),
                                 pindex + first->backing_object_offset / PAGE_SIZE);
  if (below && !write) return KERN_SUCCESS;  // a read maps the backing page
  // A write copies the backing page up (copy-on-write); nothing anywhere: a zero page.
  auto pg = std::make_unique<vm_page>();
  if (below) pg->data = below->data;
  first->memq[pindex] = std::move(pg);
  return KERN_SUCCESS;
}

int Kernel::vm_map_lookup(vmspace& map, vm_offset_t va, int fault_type, vm_map_entry** out_entry,
                          vm_object_t* object, std::uint64_t* pindex) {
  vm_map_entry* e = lookup_entry(map, va);
  if (!e) return KERN_INVALID_ADDRESS;
  if (!prot_ok(*e, fault_type)) return KERN_PROTECTION_FAILURE;
  if ((fault_type & VM_PROT_WRITE) && e->needs_copy) shadow(*e);
  *out_entry = e;
  *object = e->object;
  *pindex = (va - e->start + e->offset) / PAGE_SIZE;
  return KERN_SUCCESS;
}

namespace {
// Move bytes between a kernel buffer and user memory page by page, faulting each
// page as the user access would (current protection; a write breaks copy-on-write).
int user_copy(Kernel& k, vmspace& vm, vm_offset_t uaddr, std::uint8_t* kbuf, std::size_t len, bool to_user) {
  while (len > 0) {
    vm_offset_t page = uaddr & ~(PAGE_SIZE - 1);
    std::size_t off = uaddr - page;
    std::size_t n = std::min<std::size_t>(len, PAGE_SIZE - off);
    int type = to_user ? VM_PROT_WRITE : VM_PROT_READ;
    if (k.vm_fault(vm, page, type) != KERN_SUCCESS) return BSD_EFAULT;
    vm_map_entry* e;
    vm_object_t obj;
    std::uint64_t pindex;
    if (k.vm_map_lookup(vm, page, type, &e, &obj, &pindex) != KERN_SUCCESS) return BSD_EFAULT;
    vm_page* m = to_user ? obj->memq[pindex].get() : find_in_chain(obj.get(), pindex);
    if (!m) return BSD_EFAULT;
    // memmove: PT_IO between the shared page and itself overlaps (bcopy's
    // direction is not the seed's to settle: the model calls it unspecified).
    if (to_user) std::memmove(m->data.data() + off, kbuf, n);
    else std::memmove(kbuf, m->data.data() + off, n);
    uaddr += n;
    kbuf += n;
    len -= n;
  }
  return 0;
}
}  // namespace

int Kernel::copyin(vm_offset_t uaddr, void* kaddr, std::size_t len) {
  vmspace* vm = curthread->td_proc->p_vmspace.get();
  if (!vm) return BSD_EFAULT;
  return user_copy(*this, *vm, uaddr, static_cast<std::uint8_t*>(kaddr), len, false);
}
int Kernel::copyout(const void* kaddr, vm_offset_t uaddr, std::size_t len) {
  vmspace* vm = curthread->td_proc->p_vmspace.get();
  if (!vm) return BSD_EFAULT;
  // copyout reads the kernel buffer only: the cast does not write through it.
  return user_copy(*this, *vm, uaddr, static_cast<std::uint8_t*>(const_cast<void*>(kaddr)), len, true);
}

bool Kernel::poke(proc* p, vm_offset_t va, const void* src, std::size_t len) {
  if (!p->p_vmspace) return false;
  auto* b = static_cast<const std::uint8_t*>(src);
  for (std::size_t i = 0; i < len; ++i) {
    vm_map_entry* e = lookup_entry(*p->p_vmspace, va + i);
    if (!e) return false;
    if (e->needs_copy) shadow(*e);
    std::uint64_t pindex = (va + i - e->start + e->offset) / PAGE_SIZE;
    auto& slot = e->object->memq[pindex];
    if (!slot) {
      slot = std::make_unique<vm_page>();
      if (vm_page* below = find_in_chain(e->object->backing_object.get(),
                                         pindex + e->object->backing_object_offset / PAGE_SIZE))
        slot->data = below->data;
    }
    slot->data[(va + i) % PAGE_SIZE] = b[i];
  }
  return true;
}
bool Kernel::peek_page(const proc* p, vm_offset_t page, std::uint8_t* dst) const {
  if (!p->p_vmspace) return false;
  vm_map_entry* e = lookup_entry(*p->p_vmspace, page);
  if (!e) return false;
  std::uint64_t pindex = (page - e->start + e->offset) / PAGE_SIZE;
  if (vm_page* m = find_in_chain(e->object.get(), pindex)) std::memcpy(dst, m->data.data(), PAGE_SIZE);
  else std::memset(dst, 0, PAGE_SIZE);
  return true;
}
bool Kernel::peek(proc* p, vm_offset_t va, void* dst, std::size_t len) {
  if (!p->p_vmspace) return false;
  auto* b = static_cast<std::uint8_t*>(dst);
  for (std::size_t i = 0; i < len; ++i) {
    vm_map_entry* e = lookup_entry(*p->p_vmspace, va + i);
    if (!e) return false;
    std::uint64_t pindex = (va + i - e->start + e->offset) / PAGE_SIZE;
    vm_page* m = find_in_chain(e->object.get(), pindex);
    b[i] = m ? m->data[(va + i) % PAGE_SIZE] : 0;
  }
  return true;
}

}  // namespace impl
