#!/bin/sh
# expect_stop.sh ZMCHECK_TRACE MESSAGE
# An implementation the harness must not run: `zmcheck-trace --sut` must stop with exit 2
# ("nothing can be checked") and say MESSAGE (an extended regex), before any op is called.
set -u
out=$("$1" --sut 2>&1)
status=$?
printf '%s\n' "$out"
if [ $status -eq 2 ] && printf '%s\n' "$out" | grep -Eq "^zmcheck: nothing can be checked: .*($2)"; then
  echo "ok: nothing was called, and the run says why"
  exit 0
fi
echo "FAILED: expected exit 2 and 'nothing can be checked: ...$2' (exit $status)"
exit 1
