#!/bin/sh
# The oracle's ATF-C output is well-formed C: generate it (a table of 3, the
# whole reachable space) and compile it with stand-ins for FreeBSD's headers.
set -eu
ptmodel=$1
standin=oracle/tests/standin  # runfiles-relative: tests run from the workspace root of the runfiles
out=${TEST_TMPDIR:-/tmp}/atf
rm -rf "$out"
"$ptmodel" oracle --procs 3 --max-depth 6 --format atf-c -o "$out" > "$out.log"
for f in ptrace_oracle_test.c Kyuafile Makefile; do
  test -s "$out/$f" || { echo "missing $out/$f"; exit 1; }
done
cases=$(grep -c '^ATF_TC_BODY' "$out/ptrace_oracle_test.c")
added=$(grep -c 'ATF_TP_ADD_TC(tp,' "$out/ptrace_oracle_test.c")
echo "test cases: $cases (registered: $added)"
test "$cases" -ge 20 || { echo "expected at least 20 test cases"; exit 1; }
test "$cases" -eq "$added" || { echo "every test case must be registered"; exit 1; }
grep -q 'ATF_REQUIRE_ERRNO(EPERM' "$out/ptrace_oracle_test.c" || { echo "no EPERM expectation"; exit 1; }
grep -q 'ATF_REQUIRE_ERRNO(EBUSY' "$out/ptrace_oracle_test.c" || { echo "no EBUSY expectation"; exit 1; }
grep -q 'atf_test_program{name="ptrace_oracle_test"}' "$out/Kyuafile"
cc -std=c99 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -fsyntax-only \
   -I "$standin" "$out/ptrace_oracle_test.c"
echo "compiles against the stand-in headers"
