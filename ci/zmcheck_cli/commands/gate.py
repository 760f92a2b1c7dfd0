"""gate: the release proof. Every step must run and hold."""
import argparse
import os
import random
import time
import traceback

from .. import cmake, deps, paths, reports
from ..errors import EnvError, ZmcheckError
from ..registry import command
from . import fuzzing, mutants as mutants_command
from .test import run_ctest

PRESETS = ["default", "asan", "tsan", "fuzz", "mutants", "release"]
# Fuzzing seconds per target. Measured on 2 cores with the presets built: tests, corpora,
# TSan properties and the quick mutants take about 5 minutes, fuzzing 4 targets x (45 s +
# confirmation) about 3.5: the gate stays within 15 minutes, with room for incremental
# builds. (Building all six presets from scratch takes longer than the rest together.)
DEFAULT_BUDGET = 45


class Gate:
    def __init__(self, report_dir, notes):
        self.steps, self.report_dir, self.notes = [], report_dir, notes

    def write(self):
        return reports.write(self.report_dir, "zmcheck release gate", "zmcheck.gate", self.steps, self.notes)

    def step(self, name, replay, fn, needs=()):
        """Runs fn() -> (held, figures[, details]); a step whose needs failed, or that
        raises, did not run or failed: never a pass."""
        s = reports.Step(name, replay=replay)
        missing = [n for n in needs if not any(x.name == n and x.held for x in self.steps)]
        print(f"\n==== zmcheck gate: {name}", flush=True)
        start = time.monotonic()
        if missing:
            s.result, s.figures = reports.NOT_RUN, f"not run: {', '.join(missing)} did not hold"
        else:
            try:
                held, figures, *details = fn()
                s.result, s.figures = (reports.PASS if held else reports.FAIL), figures
                s.details = details[0] if details else ""
            except EnvError as e:
                s.result, s.figures = reports.NOT_RUN, f"environment: {e}"
            except ZmcheckError as e:
                s.result, s.figures = reports.FAIL, str(e)
            except Exception:
                s.result, s.figures, s.details = reports.NOT_RUN, "the driver crashed", traceback.format_exc()
                print(s.details)
        s.seconds = time.monotonic() - start
        self.steps.append(s)
        self.write()
        print(f"---- {name}: {s.result} {s.figures} ({s.seconds:.0f} s)", flush=True)
        return s.held


def ctest_step(preset, label, env=None, name=None):
    def fn():
        code, results, log = run_ctest(preset, label, env=env, log_name=f"gate-{name or label}")
        passed = sum(s == "pass" for _, s in results)
        failed = [n for n, s in results if s == "fail"]
        figures = f"{passed} passed, {len(failed)} failed" + (f": {', '.join(failed[:3])}" if failed else "")
        if not results:
            figures = f"no {label} tests ran"
        details = "failed: " + ", ".join(failed[:20]) + f"\nlog: {paths.rel(log)}" if failed or code else ""
        return code == 0 and bool(results), figures, details
    return fn


def fuzz_step(target, budget):
    def fn():
        runs = fuzzing.fuzz_targets("fuzz", target, budget, None, None, merge=False)
        r = runs[0]
        figures = f"{r.executions} execs, {r.exec_per_s} exec/s, cov {r.coverage}, corpus {r.corpus}"
        bad = [f for f in r.findings]
        if bad:
            figures += f"; {len(bad)} finding(s): " + "; ".join(
                (f"flaky {paths.rel(f.folder)}" if f.flaky else f"{f.signature.key} -> {paths.rel(f.folder)}")
                for f in bad)
        if r.error:
            figures += f"; {r.error}"
        return not bad and not r.error, figures
    return fn


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
    g = Gate(report_dir, notes)
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
    md, xml = g.write()
    ok = reports.verdict(g.steps)
    print(f"\n==== zmcheck gate: {'PASS' if ok else 'FAIL'} in {time.monotonic() - start:.0f} s")
    for s in g.steps:
        print(f"  {s.result:<8} {s.name:<40} {s.figures[:90]}")
        if not s.held and s.replay:
            print(f"           replay: {s.replay}")
    print(f"report: {paths.rel(md)}  junit: {paths.rel(xml)}")
    return 0 if ok else 1
