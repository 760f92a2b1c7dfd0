#!/bin/sh
# check_install.sh SOURCE_DIR WORK_DIR
# Builds zmalloc as users do (release, no test seams), installs it, and builds a C
# program that includes only zmalloc.h against the installed copy twice: with
# pkg-config and with find_package(zmalloc). Both must run and agree with the library.
set -eu
source_dir=$(cd "$1" && pwd)
work=$2
rm -rf "$work"
mkdir -p "$work"
here=$source_dir/tests/install
run() { echo "+ $*"; "$@"; }

run cmake -S "$source_dir" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
run cmake --build "$work/build" >/dev/null
run cmake --install "$work/build" >/dev/null
library=$(find "$work/prefix" -name 'libzmalloc.a' | head -n 1)
run sh "$here/scan_library.sh" "$library" absent

export PKG_CONFIG_PATH="$(dirname "$library")/pkgconfig"
run cc -Wall -Wextra -o "$work/use_zmalloc_pkgconfig" "$here/use_zmalloc.c" \
    $(pkg-config --cflags --libs zmalloc)
run "$work/use_zmalloc_pkgconfig"

run cmake -S "$here/consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
run cmake --build "$work/consumer" >/dev/null
run "$work/consumer/use_zmalloc"
