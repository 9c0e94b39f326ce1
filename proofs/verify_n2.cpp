// The verification for tables of 2 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
VerifyReport verify_2(const VerifyOptions& opt) { return verify_n<2>(opt); }
}  // namespace ptm::proofs
