// The verification for tables of 4 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<4>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
VerifyReport verify_4(const VerifyOptions& opt) { return verify_n<4>(opt); }
}  // namespace ptm::proofs
