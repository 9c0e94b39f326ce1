// The verification for tables of 3 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
VerifyReport verify_3(const VerifyOptions& opt) { return verify_n<3>(opt); }
}  // namespace ptm::proofs
