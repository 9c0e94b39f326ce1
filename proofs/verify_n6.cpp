// The verification pieces for tables of 6 processes (one translation unit per
// size: the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<6>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
std::vector<Result> prove_matrix_6(const VerifyOptions& opt) { return prove_matrix_n<6>(opt); }
ReachResult reach_6(const std::vector<std::string>& w, const std::vector<Cell>& c, const ReachOptions& o) {
  return reach<6>(w, c, o);
}
std::vector<std::string> initially_broken_6() { return initially_broken_n<6>(); }
}  // namespace ptm::proofs
