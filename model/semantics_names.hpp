// Semantics names: the seed, deltas, and run-time edits of the rules.
//
//   seed                the seed as it is
//   seed+a+b            the seed with deltas a and b (model/deltas/)
//   modern              the seed with the deltas of today's FreeBSD, kModernDeltas
//                       (modern+... and seed+modern too)
//   modern-a            those but a
//   seed-CHECK          the seed with CHECK taken out of its list
//   seed+CHECK=ERRNO    CHECK gives ERRNO instead of its own errno
//   seed+CHECK<OTHER    CHECK moved to just before OTHER (one list: check_lists())
//   seed+CHECK>OTHER    CHECK moved to just after OTHER
//
// Edits apply in the order written, after the deltas, and compose with them
// (modern-ATTACH_TRACED). They change the rules at run time, in every domain
// (first_failing() reads them); the reference implementation does not follow
// them, so a command under an edited semantics runs the model only.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "model/applicable.hpp"
#include "model/deltas/all.hpp"

namespace ptm {

// The mask a semantics name stands for, or an error message.
struct ParsedSemantics {
  std::optional<SemanticsMask> mask;
  std::string error;
};

inline std::optional<int> check_by_id(const std::string& id) {
  for (const auto& c : kChecks)
    if (c.id == id) return c.index;
  return std::nullopt;
}

// Is check c in the lists under the deltas of m? (check_active() for a mask not in force.)
inline bool check_active_under(const CheckInfo& c, SemanticsMask m) {
  auto on = [&](int d) { return d >= 0 && ((m >> d) & 1u); };
  return (c.added_by < 0 || on(c.added_by)) && (c.removed_by < 0 || !on(c.removed_by));
}

namespace semantics_detail {

inline std::string known_deltas() {
  std::string k = "seed, modern, seed+DELTA... with DELTA one of";
  for (const auto& d : kDeltas) k += " " + std::string(d.name);
  return k + "; run-time edits: -CHECK, +CHECK=ERRNO, +CHECK<CHECK, +CHECK>CHECK";
}

// Why the edits (in order, under the deltas of `deltas`) cannot be made, or "".
inline std::string edit_error(const std::vector<Edit>& edits, SemanticsMask deltas) {
  // The census lists, as the moves so far leave them.
  std::vector<std::vector<int>> lists = check_lists();
  auto name = [](int c) { return std::string(kChecks[c].id); };
  for (const Edit& e : edits) {
    const CheckInfo& c = kChecks[e.check];
    if (!check_active_under(c, deltas))
      return name(e.check) + " is not in the rules under these deltas" +
             (c.added_by >= 0 ? " (it is delta " + std::string(kDeltas[c.added_by].name) + "'s check)"
                              : " (delta " + std::string(kDeltas[c.removed_by].name) + " takes it out)");
    if (c.kind != K_ERR)
      return name(e.check) + " is not a test the kernel makes (" + std::string(kind_name(c.kind)) +
             ": how the model says the code " +
             (c.kind == K_HANG ? "never ends" : c.kind == K_FAULT ? "faults" : "sleeps") + "); it cannot be edited";
    if (e.kind == E_REMOVE && e.check == C_FORK_NOPROC)
      return "FORK_NOPROC is the model's maxproc (its table is full): without it fork has no slot to use; ask for a "
             "larger table (--procs) instead";
    if (e.kind == E_REMOVE || e.kind == E_ERRNO) continue;
    const CheckInfo& o = kChecks[e.other];
    if (e.other == e.check) return "a check cannot move next to itself (" + name(e.check) + ")";
    if (!check_active_under(o, deltas)) return name(e.other) + " is not in the rules under these deltas";
    bool found = false;
    for (auto& l : lists) {
      auto px = std::find(l.begin(), l.end(), e.check), po = std::find(l.begin(), l.end(), e.other);
      if (px == l.end() || po == l.end()) continue;
      found = true;
      std::vector<int> after = l;
      after.erase(after.begin() + (px - l.begin()));
      auto to = std::find(after.begin(), after.end(), e.other) + (e.kind == E_AFTER ? 1 : 0);
      after.insert(to, e.check);
      auto pos = [](const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) - v.begin(); };
      std::vector<int> flipped;
      for (int k : l)
        if (k != e.check && ((pos(l, k) < pos(l, e.check)) != (pos(after, k) < pos(after, e.check))))
          flipped.push_back(k);
      if (flipped.empty())
        return name(e.check) + " already comes just " + (e.kind == E_BEFORE ? "before " : "after ") + name(e.other);
      if (c.null_after) return name(e.check) + " finds what the checks after it read; it cannot move past them";
      for (int k : flipped)
        if (kChecks[k].null_after)
          return name(e.check) + " reads what " + name(k) + " finds; it cannot move past " + name(k);
      l = after;
    }
    if (!found)
      return name(e.check) + " and " + name(e.other) +
             " are not in one check list (a move stays inside the list of one kernel function's tests)";
  }
  return "";
}

}  // namespace semantics_detail

// The mask of a semantics name, registering its edit set (the same edits give the same mask).
inline ParsedSemantics parse_semantics(const std::string& name) {
  ParsedSemantics r;
  auto bad = [&](const std::string& why) {
    r.error = "semantics `" + name + "`: " + why;
    return r;
  };
  SemanticsMask m = 0;
  std::vector<Edit> edits;
  std::size_t pos = 0;
  char sign = 0;  // the separator before the part: 0 for the base
  while (true) {
    const std::size_t sep = name.find_first_of("+-", pos);
    const std::string part = name.substr(pos, sep == std::string::npos ? std::string::npos : sep - pos);
    if (sign == 0) {
      if (part == "seed") {
      } else if (part == "modern") {
        m = kModern;
      } else {
        r.error = "unknown semantics `" + name + "` (known: " + semantics_detail::known_deltas() + ")";
        return r;
      }
    } else if (part == "modern" && sign == '+') {
      m |= kModern;
    } else if (!part.empty() && std::islower(static_cast<unsigned char>(part[0]))) {
      int found = -1;
      for (const auto& d : kDeltas)
        if (d.name == part) found = d.id;
      if (found < 0) {
        r.error = "unknown semantics `" + name + "` (known: " + semantics_detail::known_deltas() + ")";
        return r;
      }
      const bool has = (m >> found) & 1u;
      if (sign == '+' && has) return bad("names delta `" + part + "` twice");
      if (sign == '-' && !has) return bad("takes out delta `" + part + "`, which it does not have");
      m = sign == '+' ? (m | (SemanticsMask{1} << found)) : (m & ~(SemanticsMask{1} << found));
    } else {
      const std::size_t op = part.find_first_of("=<>");
      const std::string id = part.substr(0, op);
      auto c = check_by_id(id);
      if (!c) return bad("no check `" + id + "` (`ptmodel checks` lists them)");
      if (sign == '-') {
        if (op != std::string::npos) return bad("`-" + part + "`: a check is taken out by `-CHECK` alone");
        edits.push_back({E_REMOVE, *c, -1, 0});
      } else if (op == std::string::npos) {
        return bad("`+" + part + "`: a check is edited by -CHECK, +CHECK=ERRNO, +CHECK<CHECK or +CHECK>CHECK");
      } else if (part[op] == '=') {
        const std::string en = part.substr(op + 1);
        int err = 0;
        for (const auto& e : kErrnoNames)
          if (e.name == en) err = e.value;
        if (!err) {
          std::string known;
          for (const auto& e : kErrnoNames) known += " " + std::string(e.name);
          return bad("no errno `" + en + "` (known:" + known + ")");
        }
        edits.push_back({E_ERRNO, *c, -1, err});
      } else {
        auto o = check_by_id(part.substr(op + 1));
        if (!o) return bad("no check `" + part.substr(op + 1) + "` (`ptmodel checks` lists them)");
        edits.push_back({part[op] == '<' ? E_BEFORE : E_AFTER, *c, *o, 0});
      }
    }
    if (sep == std::string::npos) break;
    sign = name[sep];
    pos = sep + 1;
  }
  if (edits.empty()) {
    r.mask = m;
    return r;
  }
  if (static_cast<int>(edits.size()) > kMaxEdits) return bad("more than " + std::to_string(kMaxEdits) + " edits");
  if (std::string why = semantics_detail::edit_error(edits, m); !why.empty()) return bad(why);
  EditSet set;
  for (const Edit& e : edits) {
    if (e.kind == E_REMOVE && set.removed[e.check]) return bad("takes out " + std::string(kChecks[e.check].id) + " twice");
    if (e.kind == E_ERRNO && set.err[e.check]) return bad("gives " + std::string(kChecks[e.check].id) + " two errnos");
    set.edits[set.count++] = e;
    if (e.kind == E_REMOVE) set.removed[e.check] = true;
    if (e.kind == E_ERRNO) set.err[e.check] = e.err;
    if (e.kind == E_BEFORE || e.kind == E_AFTER) set.moves = true;
  }
  int k = 1;
  for (; k < g_edit_set_count; ++k)
    if (std::equal(set.edits, set.edits + kMaxEdits, g_edit_sets[k].edits) && set.count == g_edit_sets[k].count) break;
  if (k == g_edit_set_count) {
    if (k == kMaxEditSets) return bad("too many edited semantics in one run");
    g_edit_sets[g_edit_set_count++] = set;
  }
  r.mask = m | (static_cast<SemanticsMask>(k) << kEditShift);
  return r;
}

// The canonical name of a mask: seed, modern, or seed+... in table order,
// then its edits as written.
inline std::string semantics_name(SemanticsMask mask) {
  const SemanticsMask m = deltas_of(mask);
  std::string s;
  if (m == 0) {
    s = "seed";
  } else if (m == kModern) {
    s = "modern";
  } else {
    s = "seed";
    for (const auto& d : kDeltas)
      if ((m >> d.id) & 1u) s += "+" + std::string(d.name);
  }
  if (const EditSet* e = edits_of(mask)) {
    for (int i = 0; i < e->count; ++i) {
      const Edit& x = e->edits[i];
      const std::string id(kChecks[x.check].id);
      if (x.kind == E_REMOVE) s += "-" + id;
      if (x.kind == E_ERRNO)
        for (const auto& n : kErrnoNames)
          if (n.value == x.err) s += "+" + id + "=" + std::string(n.name);
      if (x.kind == E_BEFORE) s += "+" + id + "<" + std::string(kChecks[x.other].id);
      if (x.kind == E_AFTER) s += "+" + id + ">" + std::string(kChecks[x.other].id);
    }
  }
  return s;
}

}  // namespace ptm
