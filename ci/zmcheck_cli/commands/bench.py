"""bench: zmalloc against the raw backend, as ratios of median times."""
import re

from .. import cmake, paths, shell
from ..registry import command
from .common import prepare

BOUND = 1.10
ROW = re.compile(r"^(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", re.M)
READ = re.compile(r"^zmalloc_used_memory\(\): ([\d.]+) ns", re.M)


def parse(output):
    """([(threads, zmalloc ns, raw ns, ratio)], used_memory read ns or None) from the
    table bench_mixed_workload prints at the end."""
    rows = [(int(a), float(b), float(c), float(d)) for a, b, c, d in ROW.findall(output)]
    read = READ.search(output)
    return rows, float(read.group(1)) if read else None


def arguments(p):
    p.add_argument("--bound", type=float, default=BOUND, help=f"the highest ratio allowed (default: {BOUND})")


@command("bench", "allocator overhead against the raw backend (release preset), as ratios", arguments)
def run_bench(args):
    """Builds the release preset, runs bench/bench_mixed_workload, shows its output and
    the zmalloc/raw median ratios at 1 and 2 threads and the used_memory read cost.
    Exit 1 if a ratio is above the bound (1.10)."""
    prepare("release")
    cmake.build("release")
    binary = paths.build_dir("release") / "bench" / "bench_mixed_workload"
    result = shell.run([binary, "--benchmark_color=false"], output_file=paths.build_dir("release") / "bench.log")
    rows, read = parse(result.output)
    print("\n==== zmcheck bench: zmalloc / raw backend, median time per operation")
    print(f"{'threads':<8} {'zmalloc ns':>11} {'raw ns':>9} {'ratio':>7}")
    for threads, z, r, ratio in rows:
        flag = "" if ratio <= args.bound else f"  ABOVE {args.bound}"
        print(f"{threads:<8} {z:>11.2f} {r:>9.2f} {ratio:>7.3f}{flag}")
    if read is not None:
        print(f"zmalloc_used_memory() read: {read:.2f} ns")
    if result.code != 0 or not rows:
        print(f"zmcheck bench: the benchmark failed or printed no ratio table; replay: {paths.rel(binary)}")
        return 1
    worst = max(r[3] for r in rows)
    print(f"zmcheck bench: worst ratio {worst:.3f} " + ("<= " if worst <= args.bound else "> ") + f"{args.bound}")
    return 0 if worst <= args.bound else 1
