#include "oracle/oracle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "scn/run.hpp"
#include "model/applicable.hpp"
#include "oracle/labels.hpp"

namespace ptm::oracle {

namespace {

// Every operation, as the labels name it (the oracle's alphabet has each).
std::vector<Op> operations() {
  std::vector<Op> out;
  for (Req r : kAllRequests) out.push_back(Op{OP_PTRACE, r});
  for (int k = OP_SPAWN; k < OP_COUNT; ++k) out.push_back(Op{static_cast<OpKind>(k), PT_TRACE_ME, KERN_SECURELEVEL});
  return out;
}

bool same_trace(const Trace& a, const Trace& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].first.kind != b[i].first.kind || a[i].first.req != b[i].first.req || a[i].first.knob != b[i].first.knob)
      return false;
    if (explore::leaves(a[i].second) != explore::leaves(b[i].second)) return false;
  }
  return true;
}

template <int N>
OracleSet generate_n(const Options& opt) {
  OracleSet set;
  set.opt = opt;
  explore::Options xo;
  xo.max_depth = opt.max_depth;
  xo.max_states = opt.max_states;
  xo.threads = opt.threads;
  xo.alphabet = explore::Alphabet::oracle;
  explore::Explorer<N> ex(xo, [](const StepCtx<C, N>& c, std::vector<int>& out) { labels<N>(c, out); }, kLabelSpace);
  set.search = ex.run();
  auto found = ex.labelled();

  // Merge labels reached by the same trace into one case; order cases by length, then label.
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    return std::pair{x.trace.size(), x.label} < std::pair{y.trace.size(), y.label};
  });
  std::map<std::string, std::string> case_of;
  for (auto& f : found) {
    auto it = std::find_if(set.cases.begin(), set.cases.end(), [&](const Case& c) { return same_trace(c.trace, f.trace); });
    if (it == set.cases.end()) {
      set.cases.push_back(Case{fmt::format("case-{:03}", set.cases.size() + 1), {}, std::move(f.trace)});
      it = set.cases.end() - 1;
    }
    const std::string name = label_name(f.label);
    it->covers.push_back(name);
    case_of[name] = it->id;
    if (name.rfind("effect ", 0) == 0) set.effects.push_back(name);
  }

  // The coverage table: every check and outcome kind each operation can have.
  const std::string bound = set.search.complete
                                ? fmt::format("unreachable with {} processes: every reachable state was explored", N)
                                : fmt::format("not reached within the search bound ({} steps from boot, {} processes)",
                                              set.search.depth, N);
  for (const Op& op : operations()) {
    const std::string name = op_name(op);
    std::set<std::string> kinds{"ok"};
    auto row = [&](const std::string& label, const char* cannot) {
      CoverageRow r{label, case_of.count(label) ? case_of.at(label) : "", ""};
      if (r.case_id.empty())
        r.reason = cannot ? cannot : bound;
      set.coverage.push_back(r);
    };
    for (int c : applicable_checks(op)) {
      const auto& info = kChecks[c];
      kinds.insert(kind_name(info.kind));
      std::string why = info.reachable ? "" : fmt::format("cannot fire in this model: {}", info.why);
      const char* cannot = cannot_decide(op, c);
      if (cannot) why = cannot;
      row("check " + std::string(info.id) + " of " + name, why.empty() ? nullptr : why.c_str());
    }
    for (const auto& k : kinds) row("outcome " + k + " of " + name, nullptr);
  }
  return set;
}

}  // namespace

OracleSet generate(const Options& opt) {
  if (opt.procs < 2 || opt.procs > 5) throw std::invalid_argument(fmt::format("--procs {}: expected 2..5", opt.procs));
  return scn::with_procs(opt.procs, [&](auto n) -> OracleSet {
    constexpr int N = decltype(n)::value;
    if constexpr (N >= 2 && N <= 5) return generate_n<N>(opt);
    else throw std::invalid_argument("unreachable");
  });
}

}  // namespace ptm::oracle
