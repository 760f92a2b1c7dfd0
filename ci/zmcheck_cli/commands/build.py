"""list and build."""
import os

from .. import cmake, paths
from ..registry import command
from .common import add_preset, prepare


def list_arguments(p):
    add_preset(p, "default", "the preset whose manifest to read")


@command("list", "the fuzz targets (from CMake's fuzz-targets.json, never a second list)", list_arguments)
def run_list(args):
    """The fuzz targets, as CMake lists them in build/<preset>/fuzz-targets.json."""
    prepare(args.preset)
    m = cmake.manifest(args.preset)
    print(f"{'target':<24} {'dialect':<10} {'corpus files':>12}  binary")
    for t in m.targets:
        files = len(os.listdir(t.corpus)) if os.path.isdir(t.corpus) else 0
        built = "" if os.path.exists(t.binary) else "  (not built)"
        print(f"{t.name:<24} {t.dialect or '(text)':<10} {files:>12}  {paths.rel(t.binary)}{built}")
    return 0


def build_arguments(p):
    add_preset(p, "default")


@command("build", "configure and build a preset", build_arguments)
def run_build(args):
    """cmake --preset P && cmake --build --preset P (presets: CMakePresets.json)."""
    prepare(args.preset)
    cmake.build(args.preset)
    print(f"zmcheck: preset {args.preset} built in {paths.rel(paths.build_dir(args.preset))}")
    return 0
