#!/bin/sh
# same_program.sh DEFAULT_TRACE_TOOL EXAMPLE_TRACE_TOOL CORPUS_ROOT
# One op table for every build: every corpus file of the op-language targets decodes to
# the same ops with zmcheck's own zmcheck-trace and with one built over an example that
# lacks functions. The example's trace may only add "# skipped: <why>" after an op.
set -u
ours=$1
theirs=$2
root=$3
status=0
files=0
skipped=0
for dir in "$root"/fuzz_*_model; do
  target=$(basename "$dir")
  for file in "$dir"/*; do
    [ -f "$file" ] || continue
    files=$((files + 1))
    a=$("$ours" "$target" "$file") || { echo "FAILED: $ours could not read $file"; exit 1; }
    b=$("$theirs" "$target" "$file") || { echo "FAILED: $theirs could not read $file"; exit 1; }
    n=$(printf '%s\n' "$b" | grep -c '  # skipped: ')
    skipped=$((skipped + n))
    if [ "$a" != "$(printf '%s\n' "$b" | sed 's/  # skipped: .*$//')" ]; then
      echo "FAILED: $target/$(basename "$file") decodes to other ops in $(basename "$theirs"):"
      printf '%s\n' "$a" > /tmp/same_program.$$.a
      printf '%s\n' "$b" > /tmp/same_program.$$.b
      diff /tmp/same_program.$$.a /tmp/same_program.$$.b | head -20
      rm -f /tmp/same_program.$$.a /tmp/same_program.$$.b
      status=1
    fi
  done
done
[ $files -gt 0 ] || { echo "FAILED: no corpus files under $root"; exit 1; }
[ $status -eq 0 ] && echo "ok: $files corpus files decode to the same ops in $(basename "$theirs"), $skipped of their ops marked skipped there"
exit $status
