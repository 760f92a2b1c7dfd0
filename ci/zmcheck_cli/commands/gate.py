"""gate: the release proof. Every step must run and hold."""
import argparse
import os
import random
import time

from .. import cmake, deps, paths
from ..errors import ZmcheckError
from ..registry import command
from . import mutants as mutants_command
from .steps import Steps, ctest_step, fuzz_step

# Each preset, and what the gate builds of it: what its steps run (None: everything).
# The fuzz preset's and the tsan preset's unit tests and properties would be built only
# to be left unused, and building is the larger part of a gate from a clean clone.
PRESETS = {
    "default": None,
    "asan": ["all_unit_tests", "all_properties"],
    "tsan": ["all_properties"],
    "fuzz": ["all_fuzz_targets"],
    "mutants": None,
    "release": None,
}
# Fuzzing seconds per target: with it, a gate from a clean clone fits 15 minutes on 2 cores.
DEFAULT_BUDGET = 30


def mutants_step(report_dir):
    def fn():
        path = os.path.join(report_dir, "mutants.json")
        ns = argparse.Namespace(json=path, only=None, seeds=1, runs=100000, fuzz_seconds=30, quick=True,
                                preset="mutants")
        saved = os.environ.pop("ZM_MUTANT", None)
        try:
            code = mutants_command.run_mutants(ns)
        finally:
            if saved is not None:
                os.environ["ZM_MUTANT"] = saved
        import json

        doc = json.load(open(path, encoding="utf-8"))
        o = doc["overall"]
        firsts = {}
        for m in doc["mutants"].values():
            if m["killed_by"]:
                kind = m["killed_by"][0].split(":")[0]
                firsts[kind] = firsts.get(kind, 0) + 1
        figures = (f"{o['killed']}/{o['mutants']} killed (" + ", ".join(f"{k} {n}" for k, n in sorted(firsts.items()))
                   + f"); survived: {', '.join(o['survived']) or 'none'}; "
                   f"only by unit tests: {', '.join(o['only_unit']) or 'none'}")
        if o.get("broken_detectors"):
            figures += f"; not counted (fail with no mutant): {', '.join(o['broken_detectors'])}"
        return code == 0, figures
    return fn


def arguments(p):
    p.add_argument("--budget", type=int, default=DEFAULT_BUDGET,
                   help=f"fuzzing seconds per target (default: {DEFAULT_BUDGET}, so the gate fits 15 min on 2 cores)")
    p.add_argument("--report", default=None, help="where to write report.md and junit.xml (default: build/gate-report)")


@command("gate", "the release proof: every preset, tests with fixed and random seeds, corpora, fuzzing, "
         "TSan, mutants; report.md + junit.xml", arguments)
def run_gate(args):
    """Builds every preset (default, asan, tsan, fuzz, mutants, release: of asan, tsan and
    fuzz what the gate runs); runs the unit tests and the properties with a fixed seed in
    the default build, and again under ASan+UBSan with a random seed (printed, to replay);
    every corpus in the default and fuzz builds; fuzzes each target for --budget seconds;
    runs the TSan properties and `mutants --quick`. Writes report.md (a verdict table) and
    junit.xml (a testcase per step) into --report. Exit 0 only if every step ran and held."""
    start = time.monotonic()
    report_dir = args.report or str(paths.root() / "build" / "gate-report")
    seed = random.SystemRandom().randrange(1, 2**31)
    mutant = os.environ.get("ZM_MUTANT", "")
    notes = [f"random RapidCheck seed: {seed} (replay: RC_PARAMS=seed={seed})", f"fuzz budget: {args.budget} s per target"]
    if mutant:
        notes.append(f"ZM_MUTANT={mutant} was set: the gate runs the library as built, without it")
        os.environ.pop("ZM_MUTANT")
    print(f"zmcheck gate: random RapidCheck seed {seed}; report in {report_dir}", flush=True)
    g = Steps(report_dir, "zmcheck release gate", "zmcheck.gate", notes, "gate")
    g.step("dependencies", "ci/zmcheck build", lambda: (deps.ensure() or True, "all packages installed"))
    for p, targets in PRESETS.items():
        only = "".join(f" --target {t}" for t in targets or [])
        g.step(f"build {p}", f"cmake --preset {p} && cmake --build --preset {p}{only}",
               lambda p=p, targets=targets: (cmake.build(p, targets) or True,
                                             f"build/{p}" + (f": {', '.join(targets)}" if targets else "")),
               needs=["dependencies"])
    g.step("unit tests (default)", "ctest --preset default -L unit", ctest_step("default", "unit"),
           needs=["build default"])
    g.step("properties seed=1 (default)", "RC_PARAMS=seed=1 ctest --preset default -L properties",
           ctest_step("default", "properties", {"RC_PARAMS": "seed=1"}, "properties-fixed"), needs=["build default"])
    g.step(f"unit tests, properties seed={seed} (asan)", f"RC_PARAMS=seed={seed} ctest --preset asan -L 'unit|properties'",
           ctest_step("asan", "unit|properties", {"RC_PARAMS": f"seed={seed}"}, "asan-random"),
           needs=["build asan"])
    g.step("corpus (default)", "ctest --preset default -L corpus", ctest_step("default", "corpus"),
           needs=["build default"])
    g.step("corpus (fuzz)", "ctest --preset fuzz -L corpus", ctest_step("fuzz", "corpus", name="corpus-fuzz"),
           needs=["build fuzz"])
    names = []
    try:
        names = cmake.manifest("fuzz", build_if_missing=False).names()
    except ZmcheckError as e:
        def no_manifest(e=e):
            raise e
        g.step("fuzz", "ci/zmcheck fuzz", no_manifest, needs=["build fuzz"])
    for t in names:
        g.step(f"fuzz {t} ({args.budget} s)", f"ci/zmcheck fuzz --target {t} --seconds {args.budget}",
               fuzz_step(t, args.budget), needs=["build fuzz"])
    g.step("properties (tsan)", "RC_PARAMS=seed=1 ctest --preset tsan -L properties",
           ctest_step("tsan", "properties", {"RC_PARAMS": "seed=1"}, "properties-tsan"), needs=["build tsan"])
    g.step("mutants --quick", "ci/zmcheck mutants --quick", mutants_step(report_dir), needs=["build mutants"])
    return 0 if g.summary(start) else 1
