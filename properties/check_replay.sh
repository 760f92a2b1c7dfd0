#!/bin/sh
# check_replay.sh THREADS_TEST
# A threaded property failure replays identically from its RC_PARAMS: with the
# racy_shared_counter mutant on, find a failure with a fixed seed, then replay the
# "reproduce=" parameters RapidCheck printed three times; the counterexample and the
# report must be the same each time. (Mutant builds only.)
set -eu
binary=$1
filter='--gtest_filter=Threads.ScheduledThreadProgramsAreExactAtEveryQuiescentPoint'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ZM_MUTANT=racy_shared_counter RC_PARAMS="seed=1" "$binary" "$filter" > "$work/first" 2>&1 || true
params=$(grep -o 'RC_PARAMS="reproduce=[^"]*"' "$work/first" | head -n 1 | sed 's/^RC_PARAMS="//; s/"$//')
if [ -z "$params" ]; then
  echo "FAIL: the mutant racy_shared_counter was not caught with RC_PARAMS=seed=1"
  exit 1
fi
for i in 1 2 3; do
  ZM_MUTANT=racy_shared_counter RC_PARAMS="$params" "$binary" "$filter" 2>&1 |
    sed -n '/Falsifiable/,/\[the case/p' > "$work/replay$i"
done
if [ ! -s "$work/replay1" ]; then
  echo "FAIL: replaying RC_PARAMS=\"$params\" did not fail"
  exit 1
fi
if ! cmp -s "$work/replay1" "$work/replay2" || ! cmp -s "$work/replay1" "$work/replay3"; then
  echo "FAIL: three replays of RC_PARAMS=\"$params\" differ:"
  diff "$work/replay1" "$work/replay2" || diff "$work/replay1" "$work/replay3" || true
  exit 1
fi
echo "ok: RC_PARAMS=\"$params\" replayed the same failure three times:"
cat "$work/replay1"
