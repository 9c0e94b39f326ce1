// A deliberately broken copy of one rule makes a proved property fail: the
// same rules, in a symbolic domain where one check never fires (the check
// removed from its list). Removing "System processes can't be debugged."
// (seed 434-440) lets PT_ATTACH trace init, so SYSTEM_UNTRACED, proved for the
// seed, gets a counterexample.
#include <gtest/gtest.h>

#include "proofs/matrix.hpp"

namespace ptm::proofs {
namespace {

template <int Removed>
struct SymbolicWithout : Symbolic {
  static Bool observe(const CheckInfo& c, const Bool& fires) { return c.index == Removed ? Bool(false) : fires; }
};

template <class D, int N>
Result prove_with(const Op& op, const std::string& name, const std::string& property) {
  auto keep = [&](const Obligation& ob) { return ob.property == property; };
  if constexpr (std::is_same_v<D, Symbolic>)
    return prove_seed_operation<N>(op, name, keep, 20000, "").at(0);  // the library's, compiled once
  else
    return prove_operation<N, D>(op, name, keep, 20000, "", seed_rules<N, D>()).at(0);
}

TEST(Mutant, RemovingTheSystemCheckBreaksSystemUntraced) {
  const Op attach{OP_PTRACE, PT_ATTACH};
  EXPECT_EQ((prove_with<Symbolic, 4>(attach, "PT_ATTACH", "SYSTEM_UNTRACED").verdict), PROVED);
  auto r = prove_with<SymbolicWithout<C_SYSTEM>, 4>(attach, "PT_ATTACH", "SYSTEM_UNTRACED");
  EXPECT_EQ(r.verdict, CTI);
  EXPECT_NE(r.cti.find("SYS"), std::string::npos) << r.cti;  // the counterexample attaches a system process
}

TEST(Mutant, RemovingNotYoursBreaksControlByTracer) {
  const Op getregs{OP_PTRACE, PT_GETREGS};
  EXPECT_EQ((prove_with<Symbolic, 4>(getregs, "PT_GETREGS", "CONTROL_BY_TRACER").verdict), PROVED);
  EXPECT_EQ((prove_with<SymbolicWithout<C_NOT_YOURS>, 4>(getregs, "PT_GETREGS", "CONTROL_BY_TRACER").verdict), CTI);
}

}  // namespace
}  // namespace ptm::proofs
