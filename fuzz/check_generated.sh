#!/bin/sh
# check_generated.sh TRACE_TOOL TARGET SOURCE_DIR
# The generated files of an op-language fuzz target match their sources: every
# fuzz/seeds/TARGET/<name>.trace encodes to corpus/TARGET/seed-<name>, the seeds reach
# every op of the target, and fuzz/TARGET.dict is what the tool prints.
# Regenerate:  zmcheck-trace TARGET --encode fuzz/seeds/TARGET/N.trace corpus/TARGET/seed-N
#              zmcheck-trace TARGET --dict > fuzz/TARGET.dict
set -eu
tool=$1
target=$2
root=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for trace in "$root"/fuzz/seeds/"$target"/*.trace; do
  name=$(basename "$trace" .trace)
  "$tool" "$target" --encode "$trace" "$work/$name" 2>/dev/null
  if ! cmp -s "$work/$name" "$root/corpus/$target/seed-$name"; then
    echo "corpus/$target/seed-$name is not the encoding of fuzz/seeds/$target/$name.trace"
    status=1
  fi
done
if ! "$tool" "$target" --ops "$root"/corpus/"$target"/seed-* > "$work/ops"; then
  grep 'NOT REACHED' "$work/ops"
  echo "the seeds of $target do not reach every op"
  status=1
fi
"$tool" "$target" --dict > "$work/dict"
if ! cmp -s "$work/dict" "$root/fuzz/$target.dict"; then
  echo "fuzz/$target.dict is not what '$tool $target --dict' prints"
  status=1
fi
[ $status -eq 0 ] && echo "ok: seeds, op coverage and dictionary of $target"
exit $status
