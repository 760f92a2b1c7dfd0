#!/bin/bash -eu
# The OSS-Fuzz / ClusterFuzzLite build of zmcheck's fuzz targets. The contract: $CC,
# $CXX, $CFLAGS and $CXXFLAGS carry the compiler and the sanitizer flags, and
# $LIB_FUZZING_ENGINE the engine to link; every target goes into $OUT with its
# <target>_seed_corpus.zip, <target>.dict and <target>.options. The list of targets is
# CMake's (fuzz-targets.json), never a second one.
# In the repository (.clusterfuzzlite/build.sh) the root is the parent folder; in the
# OSS-Fuzz image the script is $SRC/build.sh and the sources are $SRC/zmcheck (Dockerfile).
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/../fuzz/CMakeLists.txt" ]; then root=$(cd "$here/.." && pwd); else root=$SRC/zmcheck; fi
build=${WORK:-/tmp}/zmcheck-build
mkdir -p "$OUT"

# Sanitizer flags come from $CFLAGS/$CXXFLAGS, so ZM_SANITIZE stays empty; no build type,
# so that the engine's optimisation flags are the ones used.
cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DZM_TESTING=ON -DZM_EXACT_BACKEND=ON -DZM_FUZZ=ON -DZM_SANITIZE= \
  -DZM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"

manifest="$build/fuzz-targets.json"
field() {  # field NAME: that field of every target, one per line
  python3 -c 'import json, sys
for t in json.load(open(sys.argv[1]))["targets"]: print(t[sys.argv[2]])' "$manifest" "$1"
}
targets=$(field name)
# shellcheck disable=SC2086
cmake --build "$build" --target $targets

for t in $targets; do
  binary=$(python3 -c 'import json, sys
print(next(x["binary"] for x in json.load(open(sys.argv[1]))["targets"] if x["name"] == sys.argv[2]))' "$manifest" "$t")
  cp "$binary" "$OUT/$t"
  cp "$root/fuzz/$t.dict" "$OUT/$t.dict"
  cp "$root/fuzz/$t.options" "$OUT/$t.options"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$root/corpus/$t" && python3 -m zipfile -c "$OUT/${t}_seed_corpus.zip" ./*)
  echo "build.sh: $OUT/$t, ${t}_seed_corpus.zip ($(ls "$root/corpus/$t" | wc -l) inputs), $t.dict, $t.options"
done
