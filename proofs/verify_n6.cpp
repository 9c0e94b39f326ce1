// The verification for tables of 6 processes (one translation unit per size:
// the symbolic rules are large to compile).
#include "proofs/verify.hpp"

namespace ptm::proofs {
VerifyReport verify_6(const VerifyOptions& opt) { return verify_n<6>(opt); }
}  // namespace ptm::proofs
