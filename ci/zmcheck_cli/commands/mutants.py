"""mutants: each mutant of the catalogue against the detectors."""
import os
import time

from .. import cmake, mutants, paths
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


@command("mutants", "each mutant against the detectors: which killed it, after how many executions or cases",
         arguments)
def run_mutants(args):
    """In the mutants build, for each mutant (zmcheck-mutants), with ZM_MUTANT=<name>:
    the unit tests, each property (RC_PARAMS=seed=<s>), each fuzz target on its seed
    corpus, and each fuzz target from an empty corpus (-seed=<s> -runs=N, one process).
    Seeds 2..K run only for the fuzz targets and properties that killed with seed 1: they
    measure how fast a detector kills, the medians of the JSON.
    Exit 1 if a mutant survives every detector, or is killed only by the unit tests
    (the project requires a fuzz target or a property to kill each)."""
    if args.seeds <= 0 or args.runs <= 0 or args.fuzz_seconds <= 0:
        raise UsageError("--seeds, --runs and --fuzz-seconds must be positive")
    start = time.monotonic()
    prepare(args.preset)
    cmake.build(args.preset)
    chosen = check(args, mutants.catalogue(args.preset))
    seeds = 1 if args.quick else args.seeds
    runs = min(args.runs, 100000) if args.quick else args.runs
    det = mutants.Detectors(args.preset, runs, fuzz_seconds=min(args.fuzz_seconds, 30) if args.quick else args.fuzz_seconds,
                            property_timeout=180 if args.quick else 900)
    print(f"zmcheck mutants: {len(chosen)} mutant(s) x {len(det.names())} detectors"
          f"{' (quick: until the first kill)' if args.quick else f', {seeds} seed(s)'}; fuzz runs -runs={runs}",
          flush=True)
    workers = os.cpu_count() or 1
    print("zmcheck mutants: the detectors with no mutant on first", flush=True)
    broken = mutants.baseline(det, workers)
    verdicts = mutants.run_all(chosen, det, seeds, args.quick, workers, broken)
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
