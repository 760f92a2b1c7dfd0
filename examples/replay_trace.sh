#!/bin/sh
# replay_trace.sh TRACE_TOOL BINARY_DIR PREFIX EXPECT TRACE
# Encodes a trace with the example's zmcheck-trace and replays it (replay.sh) on the fuzz
# target of the trace's dialect, BINARY_DIR/PREFIX<fuzz_DIALECT_model>.
set -eu
tool=$1
dir=$2
prefix=$3
expect=$4
trace=$5
dialect=$(sed -n 's/^#.*dialect: *\([a-z]*\).*/\1/p' "$trace" | head -n 1)
input=$(mktemp)
trap 'rm -f "$input"' EXIT
"$tool" "$dialect" --encode "$trace" "$input"
echo "the trace $(basename "$trace"):"
sed 's/^/  /' "$trace"
sh "$(dirname "$0")/replay.sh" "$dir/${prefix}fuzz_${dialect}_model" "$expect" "$input"
