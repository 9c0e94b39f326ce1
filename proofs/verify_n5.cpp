// The verification pieces for tables of 5 processes (one translation unit per
// size: the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<5>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
std::vector<Result> prove_matrix_5(const VerifyOptions& opt) { return prove_matrix_n<5>(opt); }
ReachResult reach_5(const std::vector<std::string>& w, const std::vector<Cell>& c, const ReachOptions& o) {
  return reach<5>(w, c, o);
}
std::vector<std::string> initially_broken_5() { return initially_broken_n<5>(); }
}  // namespace ptm::proofs
