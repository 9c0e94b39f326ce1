// The verification for tables of 3 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<3>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
VerifyReport verify_3(const VerifyOptions& opt) { return verify_n<3>(opt); }
}  // namespace ptm::proofs
