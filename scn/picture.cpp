#include "scn/picture.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ptm::scn {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string run_to_dot(const Scenario& sc, const RunResult& r) {
  std::ostringstream out;
  out << "digraph run {\n  rankdir=BT;\n  compound=true;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=9];\n"
      << fmt::format("  label=\"{}: the process tree after each step\";\n  labelloc=t;\n", escape(sc.file));
  int k = 0;
  for (const auto& rec : r.steps) {
    ++k;
    const RunState& s = rec.post;
    // Names after the step: the record's names (before it) plus a new process's.
    auto name = [&](int slot) -> std::string {
      if (slot < static_cast<int>(rec.names.size()) && !rec.names[slot].empty()) return rec.names[slot];
      if (!rec.line->bind.empty() && rec.out.kind == K_OK && s.procs[slot].p_pid == rec.out.retval) return rec.line->bind;
      return slot == SLOT_PROC0 ? "proc0" : slot == SLOT_INIT ? "init" : fmt::format("slot{}", slot);
    };
    std::string outcome = outcome_text(rec.out);
    out << fmt::format("  subgraph cluster_{} {{\n    label=\"{}. {}  ->  {}\";\n    fontname=\"Helvetica\"; fontsize=10;\n",
                       k, rec.line->line, escape(rec.line->text.substr(0, rec.line->text.find("->"))), escape(outcome));
    for (int i = 0; i < rec.procs; ++i) {
      const auto& p = s.procs[i];
      if (p.p_state == PRS_FREE) continue;
      std::vector<std::string> marks;
      if (p.P_TRACED) marks.push_back("traced");
      if (P_SHOULDSTOP<Concrete>(p)) marks.push_back(p.P_STOPPED_TRACE ? "trace-stopped" : "stopped");
      if (p.P_WAITED) marks.push_back("waited");
      if (p.P_WEXIT && p.p_state != PRS_ZOMBIE) marks.push_back("exiting");
      if (p.p_state == PRS_ZOMBIE) marks.push_back("zombie");
      if (p.P_SYSTEM) marks.push_back("system");
      std::string style = "style=\"rounded";
      if (P_SHOULDSTOP<Concrete>(p)) style += ",filled\", fillcolor=\"lightblue\"";
      else if (p.p_state == PRS_ZOMBIE) style += ",dashed\", color=\"gray40\"";
      else style += "\"";
      if (p.P_WEXIT && p.p_state != PRS_ZOMBIE) style += ", color=\"orange\"";
      if (p.P_WAITED) style += ", peripheries=2";
      out << fmt::format("    s{}_{} [label=\"{}\\npid {}{}\", {}];\n", k, i, escape(name(i)), p.p_pid,
                         marks.empty() ? "" : "\\n" + fmt::format("{}", fmt::join(marks, ", ")), style);
    }
    for (int i = 0; i < rec.procs; ++i) {
      const auto& p = s.procs[i];
      if (p.p_state == PRS_FREE || p.p_pptr == NOPROC) continue;
      out << fmt::format("    s{}_{} -> s{}_{}{};\n", k, i, k, p.p_pptr,
                         p.P_TRACED ? " [label=\"tracer\", color=\"red\", fontcolor=\"red\"]" : "");
      if (p.P_TRACED && p.p_oppid != 0) {
        for (int j = 0; j < rec.procs; ++j)
          if (s.procs[j].p_state != PRS_FREE && s.procs[j].p_pid == p.p_oppid)
            out << fmt::format("    s{}_{} -> s{}_{} [style=dashed, label=\"p_oppid\", constraint=false];\n", k, i, k, j);
      }
    }
    out << "  }\n";
  }
  out << "}\n";
  return out.str();
}

std::string dot_to_svg(const std::string& dot) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0)
    throw InputError("--svg needs Graphviz's `dot` (Debian package graphviz); --dot writes the graph without it");
  char in_name[] = "/tmp/ptmodel-dot-XXXXXX";
  const int fd = mkstemp(in_name);
  if (fd < 0) throw InputError("cannot make a temporary file for dot");
  close(fd);
  {
    std::ofstream f(in_name, std::ios::binary);
    f << dot;
    f.close();
    if (!f) {
      std::filesystem::remove(in_name);
      throw InputError(fmt::format("{}: cannot write the graph for dot", in_name));
    }
  }
  const std::string out_name = std::string(in_name) + ".svg";
  const int rc = std::system(fmt::format("dot -Tsvg '{}' -o '{}'", in_name, out_name).c_str());
  std::filesystem::remove(in_name);
  if (rc != 0) throw InputError("dot failed to render the graph");
  std::ifstream f(out_name, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  if (!f || ss.str().empty()) {
    std::filesystem::remove(out_name);
    throw InputError("dot wrote no SVG");
  }
  std::filesystem::remove(out_name);
  return ss.str();
}

}  // namespace ptm::scn
