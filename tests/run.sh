#!/bin/sh
# Run every test: the unit tests, the same under AddressSanitizer and
# UBSan, and the integration suites. Print a total as the last line:
#   N passed, N failed
# Usage: sh tests/run.sh BUILD_DIR [unit]
# With "unit" only the plain unit tests of BUILD_DIR run, each through
# the command $ND_RUN when set (tests/arch.sh: qemu-user and its options).
set -u
build=${1:-build}
only=${2:-}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Count cmocka's summary lines of one run.
count_cmocka() {
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
}

run_unit() {
	for t in "$1"/*_test; do
		[ -x "$t" ] || continue
		echo "== $t"
		if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		    ${ND_RUN:-} "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
		cat "$log"
		count_cmocka
		# A crash or a sanitizer report is a failure cmocka did not count.
		if [ "$rc" -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$log"; then
			echo "$t: exited with status $rc"
			failed=$((failed + 1))
		fi
	done
}

run_unit "$build/tests"
if [ "$only" = unit ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
run_unit "$build/asan/tests"

# Each fuzz target, briefly, from its seeds: no crash, leak or sanitizer
# report. `make fuzz FUZZ_TIME=600` runs them for real.
for f in "$build"/fuzz/*_fuzz; do
	[ -x "$f" ] || continue
	name=$(basename "$f" _fuzz)
	corpus="$build/fuzz/corpus-$name"
	mkdir -p "$corpus"
	echo "== $f (${FUZZ_CHECK_TIME:-10}s)"
	if "$f" -max_total_time="${FUZZ_CHECK_TIME:-10}" -max_len=65536 \
	    -artifact_prefix="$build/fuzz/" "$corpus" \
	    "tests/fuzz/seeds/$name" >"$log" 2>&1; then
		tail -n 1 "$log"
		passed=$((passed + 1))
	else
		tail -n 40 "$log"
		echo "$f: failed"
		failed=$((failed + 1))
	fi
done

for s in tests/integration/test_*.py; do
	[ -f "$s" ] || continue
	echo "== $s"
	python3 "$s" "$build" >"$log" 2>&1
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$s: no summary line"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + $(echo "$line" | sed 's/ passed.*//')))
	failed=$((failed + $(echo "$line" | sed 's/.*passed, \([0-9]*\) failed.*/\1/')))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
