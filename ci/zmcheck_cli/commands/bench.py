"""bench: zmalloc against the raw backend, as ratios of median times; with --fuzz, the
fuzz targets' executions per second beside the empty target's."""
import re

from .. import cmake, fuzz_speed, kits, libfuzzer, paths, shell
from ..bisection import git as gitrepo
from ..errors import UsageError
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
    p.add_argument("--fuzz", action="store_true",
                   help="the fuzz targets' exec/s instead, beside an empty libFuzzer target with the same flags")
    p.add_argument("--preset", default="fuzz",
                   help="with --fuzz: the libFuzzer build (default: fuzz; or external-<name>-fuzz)")
    p.add_argument("--seconds", type=int, default=10, help="with --fuzz: seconds per run (default: 10)")
    p.add_argument("--runs", type=int, default=3, help="with --fuzz: runs per target, the median kept (default: 3)")
    p.add_argument("--target", action="append", help="with --fuzz: only this target (repeatable)")
    p.add_argument("--baseline", metavar="REV",
                   help="with --fuzz: also the same targets built at REV (a commit of this repository), side by side")
    p.add_argument("--perf", action="store_true",
                   help="with --fuzz: a perf profile of one run per target: where its time goes")


@command("bench", "allocator overhead against the raw backend (release preset), as ratios; "
                  "--fuzz: the fuzz targets' exec/s against libFuzzer's ceiling", arguments)
def run_bench(args):
    """Builds the release preset, runs bench/bench_mixed_workload, shows its output and
    the zmalloc/raw median ratios at 1 and 2 threads and the used_memory read cost.
    Exit 1 if a ratio is above the bound (1.10).

    With --fuzz: builds the libFuzzer preset, runs every fuzz target and the empty target
    (fuzz/empty_target.cpp) --runs times for --seconds from the target's committed corpus,
    and reports the medians and their share of the empty target's. --baseline REV builds
    REV in a scratch worktree (build/bench-baseline/) and interleaves its runs with ours.
    The report goes to build/<preset>-bench/fuzz-speed.md (.json beside it). Exit 1 if a
    run crashed (its crash file is kept and named)."""
    if args.fuzz:
        return run_fuzz_bench(args)
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


def baseline_manifest(rev: str, preset: str) -> tuple:
    """REV of this repository built in a scratch worktree with the preset's settings
    (an external build's implementation too): (label, its manifest)."""
    repo = paths.root()
    commit = gitrepo.commit_of(repo, rev, "--baseline")
    where = paths.root() / "build" / "bench-baseline" / commit[:12]
    if not (where / ".git").exists():
        where.parent.mkdir(parents=True, exist_ok=True)
        gitrepo.git(repo, "worktree", "add", "--detach", "--force", str(where), commit)
    variables = kits.configured_as(preset)
    base = preset if not variables and preset in cmake.presets() else "fuzz"
    # A cache keeps the variables an earlier configure set: each configure is fresh (from
    # the preset and the variables alone), and each preset measured has a folder of its
    # own, so that switching between them does not rebuild everything.
    build = where / "build" / preset
    log = paths.build_dir(preset + "-bench") / f"baseline-{commit[:12]}.build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    configure = ["cmake", "--preset", base, "--fresh", "-B", str(build),
                 *[f"-D{k}={v}" for k, v in variables.items()]]
    if shell.run(configure, cwd=where, output_file=log).code != 0:
        raise UsageError(f"--baseline {rev}: configuring its {base} preset failed; see {paths.rel(log)}")
    if shell.run(["cmake", "--build", str(build), "--target", "all_fuzz_targets"], cwd=where,
                 output_file=log, append=True).code != 0:
        raise UsageError(f"--baseline {rev}: building its fuzz targets failed; see {paths.rel(log)}")
    manifest = cmake.parse_manifest((build / "fuzz-targets.json").read_text(encoding="utf-8"), base)
    return f"{commit[:10]}", manifest


def binaries_of(manifest, label, names, corpora):
    out = []
    for t in manifest.targets:
        if names and t.name not in names:
            continue
        out.append(fuzz_speed.Binary(label, t.name, t.binary, libfuzzer.base_flags(t), corpora.get(t.name, t.corpus)))
    return out


def run_fuzz_bench(args) -> int:
    prepare(args.preset)
    cmake.build(args.preset, ["all_fuzz_targets"])
    ours = cmake.manifest(args.preset)
    if not ours.libfuzzer:
        raise UsageError(f"--preset {args.preset} is not a libFuzzer build (ZM_FUZZ=ON): try --preset fuzz")
    for name in args.target or []:
        ours.target(name)
    if args.runs < 1 or args.seconds < 1:
        raise UsageError("--runs and --seconds must be at least 1")
    corpora = {t.name: t.corpus for t in ours.targets}  # every build starts from the same bytes
    binaries = binaries_of(ours, "this build", args.target, corpora)
    ceiling = None
    if ours.ceiling:
        ceiling = fuzz_speed.Binary("this build", "fuzz_empty_ceiling", ours.ceiling, [], "")
        binaries.append(ceiling)
    label = None
    if args.baseline:
        label, theirs = baseline_manifest(args.baseline, args.preset)
        binaries += binaries_of(theirs, label, args.target or ours.names(), corpora)
    out = paths.build_dir(args.preset + "-bench")
    work = out / "runs"
    work.mkdir(parents=True, exist_ok=True)
    artifacts = out / "crashes"
    total = len(binaries) * args.runs * args.seconds
    print(f"\n==== zmcheck bench --fuzz: {len(binaries)} binaries x {args.runs} runs x {args.seconds} s "
          f"(about {total // 60} min {total % 60} s)", flush=True)
    fuzz_speed.measure(binaries, args.seconds, args.runs, work, artifacts, progress=lambda s: print(s, flush=True))
    lines = [f"# Fuzzing speed: {args.preset}", "",
             f"Median of {args.runs} runs of {args.seconds} s each from the committed corpus, "
             "interleaved; exec/s as libFuzzer's final stats give them.", ""]
    lines += fuzz_speed.table(binaries, ceiling, label)
    crashed = [c for b in binaries for c in b.crashed]
    if crashed:
        lines += ["", "Crash files written during the runs (kept; replay with `ci/zmcheck reproduce FILE`):"]
        lines += [f"- {paths.rel(c)}" for c in crashed]
    if args.perf:
        lines += ["", "## Where the time goes", "",
                  "`perf record` over one run of each target: the symbols with the most samples of their own.", ""]
        if shell.which("perf") is None:
            lines.append("perf is not installed (apt-get install linux-perf): no profile.")
        for b in binaries:
            if b.build != "this build" or b is ceiling:
                continue
            rows = fuzz_speed.perf_profile(b, args.seconds, work, artifacts)
            if rows:
                lines += [f"### {b.name}", "", "| samples | object | symbol |", "|---|---|---|"]
                lines += [f"| {p:.1f} % | {dso} | `{sym}` |" for p, dso, sym in rows]
                lines.append("")
    report = out / "fuzz-speed.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "fuzz-speed.json").write_text(fuzz_speed.as_json(binaries, args.seconds, args.runs) + "\n", encoding="utf-8")
    print("\n".join(lines[4:]))
    print(f"zmcheck bench --fuzz: report in {paths.rel(report)}")
    return 1 if crashed else 0
