#include "proofs/verify.hpp"

#include <z3++.h>

#include <stdexcept>

namespace ptm::proofs {

VerifyReport verify_2(const VerifyOptions&);
VerifyReport verify_3(const VerifyOptions&);
VerifyReport verify_4(const VerifyOptions&);
VerifyReport verify_5(const VerifyOptions&);
VerifyReport verify_6(const VerifyOptions&);

VerifyReport verify(const VerifyOptions& opt) {
  // Z3's memory limit: a query that reaches it answers unknown ("memout"),
  // which is reported as unknown, never as proved.
  z3::set_param("memory_max_size", static_cast<int>(opt.max_memory_mb));
  switch (opt.procs) {
    case 2: return verify_2(opt);
    case 3: return verify_3(opt);
    case 4: return verify_4(opt);
    case 5: return verify_5(opt);
    case 6: return verify_6(opt);
  }
  throw std::invalid_argument("--procs must be 2..6");
}

}  // namespace ptm::proofs
