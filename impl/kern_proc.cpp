// The process table: the proc zone, allproc/zombproc, pfind(), proc_reparent(),
// pid allocation (fork1's loop), and kern_proc.c's process groups and sessions
// (inferior, pgfind, enterpgrp, enterthispgrp, doenterpgrp, leavepgrp,
// pgdelete, fixjobc, orphanpg), read in FreeBSD 5.x kern_proc.c
// (docs: /work/notes/impl-env.md).
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
  // Their contents, the fixture of docs/environment.md ("Memory contents"): byte
  // b of page i is b + i + fill (mod 256), fill 9, 14 and 15 for the three files.
  for (std::uint64_t i = 0; i < 4; ++i) {
    for (auto [f, fill] : {std::pair{text_file.get(), 9}, {ro_file.get(), 14}, {rw_file.get(), 15}}) {
      auto pg = std::make_unique<vm_page>();
      for (std::size_t b = 0; b < pg->data.size(); ++b) pg->data[b] = static_cast<std::uint8_t>(b + i + fill);
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

  // proc0_init (init_main.c): proc0 is in pgrp0 of session0, and leads it.
  // init is forked from proc0 into pgrp0, and init(8) calls setsid() first:
  // pgrp 1 of session 1, led by init (fixjobc changes no count on the way:
  // proc0's pgrp is in another session). Every pg_jobc is 0.
  for (int i = 0; i < 2; ++i) {
    proc& p = zone_[i].p;
    session* sess = session_alloc();
    sess->s_count = 1;
    sess->s_leader = &p;
    sess->s_sid = p.p_pid;
    pgrp* pg = pgrp_alloc();
    pg->pg_id = p.p_pid;
    pg->pg_session = sess;
    pg->pg_members.push_front(&p);
    pgrphash.push_front(pg);
    p.p_pgrp = pg;
  }
}

pgrp* Kernel::pgrp_alloc() {
  pgrp_store_.push_back(std::make_unique<pgrp>());
  return pgrp_store_.back().get();
}
session* Kernel::session_alloc() {
  session_store_.push_back(std::make_unique<session>());
  return session_store_.back().get();
}
void pgrp_free(Kernel& k, pgrp* pg) {
  k.pgrp_store_.remove_if([&](const std::unique_ptr<pgrp>& x) { return x.get() == pg; });
}
void session_free(Kernel& k, session* s) {
  k.session_store_.remove_if([&](const std::unique_ptr<session>& x) { return x.get() == s; });
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

// fork1()'s pid loop (5.x kern_fork.c): from lastpid + 1, the first pid that
// no process on allproc or zombproc uses as its p_pid, its process group's id
// or its session's id (`while (p2->p_pid == trypid || p2->p_pgrp->pg_id ==
// trypid || p2->p_session->s_sid == trypid) trypid++`); past PID_MAX it wraps
// (`trypid % PID_MAX`, below 100 is skipped: PID_RESERVED here). The kernel's
// pidchecked shortcut only saves rescans; the result is the same pid. The
// kernel's loop has no bound (fork1 refused earlier when nprocs >= maxproc);
// the bound here is never reached (each process rules out at most 3 ids).
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
      for (const proc* p : *list)
        used = used || p->p_pid == trypid || p->p_pgrp->pg_id == trypid || p_session(p)->s_sid == trypid;
    if (!used) return trypid;
  }
  return std::nullopt;
}

// inferior(): "Is p an inferior of the current process?" Walks p_pptr from p up
// to curproc; reaching pid 0 first means no.
bool Kernel::inferior(proc* p) {
  KASSERT(proctree_lock.xowner != nullptr || proctree_lock.shared > 0, "inferior: proctree_lock not held");
  const proc* cur = curthread->td_proc;
  for (int steps = 0; p != cur; p = p->p_pptr) {
    if (p->p_pid == 0) return false;
    if (++steps > nproc()) throw KernelHang("inferior: the p_pptr walk never ends", {});
  }
  return true;
}

// pgfind(): the process group with id pgid (returned locked in the kernel).
pgrp* Kernel::pgfind(pid_t pgid) {
  KASSERT(proctree_lock.xowner != nullptr || proctree_lock.shared > 0, "pgfind: proctree_lock not held");
  for (pgrp* pg : pgrphash)
    if (pg->pg_id == pgid) return pg;
  return nullptr;
}

// enterpgrp(): a new process group pgid (== p's pid) for p; with sess, a new
// session too, led by p (setsid).
int Kernel::enterpgrp(proc* p, pid_t pgid, pgrp* pg, session* sess) {
  KASSERT(proctree_lock.xowner == curthread && curthread, "enterpgrp: proctree_lock not exclusively held");
  KASSERT(pg != nullptr, "enterpgrp: pgrp == NULL");
  KASSERT(p->p_pid == pgid, "enterpgrp: new pgrp and pid != pgid");
  KASSERT(pgfind(pgid) == nullptr, "enterpgrp: pgrp with pgid exists");
  KASSERT(!SESS_LEADER(p), "enterpgrp: session leader attempted setpgrp");
  if (sess != nullptr) {
    // new session
    PROC_LOCK(p);
    p->p_flag &= ~P_CONTROLT;
    PROC_UNLOCK(p);
    sess->s_leader = p;
    sess->s_sid = p->p_pid;
    sess->s_count = 1;
    pg->pg_session = sess;
    KASSERT(p == curthread->td_proc, "enterpgrp: mksession and p != curproc");
  } else {
    pg->pg_session = p_session(p);
    pg->pg_session->s_count++;
  }
  pg->pg_id = pgid;
  pg->pg_members.clear();
  pgrphash.push_front(pg);
  pg->pg_jobc = 0;
  doenterpgrp(p, pg);
  return 0;
}

// enterthispgrp(): move p to an existing process group of its session.
int Kernel::enterthispgrp(proc* p, pgrp* pg) {
  KASSERT(proctree_lock.xowner == curthread && curthread, "enterthispgrp: proctree_lock not exclusively held");
  KASSERT(pg->pg_session == p_session(p), "enterthispgrp: pgrp's session is not p's");
  KASSERT(pg != p->p_pgrp, "enterthispgrp: p belongs to pgrp");
  doenterpgrp(p, pg);
  return 0;
}

// doenterpgrp(): "Increment eligibility counts before decrementing, otherwise
// we could reach 0 spuriously during the first call."
void Kernel::doenterpgrp(proc* p, pgrp* pg) {
  pgrp* savepgrp = p->p_pgrp;
  fixjobc(p, pg, 1);
  fixjobc(p, p->p_pgrp, 0);
  PROC_LOCK(p);
  savepgrp->pg_members.remove(p);  // LIST_REMOVE(p, p_pglist)
  p->p_pgrp = pg;
  PROC_UNLOCK(p);
  pg->pg_members.push_front(p);  // LIST_INSERT_HEAD(&pgrp->pg_members, p, p_pglist)
  if (savepgrp->pg_members.empty()) pgdelete(savepgrp);
}

// leavepgrp(): wait1() takes a reaped zombie out of its group.
int Kernel::leavepgrp(proc* p) {
  KASSERT(proctree_lock.xowner == curthread && curthread, "leavepgrp: proctree_lock not exclusively held");
  pgrp* savepgrp = p->p_pgrp;
  PROC_LOCK(p);
  savepgrp->pg_members.remove(p);
  p->p_pgrp = nullptr;
  PROC_UNLOCK(p);
  if (savepgrp->pg_members.empty()) pgdelete(savepgrp);
  return 0;
}

// pgdelete(): the group goes; its session when no group refers to it.
void Kernel::pgdelete(pgrp* pg) {
  pgrphash.remove(pg);  // LIST_REMOVE(pgrp, pg_hash)
  session* savesess = pg->pg_session;
  savesess->s_count--;
  if (savesess->s_count == 0) session_free(*this, savesess);
  pgrp_free(*this, pg);
}

// fixjobc(): "We count the number of processes in each process group that
// 'qualify' the group for terminal job control (those with a parent in a
// different process group of the same session). If that count reaches zero,
// the process group becomes orphaned. Check both the specified process'
// process group and that of its children."
void Kernel::fixjobc(proc* p, pgrp* pg, int entering) {
  KASSERT(proctree_lock.xowner != nullptr || proctree_lock.shared > 0, "fixjobc: proctree_lock not held");
  session* mysession = pg->pg_session;
  pgrp* hispgrp;
  if ((hispgrp = p->p_pptr->p_pgrp) != pg && hispgrp->pg_session == mysession) {
    if (entering) {
      pg->pg_jobc++;
    } else {
      --pg->pg_jobc;
      if (pg->pg_jobc == 0) orphanpg(pg);
    }
  }
  for (proc* q : std::vector<proc*>(p->p_children.begin(), p->p_children.end())) {
    if ((hispgrp = q->p_pgrp) != pg && hispgrp->pg_session == mysession && q->p_state != PRS_ZOMBIE) {
      if (entering) {
        hispgrp->pg_jobc++;
      } else {
        --hispgrp->pg_jobc;
        if (hispgrp->pg_jobc == 0) orphanpg(hispgrp);
      }
    }
  }
}

// orphanpg(): "A process group has become orphaned; if there are any stopped
// processes in the group, hang-up all process in that group."
void Kernel::orphanpg(pgrp* pg) {
  for (proc* p : pg->pg_members) {
    if (P_SHOULDSTOP(p)) {
      for (proc* q : std::vector<proc*>(pg->pg_members.begin(), pg->pg_members.end())) {
        PROC_LOCK(q);
        psignal(q, BSD_SIGHUP);
        psignal(q, BSD_SIGCONT);
        PROC_UNLOCK(q);
      }
      return;
    }
  }
}

}  // namespace impl
