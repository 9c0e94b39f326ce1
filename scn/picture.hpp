// Pictures of a run: the process tree after each step, as Graphviz.
// Parent edges (p_pptr) solid, labelled "tracer" when the child is traced (in
// the seed the tracer is the parent); a dashed edge to the original parent
// (p_oppid) of a traced process; stopped processes filled, waited-for ones
// with a double border, zombies dashed, exiting ones orange.
#pragma once

#include <string>

#include "scn/run.hpp"

namespace ptm::scn {

std::string run_to_dot(const Scenario& sc, const RunResult& r);

// Renders DOT text to SVG with Graphviz's `dot`; throws InputError when it is missing.
std::string dot_to_svg(const std::string& dot);

}  // namespace ptm::scn
