// The oracle's three output forms: scenario files (what `ptmodel run` replays),
// JSON (one object per case, schema in docs/oracle.md), and ATF-C (a test
// program in the style of FreeBSD's tests/sys/kern/ptrace_test.c, with its
// Kyuafile and Makefile), plus the coverage table in Markdown.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "oracle/oracle.hpp"

namespace ptm::oracle {

// A case as a scenario file (a `procs N` line, expectations on every step).
std::string case_scenario(const OracleSet& set, const Case& c, const std::string& semantics);

// The whole set as JSON.
nlohmann::json to_json(const OracleSet& set, const std::string& semantics);

// The coverage table, Markdown.
std::string coverage_markdown(const OracleSet& set, const std::string& semantics);

struct AtfOutput {
  std::string source;    // ptrace_oracle_test.c
  std::string kyuafile;  // Kyuafile
  std::string makefile;  // Makefile (FreeBSD's bsd.test.mk)
  int emitted = 0;       // cases written as test cases
  std::vector<std::pair<std::string, std::string>> skipped;  // case id, why it cannot be a user-space test
};
AtfOutput to_atf(const OracleSet& set, const std::string& semantics);

}  // namespace ptm::oracle
