#!/bin/sh
# scan_library.sh LIBRARY absent|present
# Looks in a built zmalloc library for the mutant catalogue's names and the test seams'
# symbols. A release library must have none (absent); a ZM_MUTANTS library must have
# every mutant name (present), which shows the scan can see them.
set -eu
library=$1
expect=$2
catalogue=$(dirname "$0")/../../src/mutant_catalogue.h
names=$(sed -n 's/^ *X(\([a-z_]*\),.*/\1/p' "$catalogue")
[ -n "$names" ] || { echo "no mutant names found in $catalogue"; exit 2; }
text=$(strings -a "$library"; nm -A "$library" 2>/dev/null || true)
found=""
missing=""
for name in $names; do
  if printf '%s\n' "$text" | grep -qw "$name"; then found="$found $name"; else missing="$missing $name"; fi
done
seams=$(printf '%s\n' "$text" | grep -oE 'zm_(test|fault|mutant)_[a-z_]+' | sort -u | tr '\n' ' ')
case $expect in
  absent)
    if [ -n "$found$seams" ]; then
      echo "FAIL: $library holds test-only code: mutants [$found ] seams [$seams]"
      exit 1
    fi
    echo "ok: $library holds no mutant name and no test seam";;
  present)
    if [ -n "$missing" ]; then
      echo "FAIL: $library lacks mutants [$missing ]"
      exit 1
    fi
    echo "ok: $library holds all $(echo $names | wc -w) mutant names";;
  *) echo "usage: $0 LIBRARY absent|present"; exit 2;;
esac
