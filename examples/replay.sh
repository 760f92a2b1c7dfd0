#!/bin/sh
# replay.sh BINARY EXPECT INPUT...
# Replays inputs on a fuzz target built over an example implementation. EXPECT "pass":
# every input must run clean. Otherwise EXPECT names the invariants the replay must break
# (an extended regex, "I1 exactness|I5 teardown"): the run must fail with such a zmcheck
# report, which is shown; with ZMCHECK_EXPECT_WHY set, its why line must match that regex.
set -u
binary=$1
expect=$2
shift 2
out=$(ZMCHECK_TRACE=0 "$binary" "$@" 2>&1)
status=$?
if [ "$expect" = pass ]; then
  [ $status -eq 0 ] && { echo "ok: $(basename "$binary") ran $* clean"; exit 0; }
  printf '%s\n' "$out"
  echo "FAILED: $(basename "$binary") should have run every input clean (exit $status)"
  exit 1
fi
printf '%s\n' "$out"
if [ $status -ne 0 ] && printf '%s\n' "$out" | grep -Eq "^==== zmcheck: ($expect) broken at op"; then
  # ZMCHECK_EXPECT_WHY: what the report's why line must say, too (an extended regex)
  if [ -n "${ZMCHECK_EXPECT_WHY:-}" ] && ! printf '%s\n' "$out" | grep -Eq "^why: +.*(${ZMCHECK_EXPECT_WHY})"; then
    echo "FAILED: the report does not explain itself: no why line matching '${ZMCHECK_EXPECT_WHY}'"
    exit 1
  fi
  echo "ok: the replay found the bug: $expect broken, with the case as run above"
  exit 0
fi
echo "FAILED: expected the replay to break $expect (exit $status)"
exit 1
