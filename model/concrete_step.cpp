// The concrete rules, compiled once per table size (model/step.hpp says why).
#include "model/step.hpp"

namespace ptm {

template StepOf<Concrete, 2> concrete_step<2>(const State<Concrete, 2>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 3> concrete_step<3>(const State<Concrete, 3>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 4> concrete_step<4>(const State<Concrete, 4>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 5> concrete_step<5>(const State<Concrete, 5>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 6> concrete_step<6>(const State<Concrete, 6>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 7> concrete_step<7>(const State<Concrete, 7>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 8> concrete_step<8>(const State<Concrete, 8>&, const Op&, const Args<Concrete>&);

template StepOf<Concrete, 2> step_or_fault<2>(const State<Concrete, 2>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 3> step_or_fault<3>(const State<Concrete, 3>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 4> step_or_fault<4>(const State<Concrete, 4>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 5> step_or_fault<5>(const State<Concrete, 5>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 6> step_or_fault<6>(const State<Concrete, 6>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 7> step_or_fault<7>(const State<Concrete, 7>&, const Op&, const Args<Concrete>&);
template StepOf<Concrete, 8> step_or_fault<8>(const State<Concrete, 8>&, const Op&, const Args<Concrete>&);

}  // namespace ptm
