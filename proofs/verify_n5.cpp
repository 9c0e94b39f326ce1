// The verification for tables of 5 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
template std::vector<Result> prove_seed_operation<5>(const Op&, const std::string&, const KeepObligation&, unsigned,
                                                     const std::string&);
VerifyReport verify_5(const VerifyOptions& opt) { return verify_n<5>(opt); }
}  // namespace ptm::proofs
