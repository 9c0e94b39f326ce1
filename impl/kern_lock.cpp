// Locks with ownership and order checking (a small witness): misuse is a
// kernel fault, as a WITNESS or INVARIANTS kernel would panic.
#include <algorithm>

#include "impl/sim.hpp"

namespace impl {

void panic(const std::string& msg) { throw KernelFault(msg); }

namespace {
struct Held {
  const void* lock;
  int order;
  const char* name;
};
// The locks held by the running call, in acquisition order.
thread_local std::vector<Held> held;

void acquire(const void* l, int order, const char* name) {
  for (const Held& h : held) {
    if (h.lock == l) panic(std::string("lock recursed: ") + name);
    if (h.order > order)
      panic(std::string("lock order reversal: ") + name + " taken while holding " + h.name);
  }
  held.push_back({l, order, name});
}
void release(const void* l, const char* name) {
  auto it = std::find_if(held.begin(), held.end(), [&](const Held& h) { return h.lock == l; });
  if (it == held.end()) panic(std::string("lock not held: ") + name);
  held.erase(it);
}
}  // namespace

bool Kernel::holds_any_lock() const { return !held.empty(); }

void Kernel::mtx_lock(mtx& m) {
  acquire(&m, m.order, m.name);
  m.owner = curthread;
}
void Kernel::mtx_unlock(mtx& m) {
  if (m.owner != curthread) panic(std::string("mutex not owned: ") + m.name);
  release(&m, m.name);
  m.owner = nullptr;
}
void Kernel::mtx_assert(const mtx& m, int what) const {
  bool owned = std::any_of(held.begin(), held.end(), [&](const Held& h) { return h.lock == &m; });
  if (what == MA_OWNED && !owned) panic(std::string("mutex not owned: ") + m.name);
  if (what == MA_NOTOWNED && owned) panic(std::string("mutex owned: ") + m.name);
}
void Kernel::sx_xlock(sx& l) {
  acquire(&l, l.order, l.name);
  l.xowner = curthread;
}
void Kernel::sx_xunlock(sx& l) {
  if (l.xowner != curthread) panic(std::string("sx not exclusively owned: ") + l.name);
  release(&l, l.name);
  l.xowner = nullptr;
}
void Kernel::sx_slock(sx& l) {
  acquire(&l, l.order, l.name);
  ++l.shared;
}
void Kernel::sx_sunlock(sx& l) {
  if (l.shared == 0) panic(std::string("sx not share-locked: ") + l.name);
  release(&l, l.name);
  --l.shared;
}

// Between system calls no lock may be held; the trap layer resets after a fault.
void reset_held_locks() { held.clear(); }

}  // namespace impl
