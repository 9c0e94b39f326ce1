#!/usr/bin/env bash
# A deliberately broken rule must fail the build.
#
# The broken rule lives outside //...: this script copies model/ to a scratch
# directory, removes one check there (the seed's "not being traced by YOU",
# seed 498-502), and compiles model/tests/compile_time_facts.cpp against the
# copy. The compile must fail, on the static_assert of the scenario in which a
# process that is not the tracer reads the tracee's registers.
#
#   model/broken/break_a_rule.sh            # run by `bazel test //model:broken_rule_fails_the_build`
set -euo pipefail
root="${TEST_SRCDIR:+$TEST_SRCDIR/ptmodel}"
root="${root:-$(cd "$(dirname "$0")/../.." && pwd)}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/model/tests" "$scratch/model/deltas"
cp "$root"/model/*.hpp "$scratch/model/"
cp "$root"/model/deltas/*.hpp "$scratch/model/deltas/"
cp "$root"/model/tests/sim.hpp "$root"/model/tests/compile_time_facts.cpp "$scratch/model/tests/"

rule='check_if(tracer_req, C_NOT_YOURS, [&] { return p.p_pptr != td; })'
broken='check_if(tracer_req, C_NOT_YOURS, [\&] { return D::lit(false); })'
grep -qF "$rule" "$scratch/model/kern_ptrace.hpp" || { echo "the rule to break is not in kern_ptrace.hpp any more: update $0"; exit 1; }
sed -i "s/$(printf '%s' "$rule" | sed 's/[][\.*^$/&]/\\&/g')/$broken/" "$scratch/model/kern_ptrace.hpp"
grep -qF 'return D::lit(false); })' "$scratch/model/kern_ptrace.hpp"

if g++ -std=c++20 -fconstexpr-ops-limit=2000000000 -fsyntax-only -I"$scratch" \
    "$scratch/model/tests/compile_time_facts.cpp" 2>"$scratch/errors"; then
  echo "FAIL: the model with NOT_YOURS removed still compiles: no compile-time fact covers that check"
  exit 1
fi
if ! grep -q "static assertion failed" "$scratch/errors"; then
  echo "FAIL: the broken model failed to compile, but not on a static_assert:"
  head -20 "$scratch/errors"
  exit 1
fi
line=$(grep -m1 -oE "compile_time_facts.cpp:[0-9]+" "$scratch/errors")
echo "ok: removing NOT_YOURS fails the build at $line"
grep -n "C_NOT_YOURS" "$root/model/tests/compile_time_facts.cpp"
