// The proof matrix: for every operation and every property (and every
// auxiliary invariant), the model's own rules over Z3 show that the operation
// preserves it from any state of N processes that satisfies the invariants,
// or give a counterexample to induction. Unknown (a timeout) is reported as
// unknown, never as proved.
#pragma once

#include <chrono>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/invariants.hpp"
#include "model/operations.hpp"
#include "proofs/symbolic.hpp"

namespace ptm::proofs {

using Sy = Symbolic;

// A value of any model type made of fresh constants named after its fields.
template <class T>
T fresh(const std::string& name) {
  if constexpr (hana::Struct<T>::value) {
    T out{};
    hana::for_each(hana::keys(out), [&](auto key) {
      using F = std::decay_t<decltype(hana::at_key(out, key))>;
      hana::at_key(out, key) = fresh<F>(name + "." + hana::to<char const*>(key));
    });
    return out;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    T out{};
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = fresh<typename T::value_type>(name + "[" + std::to_string(i) + "]");
    return out;
  } else if constexpr (std::is_same_v<T, sym::SBool>) {
    return T(sym::ctx().bool_const(name.c_str()));
  } else {
    return T(sym::ctx().bv_const(name.c_str(), sym::kWidth));
  }
}

// What the arguments of a system call can be: ints of 32 bits (addresses and
// lengths unsigned), a caller in the table.
// `procs` is the table's size (a constant, or proofs/unbounded.hpp's n).
template <class D>
z3::expr args_well_formed(const Op& op, const Args<D>& a, const z3::expr& procs) {
  auto in = [](const z3::expr& v, std::int64_t lo, std::int64_t hi) { return v >= Sy::num(lo) && v <= Sy::num(hi); };
  auto slot = [&](const z3::expr& v) { return v >= Sy::num(0) && v < procs; };
  const std::int64_t I32 = INT32_MAX, U32 = UINT32_MAX;
  return slot(a.actor) && in(a.pt.pid, INT32_MIN, I32) && in(a.pt.addr, 0, U32) && in(a.pt.data, INT32_MIN, I32) &&
         in(a.pt.piod_op, INT32_MIN, I32) && in(a.pt.piod_offs, 0, U32) && in(a.pt.piod_addr, 0, U32) &&
         in(a.pt.piod_len, 0, U32) && in(a.pid, -1, I32) && a.pid != Sy::num(0) && in(a.sig, INT32_MIN, I32) &&
         in(a.options, 0, 3) && in(a.value, -1, 255) && in(a.suid, -1, I32) && in(a.sgid, -1, I32) &&
         in(a.cred.cr_ngroups, 1, NGROUPS) && in(a.cred.cr_prison, 0, 3) &&
         // The swapper names a slot, not a pid.
         (!(op.kind == OP_SWAPOUT || op.kind == OP_SWAPIN_BEGIN || op.kind == OP_SWAPIN) || slot(a.pid));
}
template <int N, class D = Sy>
z3::expr args_well_formed(const Op& op, const Args<D>& a) {
  return args_well_formed<D>(op, a, Sy::num(N));
}

enum Verdict { PROVED, CTI, UNKNOWN };
inline const char* verdict_name(Verdict v) { return v == PROVED ? "proved" : v == CTI ? "cti" : "unknown"; }

struct Obligation {
  Op op;
  std::string op_name;
  std::string property;  // a property id or an invariant id
  bool invariant = false;
};

struct Result {
  Obligation ob;
  Verdict verdict = UNKNOWN;
  double seconds = 0;
  std::string reason;  // for unknown: Z3's reason
  std::string cti;     // for a counterexample to induction: the pre-state and arguments, briefly
  std::string second;  // for every N, with recheck_with_cvc5: cvc5's verdict on Z3's proof (proofs/every_n.hpp)
};

// The obligations, generated from the operation list and the property and
// invariant lists.
inline std::vector<Obligation> all_obligations() {
  std::vector<Obligation> out;
  for (const auto& [op, name] : all_operations()) {
    hana::for_each(kProperties, [&, op = op, name = name](auto t) {
      out.push_back({op, name, std::string(decltype(t)::type::id), false});
    });
    hana::for_each(kInvariants, [&, op = op, name = name](auto t) {
      out.push_back({op, name, std::string(decltype(t)::type::id), true});
    });
  }
  return out;
}

// Proves the obligations for one operation (sharing the symbolic step between
// them). `keep` selects which; `smt2_dir`, if set, receives one SMT-LIB2 file per
// query. D is Symbolic, or a variant of it (a mutant: see proofs/tests/mutant_test.cpp).
// Set when Z3 ran out of memory (a ulimit, --max-memory): its solver and
// context may then be inconsistent (a later pop() or check() crashes, or Z3
// aborts with "UNEXPECTED CODE WAS REACHED"), so no later query uses Z3: each
// is unknown, and the solver is left undestroyed.
inline bool g_z3_exhausted = false;

template <int N, class D = Sy, class Rules>
std::vector<Result> prove_operation(const Op& op, const std::string& op_name,
                                    const std::function<bool(const Obligation&)>& keep, unsigned timeout_ms,
                                    const std::string& smt2_dir, Rules&& rules) {
  std::vector<Result> out;
  auto not_run = [&](const Obligation& ob) {
    Result r;
    r.ob = ob;
    r.verdict = UNKNOWN;
    r.reason = "not run: Z3 ran out of memory on an earlier query";
    out.push_back(r);
  };
  // Every obligation of the operation, in order: (obligation, hypothesis, conclusion) to `f`, built lazily.
  auto obligations = [&](auto&& f) {
    hana::for_each(kProperties, [&](auto t) {
      using P = typename decltype(t)::type;
      Obligation ob{op, op_name, std::string(P::id), false};
      if (keep(ob)) f(ob, t, std::false_type{});
    });
    hana::for_each(kInvariants, [&](auto t) {
      using I = typename decltype(t)::type;
      Obligation ob{op, op_name, std::string(I::id), true};
      if (keep(ob)) f(ob, t, std::true_type{});
    });
  };
  if (g_z3_exhausted) {
    obligations([&](const Obligation& ob, auto, auto) { not_run(ob); });
    return out;
  }
  auto& c = sym::ctx();
  const State<D, N> pre = fresh<State<D, N>>("s");
  const Args<D> args = fresh<Args<D>>("a");
  auto st = rules(pre, op, args);
  StepCtx<D, N> ctx{pre, op, args, st.out, st.next};
  auto* solver_p = new z3::solver(c);  // not deleted once Z3 has run out of memory
  z3::solver& solver = *solver_p;
  z3::params p(c);
  p.set("timeout", timeout_ms);
  solver.set(p);
  solver.add(invariants_hold<D, N>(pre));
  solver.add(args_well_formed<N, D>(op, args));

  auto query = [&](const Obligation& ob, const z3::expr& hypothesis, const z3::expr& conclusion) {
    Result r;
    r.ob = ob;
    solver.push();
    solver.add(hypothesis);
    solver.add(!conclusion);
    auto t0 = std::chrono::steady_clock::now();
    z3::check_result res = z3::unknown;
    try {
      res = solver.check();
    } catch (const z3::exception& e) {  // out of memory (a ulimit, --max-memory): the query is unknown
      r.reason = e.msg();
      g_z3_exhausted = true;
    }
    if (g_z3_exhausted) {
      r.verdict = UNKNOWN;
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      out.push_back(r);
      return;
    }
    switch (res) {
      case z3::unsat: r.verdict = PROVED; break;
      case z3::sat: {
        r.verdict = CTI;
        z3::model m = solver.get_model();
        auto v = [&](const z3::expr& e) { return static_cast<std::int64_t>(m.eval(e, true).get_numeral_uint64()); };
        auto b = [&](const z3::expr& e) { return m.eval(e, true).is_true(); };
        r.cti = "actor=" + std::to_string(v(args.actor)) + " pid=" + std::to_string(v(args.pt.pid)) + ";";
        for (int i = 0; i < N; ++i) {
          const auto& q = pre.procs[i];
          r.cti += " [" + std::to_string(i) + " st" + std::to_string(v(q.p_state)) + " pid" + std::to_string(v(q.p_pid)) +
                   " pp" + std::to_string(v(q.p_pptr)) + " op" + std::to_string(v(q.p_oppid)) +
                   (b(q.P_TRACED) ? " T" : "") + (b(q.P_WAITED) ? " W" : "") + (b(q.P_STOPPED_SIG) ? " S" : "") +
                   (b(q.P_WEXIT) ? " X" : "") + (b(q.P_SYSTEM) ? " SYS" : "") + " td" + std::to_string(v(q.td_sig)) +
                   " go" + std::to_string(v(q.g_oparent)) + " gw" + std::to_string(v(q.g_waiter)) + "]";
        }
        break;
      }
      case z3::unknown:
        r.verdict = UNKNOWN;
        if (r.reason.empty()) r.reason = solver.reason_unknown();
        break;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!smt2_dir.empty()) {
      std::string file = smt2_dir + "/" + op_name + "--" + ob.property + ".smt2";
      for (auto& ch : file)
        if (ch == ' ') ch = '_';
      std::ofstream f(file);
      f << "; " << ob.op_name << " preserves " << ob.property << " (unsat = proved)\n"
        << "(set-logic QF_BV)\n"
        << solver.to_smt2();
      f.close();
      if (!f) throw std::runtime_error(file + ": cannot write the file");
    }
    solver.pop();
    out.push_back(r);
  };
  obligations([&](const Obligation& ob, auto t, auto invariant) {
    if (g_z3_exhausted) return not_run(ob);
    using P = typename decltype(t)::type;
    if constexpr (decltype(invariant)::value)
      query(ob, sym::ctx().bool_val(true), P::template holds<D, N>(st.next));
    else if constexpr (P::is_step)
      query(ob, sym::ctx().bool_val(true), P::template holds<D, N>(ctx));
    else
      query(ob, P::template holds<D, N>(pre), P::template holds<D, N>(st.next));
  });
  if (!g_z3_exhausted) delete solver_p;
  return out;
}

// The seed's rules, in domain D.
template <int N, class D = Sy>
auto seed_rules() {
  return [](const State<D, N>& s, const Op& op, const Args<D>& a) { return step<D, N>(s, op, a); };
}

// prove_operation with the seed's rules, compiled once per table size, in
// proofs/verify_n<N>.cpp (N = 2..6): verify, audit and the proof tests call
// this, so none of them compiles the symbolic rules again.
using KeepObligation = std::function<bool(const Obligation&)>;
template <int N>
std::vector<Result> prove_seed_operation(const Op& op, const std::string& op_name, const KeepObligation& keep,
                                         unsigned timeout_ms, const std::string& smt2_dir) {
  return prove_operation<N>(op, op_name, keep, timeout_ms, smt2_dir, seed_rules<N>());
}
extern template std::vector<Result> prove_seed_operation<2>(const Op&, const std::string&, const KeepObligation&,
                                                              unsigned, const std::string&);
extern template std::vector<Result> prove_seed_operation<3>(const Op&, const std::string&, const KeepObligation&,
                                                              unsigned, const std::string&);
extern template std::vector<Result> prove_seed_operation<4>(const Op&, const std::string&, const KeepObligation&,
                                                              unsigned, const std::string&);
extern template std::vector<Result> prove_seed_operation<5>(const Op&, const std::string&, const KeepObligation&,
                                                              unsigned, const std::string&);
extern template std::vector<Result> prove_seed_operation<6>(const Op&, const std::string&, const KeepObligation&,
                                                              unsigned, const std::string&);

}  // namespace ptm::proofs
