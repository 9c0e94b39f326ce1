#!/usr/bin/env bash
# Installs the Debian packages ptmodel needs, if any is missing (as root, or
# through sudo). Everything comes from Debian's mirror; the build downloads nothing.
#   bazel-bootstrap     Bazel 4.2.3 (pulls in g++ 12 and OpenJDK 17, which runs the Bazel server)
#   libz3-dev           Z3's C++ API (the `z3` package is only the CLI)
#   librapidcheck-dev   RapidCheck
#   libboost1.81-dev    Boost.Hana (header-only)
#   libcli11-dev libfmt-dev nlohmann-json3-dev   the command's options, text and JSON
#   libgtest-dev        unit tests
#   cvc5                a second SMT solver, to re-check a sample of the Z3 proofs
#   graphviz            `dot`, for `ptmodel run --svg` (pictures of the process tree)
# With --fuzz, also clang-14 and its runtimes (libFuzzer), for `--config=fuzz`.
set -euo pipefail
packages=(bazel-bootstrap libz3-dev librapidcheck-dev libboost1.81-dev libcli11-dev libfmt-dev nlohmann-json3-dev libgtest-dev cvc5 graphviz)
[[ "${1:-}" == "--fuzz" ]] && packages+=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
