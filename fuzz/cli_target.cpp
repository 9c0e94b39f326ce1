// Fuzz target 3: the command line and directory inputs. One input is a command
// and a directory tree:
//
//   line 1          the arguments, split at spaces; `DIR` at the start of an
//                   argument stands for the input's directory
//   `=NAME`         starts file DIR/NAME (NAME may hold `/`: subdirectories);
//                   the lines after it, up to the next `=` or `@` line, are its text
//   `@NAME TARGET`  makes DIR/NAME a symbolic link to TARGET (DIR expanded), so
//                   loops and links out of the tree occur
//
// ptmodel_command runs it (cli/commands.cpp) with the standard output thrown
// away. A finding: an exit status other than 0..3, an exception that escapes,
// a crash, a hang, a sanitizer report. Only bounded subcommands run (run,
// explain, checks, properties, semantics, explore, oracle, hunt), with their
// search bounds forced small; output paths are kept inside DIR and `--svg`
// (which starts Graphviz) is dropped.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// A path inside the input's directory (no `..`, no absolute path).
bool inside(const std::string& name) {
  if (name.empty() || name[0] == '/') return false;
  for (const auto& part : split(name, '/'))
    if (part == "..") return false;
  return true;
}

const std::set<std::string> kCommands = {"run", "explain", "checks", "properties", "semantics", "explore", "oracle", "hunt"};
// Options whose value this target sets itself (a search bound), or drops.
const std::set<std::string> kBoundOptions = {"--max-states", "--max-depth", "--sequences", "--threads", "--max-memory"};
const std::set<std::string> kPathOptions = {"-o", "--out", "--dot"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (text.find('\0') != std::string::npos) return 0;  // argv cannot hold NUL
  const auto lines = split(text, '\n');
  auto words = split(lines[0], ' ');
  if (words.empty() || !kCommands.count(words[0])) return 0;

  char tmpl[] = "/tmp/ptmodel-cli-fuzz-XXXXXX";
  if (!mkdtemp(tmpl)) return 0;
  const std::string dir = tmpl;
  auto expand = [&](const std::string& w) { return w.rfind("DIR", 0) == 0 ? dir + w.substr(3) : w; };

  // The tree.
  std::error_code ec;
  std::ofstream file;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (!l.empty() && (l[0] == '=' || l[0] == '@')) {
      file.close();
      const auto sp = l.find(' ');
      const std::string name = l.substr(1, l[0] == '@' ? sp - 1 : std::string::npos);
      if (!inside(name)) continue;
      const fs::path p = fs::path(dir) / name;
      fs::create_directories(p.parent_path(), ec);
      if (l[0] == '=') file.open(p, std::ios::binary);
      else if (sp != std::string::npos) fs::create_symlink(expand(l.substr(sp + 1)), p, ec);
    } else if (file.is_open()) {
      file << l << "\n";
    }
  }
  file.close();

  // The arguments: bounds forced, output paths kept inside DIR.
  std::vector<std::string> args = {"ptmodel"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.empty() || w == "--svg") continue;
    const std::string opt = w.substr(0, w.find('='));
    if (kBoundOptions.count(opt)) {
      if (opt == w) ++i;  // and its value
      continue;
    }
    if (kPathOptions.count(opt)) {
      std::string value = opt == w ? (i + 1 < words.size() ? words[++i] : "") : w.substr(opt.size() + 1);
      value = value.rfind("DIR", 0) == 0 && inside(value.substr(std::min<std::size_t>(value.size(), 4)))
                  ? expand(value)
                  : dir + "/out";
      args.push_back(opt);
      args.push_back(value);
      continue;
    }
    args.push_back(expand(w));
  }
  if (words[0] == "explore") args.insert(args.end(), {"--max-states", "3000", "--max-depth", "4", "--threads", "1"});
  if (words[0] == "oracle") args.insert(args.end(), {"--max-states", "3000", "--max-depth", "2"});
  if (words[0] == "hunt") args.insert(args.end(), {"--sequences", "3"});

  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::ostringstream sink;
  auto* saved = std::cout.rdbuf(sink.rdbuf());
  const int rc = ptmodel_command(static_cast<int>(args.size()), argv.data());
  std::cout.rdbuf(saved);
  std::cout.clear();
  fs::remove_all(dir, ec);
  if (rc < 0 || rc > 3) {
    std::fprintf(stderr, "ptmodel exit status %d: not one of 0..3\n", rc);
    std::abort();
  }
  return 0;
}
