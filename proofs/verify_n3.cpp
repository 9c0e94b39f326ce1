// The verification pieces for tables of 3 processes (one translation unit per
// size: the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<3>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
std::vector<Result> prove_matrix_3(const VerifyOptions& opt) { return prove_matrix_n<3>(opt); }
ReachResult reach_3(const std::vector<std::string>& w, const std::vector<Cell>& c, const ReachOptions& o) {
  return reach<3>(w, c, o);
}
std::vector<std::string> initially_broken_3() { return initially_broken_n<3>(); }
}  // namespace ptm::proofs
