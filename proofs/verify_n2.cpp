// The verification pieces for tables of 2 processes (one translation unit per
// size: the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<2>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
std::vector<Result> prove_matrix_2(const VerifyOptions& opt) { return prove_matrix_n<2>(opt); }
ReachResult reach_2(const std::vector<std::string>& w, const std::vector<Cell>& c, const ReachOptions& o) {
  return reach<2>(w, c, o);
}
std::vector<std::string> initially_broken_2() { return initially_broken_n<2>(); }
}  // namespace ptm::proofs
