"""gate: the release proof. Every step must run and hold."""
import argparse
import json
import os
import random
import time
from pathlib import Path

from .. import cmake, deps, mutants, paths
from ..errors import ZmcheckError
from ..registry import command
from . import mutants as mutants_command
from . import prove as prove_command
from .fuzzing import ALLOWANCE, add_baseline, load_baseline
from .steps import Steps, ctest_step, fuzz_step

# Each preset, and what the gate builds of it: what its steps run (None: everything).
# The fuzz preset's and the tsan preset's unit tests and properties, or the default
# preset's examples (ci/zmcheck test runs those), would be built only to be left unused,
# and building is the larger part of a gate from a clean clone.
PRESETS = {
    "default": ["all_unit_tests", "all_properties", "all_fuzz_targets", "zmcheck-prove"],
    "asan": ["all_unit_tests", "all_properties"],
    "tsan": ["all_properties"],
    "fuzz": ["all_fuzz_targets"],
    "mutants": None,
    "release": None,
}
# Fuzzing seconds per target: on 2 cores the steps after the builds then take about 7 minutes.
DEFAULT_BUDGET = 30


def quick_mutants_args(json_path):
    """The arguments of `mutants --quick --json JSON_PATH`, read by the mutants command's own
    parser: every option it has, with its default."""
    p = argparse.ArgumentParser(add_help=False)
    mutants_command.arguments(p)
    return p.parse_args(["--quick", "--json", json_path])


def mutants_step(report_dir):
    def fn():
        path = os.path.join(report_dir, "mutants.json")
        ns = quick_mutants_args(path)
        saved = os.environ.pop("ZM_MUTANT", None)
        try:
            code = mutants_command.run_mutants(ns)
        finally:
            if saved is not None:
                os.environ["ZM_MUTANT"] = saved
        doc = json.load(open(path, encoding="utf-8"))
        o = doc["overall"]
        firsts = {}
        for m in doc["mutants"].values():
            if m["killed_by"]:
                kind = m["killed_by"][0].split(":")[0]
                firsts[kind] = firsts.get(kind, 0) + 1
        figures = (f"{o['killed']}/{o['mutants']} killed (" + ", ".join(f"{k} {n}" for k, n in sorted(firsts.items()))
                   + f"); survived: {', '.join(o['survived']) or 'none'}; "
                   f"only by unit tests: {', '.join(o['only_unit']) or 'none'}; "
                   + mutants.executions_to_kill(o))
        if o.get("broken_detectors"):
            figures += f"; not counted (fail with no mutant): {', '.join(o['broken_detectors'])}"
        return code == 0, figures
    return fn


def arguments(p):
    p.add_argument("--budget", type=int, default=DEFAULT_BUDGET,
                   help=f"fuzzing seconds per target (default: {DEFAULT_BUDGET}); each target's step, its crashes "
                        f"confirmed and minimised, takes at most BUDGET + {ALLOWANCE}")
    add_baseline(p)
    p.add_argument("--report", default=None, help="where to write report.md and junit.xml (default: build/gate-report)")
    p.add_argument("--mutant", metavar="NAME",
                   help="the gate's proof that it can fail: its tests, corpora and fuzzing run in the mutants "
                        "build with ZM_MUTANT=NAME (a name of ci/zmcheck mutants); expect exit 1")


@command("gate", "the release proof: every preset, tests with fixed and random seeds, corpora, fuzzing, "
         "TSan, mutants; report.md + junit.xml", arguments)
def run_gate(args):
    """Builds every preset (default, asan, tsan, fuzz, mutants, release: of the first four
    what the gate runs); proves the default build within the bounds of `ci/zmcheck prove`
    (every program of up to 3 ops, every 2-thread schedule of 2 ops each); runs the unit tests and the properties with a fixed seed in
    the default build, and again under ASan+UBSan with a random seed (printed, to replay);
    every corpus in the default and fuzz builds; fuzzes each target for --budget seconds;
    runs the TSan properties and `mutants --quick`. Writes report.md (a verdict table) and
    junit.xml (a testcase per step) into --report. Exit 0 only if every step ran and held.

    --mutant NAME runs the same steps in the mutants build with that mutant switched on
    (the build steps only for that preset, no mutants step): a failing gate, to see what
    its report says when the library is wrong."""
    start = time.monotonic()
    baseline = load_baseline(args.baseline)
    report_dir = args.report or str(paths.root() / "build" / "gate-report")
    seed = random.SystemRandom().randrange(1, 2**31)
    notes = [f"random RapidCheck seed: {seed} (replay: RC_PARAMS=seed={seed})",
             f"fuzz budget: {args.budget} s per target, each fuzz step at most {args.budget + ALLOWANCE} s"]
    if args.baseline:
        notes.append(f"baseline: {args.baseline} ({len(baseline)} known finding(s) do not fail the gate)")
    if args.mutant:
        os.environ["ZM_MUTANT"] = args.mutant
        notes.append(f"ZM_MUTANT={args.mutant}: every step runs the mutants build with this mutant switched on")
    elif os.environ.pop("ZM_MUTANT", ""):
        notes.append("ZM_MUTANT was set: the gate runs the library as built, without it (--mutant runs one)")
    at = (lambda preset: "mutants") if args.mutant else (lambda preset: preset)
    env = f"ZM_MUTANT={args.mutant} " if args.mutant else ""
    print(f"zmcheck gate: random RapidCheck seed {seed}; report in {report_dir}", flush=True)
    g = Steps(report_dir, "zmcheck release gate" + (f" (mutant {args.mutant})" if args.mutant else ""),
              "zmcheck.gate", notes, "gate", baseline)
    g.step("dependencies", "ci/zmcheck build", lambda: (deps.ensure() or True, "all packages installed"))
    for p, targets in ({"mutants": None} if args.mutant else PRESETS).items():
        only = "".join(f" --target {t}" for t in targets or [])
        g.step(f"build {p}", f"cmake --preset {p} && cmake --build --preset {p}{only}",
               lambda p=p, targets=targets: (cmake.build(p, targets) or True,
                                             f"build/{p}" + (f": {', '.join(targets)}" if targets else "")),
               needs=["dependencies"])
    if args.mutant and g.steps[-1].held:
        mutants_command.select(mutants.catalogue("mutants"), args.mutant, "mutants")

    def ctest(name, preset, label, env_vars=None, log=None):
        if any(s.name == name for s in g.steps):
            return  # the same step twice, when every preset is the mutants build
        assignments = "".join(f"{k}={v} " for k, v in (env_vars or {}).items())
        g.step(name, f"{env}{assignments}ctest --preset {preset} -L '{label}'",
               ctest_step(preset, label, env_vars, log), needs=[f"build {preset}"])

    g.step(f"prove ({at('default')})", f"{env}ci/zmcheck prove --preset {at('default')}",
           prove_command.prove_step(at("default"), Path(report_dir)), needs=[f"build {at('default')}"])
    ctest(f"unit tests ({at('default')})", at("default"), "unit")
    ctest(f"properties seed=1 ({at('default')})", at("default"), "properties", {"RC_PARAMS": "seed=1"},
          "properties-fixed")
    ctest(f"unit tests, properties seed={seed} ({at('asan')})", at("asan"), "unit|properties",
          {"RC_PARAMS": f"seed={seed}"}, "asan-random")
    ctest(f"corpus ({at('default')})", at("default"), "corpus")
    ctest(f"corpus ({at('fuzz')})", at("fuzz"), "corpus", log="corpus-fuzz")
    names = []
    try:
        names = cmake.manifest(at("fuzz"), build_if_missing=False).names()
    except ZmcheckError as e:
        def no_manifest(e=e):
            raise e
        g.step("fuzz", "ci/zmcheck fuzz", no_manifest, needs=[f"build {at('fuzz')}"])
    for t in names:
        g.step(f"fuzz {t} ({args.budget} s)",
               f"{env}ci/zmcheck fuzz --preset {at('fuzz')} --target {t} --seconds {args.budget}",
               fuzz_step(t, args.budget, at("fuzz")), needs=[f"build {at('fuzz')}"])
    if not args.mutant:
        ctest("properties (tsan)", "tsan", "properties", {"RC_PARAMS": "seed=1"}, "properties-tsan")
        g.step("mutants --quick", "ci/zmcheck mutants --quick", mutants_step(report_dir), needs=["build mutants"])
    return 0 if g.summary(start) else 1

