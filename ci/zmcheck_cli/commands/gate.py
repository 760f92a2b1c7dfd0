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

PRESETS = ["default", "asan", "tsan", "fuzz", "mutants", "release"]
# Fuzzing seconds per target. Measured on 2 cores with the presets built: tests, corpora,
# TSan properties and the quick mutants take about 5 minutes, fuzzing 4 targets x (45 s +
# confirmation) about 3.5: the gate stays within 15 minutes, with room for incremental
# builds. (Building all six presets from scratch takes longer than the rest together.)
DEFAULT_BUDGET = 45


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
    """Builds every preset (default, asan, tsan, fuzz, mutants, release); runs the unit
    tests, the properties with a fixed seed and a random one (printed, to replay), every
    corpus in the default and fuzz builds; fuzzes each target for --budget seconds; runs
    the TSan properties and `mutants --quick`. Writes report.md (a verdict table) and
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
    for p in PRESETS:
        g.step(f"build {p}", f"cmake --preset {p} && cmake --build --preset {p}",
               lambda p=p: (cmake.build(p) or True, f"build/{p}"), needs=["dependencies"])
    g.step("unit tests (default)", "ctest --preset default -L unit", ctest_step("default", "unit"),
           needs=["build default"])
    g.step("properties seed=1 (default)", "RC_PARAMS=seed=1 ctest --preset default -L properties",
           ctest_step("default", "properties", {"RC_PARAMS": "seed=1"}, "properties-fixed"), needs=["build default"])
    g.step(f"properties seed={seed} (default)", f"RC_PARAMS=seed={seed} ctest --preset default -L properties",
           ctest_step("default", "properties", {"RC_PARAMS": f"seed={seed}"}, "properties-random"),
           needs=["build default"])
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
