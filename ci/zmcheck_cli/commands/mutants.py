"""mutants: each mutant of the catalogue against the detectors."""
import os
import sys
import time

from .. import cmake, mutants, paths, shell
from ..errors import UsageError
from ..registry import command
from .common import add_preset, prepare


def arguments(p):
    p.add_argument("--json", metavar="F", help="write the results as JSON to F")
    p.add_argument("--only", metavar="NAME", help="one mutant (default: ZM_MUTANT if set, else all)")
    p.add_argument("--seeds", type=int, default=5, help="seeds of each empty-corpus fuzz run and property that kills with seed 1 (default: 5)")
    p.add_argument("--runs", type=int, default=300000, help="-runs of each empty-corpus fuzz run (default: 300000)")
    p.add_argument("--fuzz-seconds", type=int, default=120,
                   help="time bound of each empty-corpus fuzz run, whichever of -runs and this comes first "
                        "(default: 120; --quick: 30)")
    p.add_argument("--quick", action="store_true",
                   help="one seed, stop at the first detector that kills each mutant, bounded time (the gate's)")
    p.add_argument("--external", metavar="NAME",
                   help="check one mutant the way ci/zmcheck external checks another team's zmalloc: zmcheck's "
                        "sources with that mutant compiled in and on, without the test seams")
    p.add_argument("--external-seconds", type=int, default=30,
                   help="with --external: fuzzing seconds per target (default: 30)")
    add_preset(p, "mutants", "the mutants build")


def check(args, catalogue):
    return select(catalogue, args.only or os.environ.get("ZM_MUTANT") or None, args.preset)


def select(catalogue, only, preset):
    """The mutants of the catalogue to run: all, or `only`; UsageError if it is not one."""
    names = [n for n, _ in catalogue]
    if not catalogue:
        raise UsageError(f"preset {preset} has no mutants compiled in (use --preset mutants)")
    if only and only not in names:
        raise UsageError(f"no mutant {only!r}; the catalogue: {', '.join(names)}")
    return [(n, d) for n, d in catalogue if not only or n == only]


def groups(preset, chosen, text):
    """[(preset, mutants)]: the usable-size layout's mutants run in <preset>-usable."""
    usable = mutants.usable_mutants(text)
    out = [(preset, [m for m in chosen if m[0] not in usable])]
    if any(m[0] in usable for m in chosen):
        out.append((preset + mutants.USABLE_SUFFIX, [m for m in chosen if m[0] in usable]))
    return [(p, ms) for p, ms in out if ms]


@command("mutants", "each mutant against the detectors: which killed it, after how many executions or cases",
         arguments)
def run_mutants(args):
    """In the mutants build, for each mutant (zmcheck-mutants), with ZM_MUTANT=<name>:
    the unit tests, each property (RC_PARAMS=seed=<s>), each fuzz target on its seed
    corpus, and each fuzz target from an empty corpus (-seed=<s> -runs=N, one process).
    The mutants of the usable-size layout run the same way in <preset>-usable.
    Seeds 2..K run only for the fuzz targets and properties that killed with seed 1: they
    measure how fast a detector kills, the medians of the JSON.
    Exit 1 if a mutant survives every detector, or is killed only by the unit tests
    (the project requires a fuzz target or a property to kill each).

    --external NAME: the same mutant in zmcheck's own sources checked as another team's
    would be (ci/zmcheck external, without the test seams), the mutant compiled in and
    on; exit 0 when that run finds it (exit 1 there), 1 when it does not."""
    if args.external:
        return run_external_mutant(args)
    if args.seeds <= 0 or args.runs <= 0 or args.fuzz_seconds <= 0:
        raise UsageError("--seeds, --runs and --fuzz-seconds must be positive")
    start = time.monotonic()
    prepare(args.preset)
    cmake.build(args.preset)
    text = mutants.catalogue_output(args.preset)
    chosen = check(args, mutants.parse_catalogue(text))
    seeds = 1 if args.quick else args.seeds
    runs = min(args.runs, 100000) if args.quick else args.runs
    workers = os.cpu_count() or 1
    verdicts, broken = [], {}
    for preset, group in groups(args.preset, chosen, text):
        if preset != args.preset:
            prepare(preset)
            cmake.build(preset)
        det = mutants.Detectors(preset, runs,
                                fuzz_seconds=min(args.fuzz_seconds, 30) if args.quick else args.fuzz_seconds,
                                property_timeout=180 if args.quick else 900)
        print(f"zmcheck mutants: {len(group)} mutant(s) x {len(det.names())} detectors in {preset}"
              f"{' (quick: until the first kill)' if args.quick else f', {seeds} seed(s)'}; fuzz runs -runs={runs}",
              flush=True)
        if args.quick:
            print("zmcheck mutants: a detector that kills is then run with no mutant on; "
                  "its kill counts only if it holds then", flush=True)
            clean = mutants.CleanRuns(det)
        else:
            print("zmcheck mutants: the detectors with no mutant on first", flush=True)
            clean = mutants.baseline(det, workers)
        verdicts += mutants.run_all(group, det, seeds, args.quick, workers, clean)
        broken.update({f"{d} ({preset})": m for d, m in clean.broken().items()})
    doc = mutants.summarize(verdicts, seeds, broken)
    doc.update({"preset": args.preset, "quick": args.quick, "runs": runs,
                "seconds": round(time.monotonic() - start, 1)})
    print("\n==== zmcheck mutants")
    print(mutants.table(doc))
    if args.json:
        mutants.write_json(doc, args.json)
        print(f"JSON: {args.json}")
    bad = doc["overall"]["survived"] + doc["overall"]["only_unit"]
    for name in bad:
        print(f"replay: ci/zmcheck mutants --only {name}   (one detector by hand: ZM_MUTANT={name} "
              f"build/{args.preset}/fuzz/<target> corpus/<target>)")
    print(f"{time.monotonic() - start:.0f} s in {paths.rel(paths.build_dir(args.preset))}")
    return 1 if bad else 0


def run_external_mutant(args):
    """One mutant, compiled into zmcheck's sources and switched on for good
    (ZM_MUTANT_FORCED), checked by ci/zmcheck external as another team's zmalloc: no
    test seams, so only what an external run can reach kills it."""
    prepare(args.preset)
    cmake.build(args.preset, ["zmcheck-mutants"])
    text = mutants.catalogue_output(args.preset)
    (name, description), = select(mutants.parse_catalogue(text), args.external, args.preset)
    layout = "usable" if name in mutants.usable_mutants(text) else "prefix"
    src = paths.root() / "src"
    sources = sorted(str(p) for p in src.glob("*.cpp"))
    cmd = ["external", *sources, "--include", str(src),
           "--define", 'ZM_BACKEND_HEADER="backend/libc.h"', "--define", f'ZM_LAYOUT_HEADER="layout_{layout}.h"',
           "--define", "ZM_MUTANTS=1", "--define", f'ZM_MUTANT_FORCED="{name}"',
           "--profile", f"zmcheck-{layout}", "--name", f"zmcheck-mutant-{name}", "--seconds", str(args.external_seconds)]
    print(f"zmcheck mutants --external {name}: {description}; zmcheck's sources ({layout} accounting) with it "
          f"compiled in, checked as another team's", flush=True)
    result = shell.run([sys.executable, str(paths.ROOT / "ci" / "zmcheck"), *cmd])
    report = paths.build_dir(f"external-zmcheck-mutant-{name}-report") / "report.md"
    if result.code == 1:
        print(f"zmcheck mutants --external {name}: KILLED by the external run; report: {paths.rel(report)}")
        return 0
    print(f"zmcheck mutants --external {name}: SURVIVED (ci/zmcheck external exited {result.code}); "
          f"report: {paths.rel(report)}")
    return 1
