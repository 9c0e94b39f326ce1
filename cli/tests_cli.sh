#!/usr/bin/env bash
# The command on bad input (exit 2, `file:line: what was expected`) and on
# expectations that do not hold (exit 1, the step named).
set -u
ptmodel="$1"
data="$(dirname "$2")"
fails=0
# The part to run ($3): basic (every subcommand on small bounds) or audit
# (the audits, whose searches and proofs take most of the time): two Bazel
# targets, cli_test and cli_audit_test, that run side by side.
part="${3:-all}"
in_part() { [[ $part == all || $part == "$1" ]]; }
expect() {  # expect EXIT_CODE PATTERN -- ARGS...
  local want="$1" pattern="$2"
  shift 3
  local out rc
  out=$("$ptmodel" "$@" 2>&1)
  rc=$?
  if [[ $rc -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: ptmodel $* -> exit $rc (want $want), output lacks /$pattern/:"
    echo "$out" | sed 's/^/    /'
    fails=$((fails + 1))
  else
    echo "ok: ptmodel $* -> exit $rc"
  fi
}
# The searches are bounded to what the checks below need (each bound is one
# the reports name): diff's at 20,000 states (the witness is 5 steps deep), the
# audit's at 20,000 seed states, 5,000 per mutant and 20,000 per property
# witness search. Under the sanitizers (.bazelrc, sanitize) the audit removes
# one check, not three. docs/hardening.md.
if [[ -n "${PTMODEL_SANITIZED:-}" ]]; then
  audit_checks=(--check SYSTEM --procs 4 --depth 6 --complete-procs 2 --max-states 5000 --mutant-states 2000 --witness-states 5000)
  audit_wants=("removing it breaks: SYSTEM_UNTRACED" "witness for SYSTEM_UNTRACED")
  diff_bound=(--max-states 20000)
else
  audit_checks=(--check NOT_YOURS --check SYSTEM --check NOT_STOPPED --complete-procs 2 --max-states 20000 --mutant-states 5000 --witness-states 20000)
  audit_wants=("NOT_YOURS .*seed 498-502" "removing it breaks: CONTROL_BY_TRACER, STOPPED_WAITED"
               "removing it breaks: SYSTEM_UNTRACED" "witness for SYSTEM_UNTRACED"
               "removing it breaks: STOPPED_WAITED" "witness for STOPPED_WAITED" "violates CONTROL_BY_TRACER")
  diff_bound=(--max-states 20000)
fi
if in_part basic; then
expect 2 "empty.scn:1: empty scenario" -- run "$data/empty.scn"
expect 2 "comments_only.scn:2: empty scenario" -- run "$data/comments_only.scn"
expect 2 "unknown_request.scn:2: unknown request .PT_FROB." -- run "$data/unknown_request.scn"
expect 2 "unknown_actor.scn:2: unknown process .Q." -- run "$data/unknown_actor.scn"
expect 2 "duplicate_name.scn:2: duplicate process name .P." -- run "$data/duplicate_name.scn"
expect 2 "unknown_errno.scn:2: unknown errno .EWHAT." -- run "$data/unknown_errno.scn"
expect 2 "unknown_signal.scn:2: expected a signal" -- run "$data/unknown_signal.scn"
expect 2 "malformed.scn:2: expected .PARENT fork CHILD." -- run "$data/malformed.scn"
expect 2 "unknown_property.scn:2: unknown property .NO_SUCH_PROPERTY." -- run "$data/unknown_property.scn"
expect 2 "unknown_sysctl.scn:1: unknown sysctl" -- run "$data/unknown_sysctl.scn"
expect 2 "out_of_range.scn:1: .* out of range" -- run "$data/out_of_range.scn"
expect 2 "binary.scn:1: control character" -- run "$data/binary.scn"
expect 2 "reaped_actor.scn:5: process .C. no longer exists" -- run "$data/reaped_actor.scn"
expect 2 "bad_wait_status.scn:4: a terminating signal is 1..126" -- run "$data/bad_wait_status.scn"
expect 2 "bad_wait_status2.scn:3: a terminating signal is 1..126" -- run "$data/bad_wait_status2.scn"
expect 2 "failed_fork_target.scn:4: process .Q. was never made" -- run "$data/failed_fork_target.scn"
expect 2 "no-such-file.scn: cannot open" -- run "$data/no-such-file.scn"
expect 2 "subcommand" -- frobnicate
expect 1 "wrong_errno.scn:3: expected .EBUSY., got .0." -- run "$data/wrong_errno.scn"
expect 1 "wrong_violation.scn:3: expected the step to violate OPPID_REAL" -- run "$data/wrong_violation.scn"
expect 1 "wrong_fact.scn:3: expected stopped but C is running" -- run "$data/wrong_fact.scn"
expect 0 "ATTACH_TRACED +kern_ptrace +457-461 +EBUSY +Already traced" -- checks
expect 0 "DETACH_RESTORES" -- properties
expect 2 "--procs 9: expected 2..6" -- verify --procs 9
expect 2 "unknown semantics .moderne." -- verify --semantics moderne
expect 3 "Some verdicts are unknown: exit status 3" -- verify --procs 3 --search-procs 3 --depth 1 --timeout 1
expect 1 "TRACER_LIVE +holds +for N <= 3 \(bounded\)" -- verify --no-every-n --procs 3 --search-procs 3 --depth 1
expect 2 "--search-procs 7: expected 2..6" -- verify --search-procs 7
# The search grows the table: proved at N = 2, violated at N = 3, said in words.
expect 1 "NO_TRACE_OF_EXITING +violated +holds for N <= 2 \(bounded\), but reachable in 3 steps at N = 3" -- verify --no-every-n --procs 2 --search-procs 3 --depth 3
expect 1 "complete alphabet \(ids \{0, 1001, 1002\}" -- verify --no-every-n --procs 2 --search-procs 3 --depth 3
expect 2 "unknown property .NOPE." -- hunt --property NOPE
# explain: every check in order, the decider, the state it read
expect 0 "YES ATTACH_TRACED +seed 457-461 +Already traced" -- explain "$data/explain.scn:4"
expect 0 "P_TRACED\(C\)=1" -- explain "$data/explain.scn:4"
expect 0 "=> EBUSY, decided by ATTACH_TRACED" -- explain "$data/explain.scn:4"
expect 0 "p_pptr\\(C\\)=P, caller=P" -- explain "$data/explain.scn:5"
expect 2 "explain.scn:9: no operation on this line" -- explain "$data/explain.scn:9"
fi  # basic
if in_part audit; then
# audit: removing each named check of kern_ptrace breaks a property, with a witness
audit_out=$("$ptmodel" audit "${audit_checks[@]}" 2>&1)
for want in "${audit_wants[@]}"; do
  if grep -qE -- "$want" <<<"$audit_out"; then echo "ok: audit shows /$want/"; else echo "FAIL: audit lacks /$want/"; fails=$((fails + 1)); fi
done
# the attacker goals: without SYSTEM init can be traced (GOAL_TRACE_SYSTEM), a step SYSTEM refuses
for want in "without it: GOAL_TRACE_SYSTEM, by PT_TRACE_ME \(N = 2, 1 steps; by a step it refuses\)" \
            "Witness: without SYSTEM, GOAL_TRACE_SYSTEM by PT_TRACE_ME" "not reached: .*GOAL_TAKE_TRACEE"; do
  if grep -qE -- "$want" <<<"$audit_out"; then echo "ok: audit shows /$want/"; else echo "FAIL: audit lacks /$want/"; fails=$((fails + 1)); fi
done
# audit: without ATTACH_TRACED a second process takes a tracee from its tracer;
# the witness it prints replays on the mutant, and the seed refuses its last step
goal_out=$("$ptmodel" audit --check ATTACH_TRACED --procs 4 --depth 4 --complete-procs 2 --max-states 20000 --mutant-states 5000 --witness-states 20000 2>&1)
want="without it: GOAL_TAKE_TRACEE, by PT_ATTACH \(N = 4, 4 steps; by a step it refuses\)"
if grep -qE -- "$want" <<<"$goal_out"; then echo "ok: audit shows /$want/"; else echo "FAIL: audit lacks /$want/"; fails=$((fails + 1)); fi
awk '/^# Witness: without ATTACH_TRACED, GOAL_TAKE_TRACEE/ {on = 1} on && /^( |$)/ {exit} on' <<<"$goal_out" > "${TEST_TMPDIR:-/tmp}/take.$$.scn"
expect 0 "1 passed, 0 failed" -- run --without ATTACH_TRACED "${TEST_TMPDIR:-/tmp}/take.$$.scn"
expect 1 "expected .0., got .EBUSY." -- run "${TEST_TMPDIR:-/tmp}/take.$$.scn"
# every witness an audit prints replays as its Replay line says: SIGNAL_RANGE
# (a new way to GOAL_FAULT: PT_CONTINUE), ATTACH_ANCESTOR (a path of several
# to GOAL_HANG), PFIND (a fault), the seed's own findings
wdir=${TEST_TMPDIR:-/tmp}/witnesses.$$
mkdir -p "$wdir"
if [[ -n "${PTMODEL_SANITIZED:-}" ]]; then wbound=(--max-states 3000 --mutant-states 1000 --witness-states 3000); else wbound=(--max-states 30000 --mutant-states 10000 --witness-states 10000); fi
wout=$("$ptmodel" audit --check SIGNAL_RANGE --check ATTACH_ANCESTOR --check PFIND --procs 4 --depth 5 --complete-procs 2 "${wbound[@]}" 2>&1)
awk -v dir="$wdir" '/^# Witness:/ {n++; f = dir "/w" n ".scn"} /^( |$)/ {f = ""} f {print > f}' <<<"$wout"
nw=0
for f in "$wdir"/w*.scn; do
  [[ -e "$f" ]] || continue
  nw=$((nw + 1))
  flags=$(sed -n 's/^# Replay: ptmodel run\(.*\) FILE$/\1/p' "$f")
  # shellcheck disable=SC2086
  if "$ptmodel" run $flags "$f" > "$wdir/out" 2>&1; then echo "ok: witness $(head -1 "$f" | cut -c3-80) replays"; else
    echo "FAIL: $f does not replay with 'run$flags': $(tail -3 "$wdir/out")"; fails=$((fails + 1)); fi
done
wwants=("Witness: without PFIND, GOAL_FAULT")
[[ -n "${PTMODEL_SANITIZED:-}" ]] ||
  wwants+=("without it: GOAL_FAULT, by .*PT_CONTINUE \(N = 3, 5 steps; by a step it refuses\)" "without it, also \(a path of several\): GOAL_HANG, by PT_ATTACH")
for want in "${wwants[@]}"; do
  if grep -qE -- "$want" <<<"$wout"; then echo "ok: audit shows /$want/"; else echo "FAIL: audit lacks /$want/"; fails=$((fails + 1)); fi
done
if [[ $nw -ge 5 ]]; then echo "ok: $nw witnesses replayed"; else echo "FAIL: only $nw witnesses printed"; fails=$((fails + 1)); fi
# an audit witness replays on the mutant, and the seed refuses its last step
expect 0 "1 passed, 0 failed" -- run --without NOT_YOURS "$data/audit_not_yours_witness.scn"
expect 1 "expected .0., got .EBUSY." -- run "$data/audit_not_yours_witness.scn"
expect 2 "unknown check .NO_SUCH_CHECK." -- run --without NO_SUCH_CHECK "$data/audit_not_yours_witness.scn"
for want in "Security properties" "SYSTEM_UNTRACED +holds for N = 4 \\(bounded\\)" "guarded by: .*SYSTEM"; do
  if grep -qE -- "$want" <<<"$audit_out"; then echo "ok: audit shows /$want/"; else echo "FAIL: audit lacks /$want/"; fails=$((fails + 1)); fi
done
fi  # audit
if in_part basic; then
# the rest of the bad-input catalogue: a line of a megabyte, a file that cannot be read, a directory,
# an unknown semantics or delta, a table size out of range
tmpc=${TEST_TMPDIR:-/tmp}/catalogue.$$
mkdir -p "$tmpc"
python3 -c 'print("init fork " + "A" * 1048576)' > "$tmpc/long.scn"
expect 2 "long.scn:1: line longer than 4096 characters" -- run "$tmpc/long.scn"
expect 2 "/proc/self/mem: cannot read the file" -- explain /proc/self/mem
expect 2 "is a directory, not a scenario file" -- explain "$data"
expect 2 "unknown semantics .seed\+nope." -- verify --semantics seed+nope
expect 2 "unknown semantics .nope." -- oracle --semantics nope
expect 2 "--procs 9: expected 2..6" -- verify --procs 9
expect 2 "--procs 1: expected 2..5" -- explore --procs 1
# procs N: a smaller table (fork runs out of slots, pids wrap), and its bad values
expect 2 "bad_procs.scn:2: procs 9: expected 2..8" -- run "$data/bad_procs.scn"
# explore and oracle: bad options exit 2; small runs work
expect 2 "--procs 9: expected 2..5" -- explore --procs 9
expect 2 "unknown semantics .nope." -- explore --procs 2 --semantics nope
expect 1 "states +20 \(all reachable\)" -- explore --procs 2
expect 3 "PARTIAL: stopped by max-depth" -- explore --procs 3 --max-depth 0
expect 2 "--procs 1: expected 2..5" -- oracle --procs 1
expect 2 "format" -- oracle --format pdf
tmp=${TEST_TMPDIR:-/tmp}/cli_test.$$
mkdir -p "$tmp"
expect 0 "cases written to" -- oracle --procs 3 --max-depth 3 -o "$tmp/oracle"
expect 0 "passed, 0 failed" -- run -q "$tmp/oracle"
# --json everywhere: each report parses as JSON
for args in "checks --json" "properties --json" "run --json $data/explain.scn" "explain --json $data/explain.scn:4" \
            "explore --procs 2 --json" "oracle --procs 2 --max-depth 3 --format json" \
            "verify --no-every-n --procs 2 --search-procs 3 --depth 3 --json"; do
  if "$ptmodel" $args 2>/dev/null | python3 -c 'import json,sys; json.load(sys.stdin)'; then
    echo "ok: ptmodel $args is JSON"
  else
    echo "FAIL: ptmodel $args is not JSON"; fails=$((fails + 1))
  fi
done
# pictures: the process tree per step, as Graphviz (and SVG when dot is installed)
expect 0 "passed" -- run --dot "$tmp/run.dot" "$data/explain.scn"
if grep -q "cluster_" "$tmp/run.dot" && grep -q 'label="tracer"' "$tmp/run.dot"; then echo "ok: run --dot draws the tree"; else echo "FAIL: run --dot"; fails=$((fails + 1)); fi
if command -v dot >/dev/null; then
  expect 0 "passed" -- run --svg "$tmp/run.svg" "$data/explain.scn"
  if grep -q "<svg" "$tmp/run.svg"; then echo "ok: run --svg renders"; else echo "FAIL: run --svg"; fails=$((fails + 1)); fi
fi
expect 2 "one FILE" -- run --dot "$tmp/x.dot" "$data"
# semantics: the deltas, per-semantics expectations, diff
expect 0 "inexec_ebusy +\(model/deltas/inexec_ebusy.hpp\)" -- semantics
expect 0 "attach_ancestor_any +\(model/deltas/attach_ancestor_any.hpp\)  \[not in modern\]" -- semantics
expect 0 "reap_not_to_self +\(model/deltas/reap_not_to_self.hpp\)  \[modern\]" -- semantics
expect 0 "CANDEBUG_INEXEC_EBUSY .*\[delta inexec_ebusy only\]" -- checks
expect 0 "1 passed, 0 failed" -- run --semantics seed "$data/delta_expect.scn"
expect 0 "1 passed, 0 failed" -- run --semantics seed+inexec_ebusy "$data/delta_expect.scn"
expect 0 "1 passed, 0 failed" -- run --semantics modern "$data/delta_expect.scn"    # no [modern]: the step just runs
expect 2 "delta_bad.scn:2: unknown semantics .seed\+nope." -- run "$data/delta_bad.scn"
expect 2 "names delta .wexit_esrch. twice" -- diff seed seed+wexit_esrch+wexit_esrch
expect 2 "unknown semantics .seed\+nope." -- diff seed seed+nope
expect 2 "--procs 7: expected 2..6" -- diff seed modern --procs 7
expect 2 "--procs 7: expected 2..6" -- audit --procs 7
expect 2 "unknown semantics .nope." -- run --semantics nope "$data/delta_expect.scn"
expect 1 "PT_STEP +ok under A, EINVAL under B +N=3 +witness, [0-9]+ steps at N = 3" -- diff seed seed+resume_signal_range "${diff_bound[@]}" -o "$tmp/diff"
expect 1 "PT_STEP +reaches GOAL_FAULT under A only +N=3 +witness" -- diff seed seed+resume_signal_range "${diff_bound[@]}"
# a bounded search that found no violation under B does not make a repair
expect 1 "XSTAT_VALID +violated +not found +B's search bounded: repair not shown" -- diff seed seed+resume_signal_range --max-states 20000
expect 0 "ran 2 scenarios .* 2 passed, 0 failed" -- run --semantics seed "$tmp/diff"   # two kinds, a witness each
expect 0 "2 passed, 0 failed" -- run --semantics seed+resume_signal_range "$tmp/diff"
# facts about any field of struct proc, and per-semantics `expect [SEM]` lines
expect 0 "1 passed, 0 failed" -- run "$data/fields.scn"
expect 0 "1 passed, 0 failed" -- run --semantics modern "$data/fields.scn"
expect 0 "9  expect \[seed\] C P_STOPPED_SIG=1 +\(not under this semantics\)" -- run --semantics modern "$data/fields.scn"
printf 'spawn P uid=1001 gid=1001\nP fork C -> C\nexpect C P_TRACED td_sig=SIGSTOP\n' > "$tmp/fields_bad.scn"
expect 1 "expected P_TRACED=1 but P_TRACED is 0; td_sig=17 but td_sig is 0" -- run "$tmp/fields_bad.scn"
printf 'spawn P uid=1001 gid=1001\nexpect P !p_pid\n' > "$tmp/fields_bad2.scn"
expect 2 "fields_bad2.scn:2: .!p_pid. is not a flag" -- run "$tmp/fields_bad2.scn"
# a diff witness states the fields its last step leaves different, per semantics
expect 1 "expect \[seed\] P1 P_WAITED p_siglist=none" -- diff seed seed+attach_clears_sig_stop --procs 3 "${diff_bound[@]}"
# run-time edits: a check taken out, given another errno, moved; what cannot be edited is refused
expect 0 "6 steps, 0 expectations failed, model only \(the impl does not follow run-time edits\)" -- run --semantics seed-ATTACH_TRACED "$data/edits.scn"
expect 0 "EPERM +\[ATTACH_TRACED, seed 457-461: Already traced \(run-time edit: EPERM instead of EBUSY\)\]" -- run --semantics seed+ATTACH_TRACED=EPERM "$data/edits.scn"
expect 0 "1 passed, 0 failed" -- run --semantics 'seed+ATTACH_TRACED<ATTACH_SELF' "$data/edits.scn"
expect 0 "6 steps, 0 expectations failed, model and impl agree" -- run "$data/edits.scn"
expect 0 "8  C ptrace PT_ATTACH C +-> EPERM +\\[ATTACH_TRACED" -- run --semantics 'seed+ATTACH_SELF>ATTACH_TRACED+ATTACH_TRACED=EPERM' "$data/edits.scn"
expect 0 "YES ATTACH_TRACED .*\(run-time edit: moved before ATTACH_SELF\)" -- explain --semantics 'seed+ATTACH_TRACED<ATTACH_SELF' "$data/edits.scn:8"
expect 0 "out +ATTACH_TRACED .*\(run-time edit: taken out\)" -- explain --semantics seed-ATTACH_TRACED "$data/edits.scn:7"
expect 2 "ATTACH_ANCESTOR_LOOP is not a test the kernel makes" -- run --semantics seed-ATTACH_ANCESTOR_LOOP "$data/edits.scn"
expect 2 "PFIND finds what the checks after it read" -- run --semantics 'seed+PFIND>SYSTEM' "$data/edits.scn"
expect 2 "not in one check list" -- diff seed 'seed+ATTACH_SELF<SETSID_PERM'
expect 2 "no errno .ENOENT." -- diff seed seed+ATTACH_TRACED=ENOENT
# verify --compare: both semantics, side by side (small bounds)
expect 1 "XSTAT_VALID +violated \(5 steps, N = 3\) +holds for N <= 2 \(bounded\) +repaired by B \(for N <= 2, bounded\)" -- verify --no-every-n --compare seed seed+resume_signal_range --procs 2 --search-procs 3 --depth 5 --budget 20
expect 2 "the semantics are A and B" -- verify --compare seed modern --semantics modern
# verify --json: the verdict kinds, the bound, a witness per operation, the search legs
if "$ptmodel" verify --no-every-n --procs 2 --search-procs 3 --depth 3 --json 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
p = {x["id"]: x for x in j["properties"]}
assert p["TRACER_LIVE"]["verdict"] == "holds" and p["TRACER_LIVE"]["bound"].startswith("N <= 2"), p["TRACER_LIVE"]
w = p["NO_FAULT"]["witnesses"]
assert {x["through"] for x in w} >= {"exit", "exit-begin"} and all(x["replays_on_model_and_impl"] for x in w), w
assert p["NO_TRACE_OF_EXITING"]["witness"]["procs"] == 3, p["NO_TRACE_OF_EXITING"]
assert {l["alphabet"] for l in j["search"]} == {"search", "complete"}, j["search"]
assert j["exit_status"] == 1
'; then echo "ok: verify --json has verdicts, bounds, witnesses through operations, the search"; else
  echo "FAIL: verify --json lacks what it should say"; fails=$((fails + 1)); fi
# modern's membership in the JSON: today's FreeBSD's deltas, not the proposed fix
if "$ptmodel" semantics --json | python3 -c 'import json,sys; d={x["name"]: x["modern"] for x in json.load(sys.stdin)["deltas"]}; sys.exit(0 if d["reap_not_to_self"] and not d["attach_ancestor_any"] else 1)'; then
  echo "ok: semantics --json marks modern's deltas"; else echo "FAIL: semantics --json modern membership"; fails=$((fails + 1)); fi
for args in "semantics --json"; do
  if "$ptmodel" $args 2>/dev/null | python3 -c 'import json,sys; json.load(sys.stdin)'; then
    echo "ok: ptmodel $args is JSON"
  else
    echo "FAIL: ptmodel $args is not JSON"; fails=$((fails + 1))
  fi
done
# Issue #18: aborts, lost output, parse-time checks of facts, files. Each is a
# message and exit 2, never an abort (exit 134).
h=${TEST_TMPDIR:-/tmp}/hardening.$$
mkdir -p "$h"
printf 'procs 3\ninit fork P -> 2\nexpect P xstat=SIGFOO\n' > "$h/xstat.scn"
expect 2 "xstat.scn:3: expected a signal" -- run "$h/xstat.scn"
printf 'procs 3\ninit fork P -> 2\nexpect P oppid=99999999999999999999\n' > "$h/big.scn"
expect 2 "big.scn:3: a pid .99999999999999999999. is out of range" -- run "$h/big.scn"
expect 2 "big.scn:3: a pid" -- explain "$h/big.scn"
printf 'procs 3\ninit fork P -> 2\n' > "$h/ok.scn"
expect 2 "line number 99999999999 is out of range" -- explain "$h/ok.scn:99999999999"
# pending= is a set: the same signals in another order match
printf 'procs 3\ninit fork P -> 2\ninit kill P SIGSTOP -> 0\ninit kill P SIGTERM -> 0\ninit kill P SIGHUP -> 0\nexpect P stopped pending=SIGTERM,SIGHUP\n' > "$h/pending.scn"
expect 0 "1 passed, 0 failed" -- run "$h/pending.scn"
printf 'procs 3\ninit fork P -> 2\nexpect P pending=SIGTERM,200\n' > "$h/pending_bad.scn"
expect 2 "pending_bad.scn:3: pending: a signal is 1..128" -- run "$h/pending_bad.scn"
# a leading zero is not octal: 010 is SIGBUS (10), not SIGFPE (8)
printf 'procs 3\ninit fork P -> 2\ninit kill P 010 -> 0\nP takesig -> 10\ninit wait P -> signaled SIGBUS\n' > "$h/decimal.scn"
expect 0 "1 passed, 0 failed" -- run "$h/decimal.scn"
# a byte order mark, CR-only line ends, a reserved word as a name, a FIFO
printf '\xef\xbb\xbfprocs 3\ninit fork P -> 2\n' > "$h/bom.scn"
expect 0 "1 passed, 0 failed" -- run "$h/bom.scn"
printf 'procs 3\rinit fork P -> 2\rexpect P running\r' > "$h/cr.scn"
expect 0 "1 passed, 0 failed" -- run "$h/cr.scn"
printf 'procs 3\ninit fork violates -> 2\n' > "$h/violates.scn"
expect 2 "violates.scn:2: .violates. cannot name a process" -- run "$h/violates.scn"
mkfifo "$h/fifo.scn"
expect 2 "fifo.scn: not a regular file" -- run "$h/fifo.scn"
# a report that cannot be written: exit 2 and a message, not 0
"$ptmodel" checks > /dev/full 2> "$h/full.err"; rc=$?
if [[ $rc -eq 2 ]] && grep -q "cannot write the standard output" "$h/full.err"; then echo "ok: checks > /dev/full -> exit 2"; else
  echo "FAIL: checks > /dev/full -> exit $rc: $(cat "$h/full.err")"; fails=$((fails + 1)); fi
"$ptmodel" checks >&- 2> "$h/closed.err"; rc=$?
if [[ $rc -eq 2 ]]; then echo "ok: checks with stdout closed -> exit 2"; else echo "FAIL: checks with stdout closed -> exit $rc"; fails=$((fails + 1)); fi
# options: nan, inf and negative seeds are refused, not wrapped or taken as "no limit"
expect 2 "finite number" -- explore --procs 2 --max-memory nan
expect 2 "finite number" -- verify --budget inf
expect 2 "--seed" -- hunt --seed -1
# -o: checked before the run; a second run replaces the first's files and keeps others
touch "$h/a_file"
expect 2 "a_file: cannot make the output directory" -- verify --no-every-n --procs 2 --search-procs 2 --depth 1 -o "$h/a_file"
expect 2 "a_file/x: cannot make the output directory" -- explore --procs 2 -o "$h/a_file/x"
"$ptmodel" verify --no-every-n --procs 2 --search-procs 3 --depth 3 -o "$h/out" > /dev/null 2>&1
first=$(ls "$h/out" | tr '\n' ' ')
touch "$h/out/mine.txt"
"$ptmodel" verify --no-every-n --procs 2 --search-procs 2 --depth 1 -o "$h/out" > /dev/null 2>&1
second=$(ls "$h/out" | tr '\n' ' ')
if [[ "$first" == *ATTACH_STOPS.scn* && "$second" != *ATTACH_STOPS.scn* && "$second" == *NO_FAULT.scn* && "$second" == *mine.txt* ]] &&
   head -1 "$h/out/MANIFEST" | grep -q "ptmodel verify --procs 2 --search-procs 2"; then
  echo "ok: verify -o replaces an earlier run's files, keeps others, writes a MANIFEST"
else
  echo "FAIL: verify -o twice: first [$first], second [$second]"; fails=$((fails + 1))
fi
# hunt, oracle and diff -o: refused up front when DIR cannot be a directory;
# written as a whole, with a MANIFEST; a second run replaces the first's files
expect 2 "a_file: cannot make the output directory" -- hunt --sequences 2 -o "$h/a_file"
expect 2 "a_file/x: cannot make the output directory" -- oracle --procs 2 -o "$h/a_file/x"
expect 2 "a_file: cannot make the output directory" -- diff seed seed --procs 2 -o "$h/a_file"
expect 1 "hunt: 1 scenario written to .*/hunt/ \(with a MANIFEST\)" -- hunt --sequences 30 --seed 3 --property NO_FAULT -o "$h/hunt"
if head -1 "$h/hunt/MANIFEST" | grep -q "ptmodel hunt --sequences 30 --seed 3 --property NO_FAULT" &&
   [[ "$(ls "$h/hunt" | tr '\n' ' ')" == "MANIFEST NO_FAULT.scn " ]]; then echo "ok: hunt -o writes its findings and a MANIFEST"; else
  echo "FAIL: hunt -o: $(ls "$h/hunt" | tr '\n' ' ')"; fails=$((fails + 1)); fi
"$ptmodel" hunt --sequences 30 --seed 3 --property TRACER_LIVE -o "$h/hunt" > /dev/null 2>&1
if [[ "$(ls "$h/hunt" | tr '\n' ' ')" == "MANIFEST " ]]; then echo "ok: hunt -o again drops the earlier run's finding"; else
  echo "FAIL: hunt -o twice: $(ls "$h/hunt" | tr '\n' ' ')"; fails=$((fails + 1)); fi
"$ptmodel" oracle --procs 2 --max-depth 3 -o "$h/oracle" > /dev/null 2>&1
if head -1 "$h/oracle/MANIFEST" | grep -q "ptmodel oracle --procs 2 --max-depth 3 --format scenario" &&
   [[ $(($(wc -l < "$h/oracle/MANIFEST") - 1)) -eq $(ls "$h/oracle" | grep -vc MANIFEST) ]] &&
   ! ls -a "$h/oracle" | grep -q partial; then echo "ok: oracle -o: a MANIFEST naming every file, no partial directory"; else
  echo "FAIL: oracle -o: $(ls -a "$h/oracle" | head)"; fails=$((fails + 1)); fi
# --dot/--svg: into a missing directory is an error; a file is written whole
expect 2 "nodir/x.dot: cannot write the file" -- run "$h/ok.scn" --dot "$h/nodir/x.dot"
expect 0 "1 passed" -- run "$h/ok.scn" --dot "$h/x.dot"
if grep -q "^digraph" "$h/x.dot" && ! ls -a "$h" | grep -q "x.dot.ptmodel-partial"; then echo "ok: --dot writes the graph"; else
  echo "FAIL: --dot wrote no graph"; fails=$((fails + 1)); fi
# --json: a file name or text that is not UTF-8 still gives JSON (U+FFFD)
cp "$h/ok.scn" "$h/bad"$'\xff'".scn"
if "$ptmodel" run --json "$h/bad"$'\xff'".scn" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert "\ufffd" in j["files"][0]["file"], j["files"][0]["file"]
'; then echo "ok: run --json with a non-UTF-8 file name is JSON"; else echo "FAIL: run --json, non-UTF-8 name"; fails=$((fails + 1)); fi
# --max-states is exact: a bounded explore stores that many states, no more
expect 1 "states +10 \(PARTIAL: stopped by max-states\)" -- explore --procs 3 --max-states 10
# Out of memory (a ulimit): explore reports what it stored, marked partial.
# (Not under the sanitizers: ASan reserves more address space than the limit.)
if [[ -z "${PTMODEL_SANITIZED:-}" ]]; then
  out=$( (ulimit -v 500000; "$ptmodel" explore --procs 4 2>&1) ); rc=$?
  if [[ $rc -eq 1 ]] && grep -q "PARTIAL: stopped by out-of-memory" <<<"$out" && grep -q "VIOLATED" <<<"$out"; then
    echo "ok: explore under ulimit -v gives a partial report"; else
    echo "FAIL: explore under ulimit -v -> exit $rc: $(tail -3 <<<"$out")"; fails=$((fails + 1)); fi
  # (150 MB: the proofs run in worker processes, each with a fresh Z3, and
  # at 200 MB none of them runs out any more.)
  out=$( (ulimit -v 150000; "$ptmodel" verify --no-every-n --procs 3 --search-procs 3 --depth 4 2>&1) ); rc=$?
  if [[ $rc -eq 3 ]] && grep -q "a limit was reached" <<<"$out"; then echo "ok: verify out of memory -> exit 3"; else
    echo "FAIL: verify under ulimit -v -> exit $rc: $(tail -3 <<<"$out")"; fails=$((fails + 1)); fi
fi
# diff with Z3 giving up: the list is incomplete (exit 3), and a difference the
# search reached that Z3 could not list is shown, not called a bug. (Whether
# Z3 at 1 s still lists PT_STEP's kind at N = 2 depends on the machine's load;
# at N = 3 it gives up.)
expect 3 "could not list \(it gave up on PT_STEP at N = [23]\), [0-9]+ steps" -- diff seed seed+resume_signal_range --procs 3 --timeout 1 --max-states 20000
# audit: a proof Z3 gives up on leaves the verdict open: exit 3
expect 3 "Some verdicts are unknown \(Z3 gave up\): exit status 3" -- audit --procs 3 --depth 1 --complete-procs 2 --check ATTACH_SELF --timeout 1
# a wait expectation that fails names the status reported, not only the pid
printf 'spawn P uid=1001 gid=1001\nP fork C -> C\nP kill C SIGSTOP -> 0\nP wait C WUNTRACED -> exited 3\n' > "$h/wait.scn"
expect 1 "expected .exited 3., got .3 \(C\) stopped SIGSTOP." -- run "$h/wait.scn"
# The catalogue by subcommand: a bad option value is exit 2 with a message, and
# a report lost to a full device is exit 2, for every subcommand.
expect 2 "--procs 9: expected 2..5|not in range" -- oracle --procs 9
expect 2 "--procs 7: expected 2..6" -- diff seed seed --procs 7
expect 2 "--procs.*not in range|expected 2..6" -- audit --procs 7
expect 2 "--sequences" -- hunt --sequences 0
expect 2 "unknown check .NOPE." -- audit --check NOPE
expect 2 "unknown semantics" -- oracle --semantics nope
expect 2 "unknown semantics|unknown delta" -- diff seed nope
expect 2 "no-such.scn: cannot open" -- explain "$h/no-such.scn"
for cmd in "checks" "properties" "semantics" "run $h/ok.scn" "explain $h/ok.scn" "explore --procs 2 --max-depth 2" \
           "oracle --procs 2 --max-depth 2" "hunt --sequences 2 --property TRACER_LIVE" "diff seed seed --procs 2 --max-states 2000" \
           "audit --procs 2 --depth 1 --complete-procs 2 --check ATTACH_SELF" "verify --no-every-n --procs 2 --search-procs 2 --depth 1"; do
  "$ptmodel" $cmd > /dev/full 2> "$h/full.err"; rc=$?
  if [[ $rc -eq 2 ]] && grep -q "cannot write the standard output" "$h/full.err"; then echo "ok: $cmd > /dev/full -> exit 2"; else
    echo "FAIL: $cmd > /dev/full -> exit $rc: $(head -3 "$h/full.err")"; fails=$((fails + 1)); fi
done
fi  # basic
echo "$fails failed"
[[ $fails -eq 0 ]]
