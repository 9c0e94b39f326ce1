// The verification pieces for tables of 4 processes (one translation unit per
// size: the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<4>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
std::vector<Result> prove_matrix_4(const VerifyOptions& opt) { return prove_matrix_n<4>(opt); }
ReachResult reach_4(const std::vector<std::string>& w, const std::vector<Cell>& c, const ReachOptions& o) {
  return reach<4>(w, c, o);
}
std::vector<std::string> initially_broken_4() { return initially_broken_n<4>(); }
}  // namespace ptm::proofs
