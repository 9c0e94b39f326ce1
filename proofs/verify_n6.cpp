// The verification for tables of 6 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<6>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
VerifyReport verify_6(const VerifyOptions& opt) { return verify_n<6>(opt); }
}  // namespace ptm::proofs
