"""Mutants against the detectors. For each mutant of the mutants build (zmcheck-mutants),
with ZM_MUTANT=<name>: the unit tests, each property with a fixed seed, each fuzz target
on its seed corpus, and each fuzz target from an empty corpus with fixed seeds and a
bounded number of executions. What killed it, after how many executions or cases, and
the first failure message."""
import json
import os
import re
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from . import cmake, libfuzzer, paths, shell, signatures
from .errors import EnvError

FALSIFIABLE = re.compile(r"Falsifiable after (\d+) tests")


@dataclass
class Outcome:
    detector: str
    killed: bool
    executions: int = None       # fuzz runs: executions until the crash
    cases: int = None            # properties: cases until falsified
    message: str = ""
    seed: int = None
    seconds: float = 0.0


@dataclass
class Verdict:
    mutant: str
    description: str
    outcomes: list = field(default_factory=list)

    def killers(self):
        return sorted({o.detector for o in self.outcomes if o.killed})

    @property
    def survived(self) -> bool:
        return not self.killers()

    @property
    def only_unit(self) -> bool:
        k = self.killers()
        return bool(k) and all(d == "unit" for d in k)


# The build of the mutants of the usable-size layout: the mutants preset with usable accounting.
USABLE_SUFFIX = "-usable"


def catalogue_output(preset):
    tool = cmake.tool(preset, "zmcheck-mutants")
    result = shell.run([tool], capture=True, env={"ZM_MUTANT": ""})
    if result.code != 0:
        raise EnvError(f"zmcheck-mutants failed: {result.output.strip()}")
    return result.output


def catalogue(preset="mutants"):
    """[(name, description)] compiled into the build, as zmcheck-mutants prints them."""
    return parse_catalogue(catalogue_output(preset))


def parse_catalogue(text):
    rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    return [(r[0], r[1] if len(r) > 1 else "") for r in rows]


def usable_mutants(text) -> set:
    """The names of the mutants of the usable-size layout (the third column)."""
    return {r[0] for r in (line.split("\t") for line in text.splitlines() if line.strip())
            if len(r) > 2 and r[2].strip() == "usable"}


class Detectors:
    """The ways to run one detector with one mutant switched on."""

    def __init__(self, preset, runs, fuzz_seconds, property_timeout):
        self.preset = preset
        self.manifest = cmake.manifest(preset)
        self.runs = runs
        self.fuzz_seconds = fuzz_seconds
        self.property_timeout = property_timeout
        self.properties = cmake.ctest_tests(preset, "properties")
        libfuzzer.sanitizer_env()  # once, before the worker threads

    def names(self):
        """Detector names, cheapest and most telling first (unit tests last)."""
        ts = self.manifest.targets
        return ([f"corpus:{t.name}" for t in ts] + [f"fuzz:{t.name}" for t in ts]
                + [f"property:{n.split('/')[-1]}" for n, _ in self.properties] + ["unit"])

    def run(self, detector, mutant, seed):
        start = time.monotonic()
        kind, _, what = detector.partition(":")
        outcome = getattr(self, kind)(what, {"ZM_MUTANT": mutant}, seed)
        outcome.detector, outcome.seconds = detector, round(time.monotonic() - start, 1)
        return outcome

    def unit(self, _, env, seed):
        cmd = ["ctest", "--test-dir", str(paths.build_dir(self.preset)), "-L", "unit", "--output-on-failure"]
        r = shell.run(cmd, env=env, capture=True, timeout=900)
        return Outcome("unit", not r.ok, message=signatures.first_message(r.output) if not r.ok else "")

    def property(self, stem, env, seed):
        command = next(c for n, c in self.properties if n.split("/")[-1] == stem)
        env = dict(env, RC_PARAMS=f"seed={seed}")
        r = shell.run(command, env=env, capture=True, timeout=self.property_timeout)
        m = FALSIFIABLE.search(r.output)
        message = signatures.first_message(r.output) if not r.ok else ""
        if r.timed_out:
            message = f"timed out after {self.property_timeout} s"
        return Outcome("property", r.code != 0 and not r.timed_out, cases=int(m.group(1)) if m else None,
                       message=message, seed=seed)

    def corpus(self, name, env, seed):
        t = self.manifest.target(name)
        files = sorted(os.path.join(t.corpus, f) for f in os.listdir(t.corpus)) if os.path.isdir(t.corpus) else []
        r = libfuzzer.replay(t.binary, files, env)
        crashed = libfuzzer.crashed(r)
        ran = len(re.findall(r"^(?:Running: |replay: )", r.output, re.M))
        return Outcome("corpus", crashed, executions=ran if crashed else len(files),
                       message=signatures.first_message(r.output) if crashed else "")

    def fuzz(self, name, env, seed):
        t = self.manifest.target(name)
        with tempfile.TemporaryDirectory(prefix=f"zmcheck-mutant-{name}-") as d:
            empty = os.path.join(d, "corpus")
            os.mkdir(empty)
            cmd = [t.binary, *libfuzzer.base_flags(t), f"-seed={seed}", f"-runs={self.runs}",
                   f"-max_total_time={self.fuzz_seconds}", "-print_final_stats=1",
                   f"-artifact_prefix={d}/", empty]
            r = shell.run(cmd, env=libfuzzer.sanitizer_env(env), capture=True, timeout=self.fuzz_seconds + 120)
        crashed = libfuzzer.crashed(r)
        return Outcome("fuzz", crashed, executions=libfuzzer.executions_of(r.output), seed=seed,
                       message=signatures.first_message(r.output) if crashed else "")


def summarize(verdicts, seeds, broken=None):
    """The JSON document: per mutant, per detector; and the overall medians."""
    doc = {"seeds": seeds, "mutants": {}, "overall": {}}
    mutant_medians, mutant_cases = [], []
    for v in verdicts:
        detectors = {}
        for o in v.outcomes:
            d = detectors.setdefault(o.detector, {"killed": False, "runs": []})
            d["runs"].append({k: x for k, x in asdict(o).items() if x is not None and k != "detector"})
            d["killed"] = d["killed"] or o.killed
            if o.killed and not d.get("message"):
                d["message"] = o.message
        for name, d in detectors.items():
            kills = [r for r in d["runs"] if r["killed"]]
            if name.startswith("fuzz:"):
                d["kills"] = f"{len(kills)}/{len(d['runs'])}"
                execs = [r["executions"] for r in kills if r.get("executions") is not None]
                d["median_executions"] = statistics.median(execs) if execs else None
            if name.startswith("corpus:") and kills:
                d["executions"] = kills[0].get("executions")
            if name.startswith("property:"):
                cases = [r["cases"] for r in kills if r.get("cases") is not None]
                d["cases"] = statistics.median(cases) if cases else None
        fuzz_medians = [d["median_executions"] for n, d in detectors.items()
                        if n.startswith("fuzz:") and d.get("median_executions") is not None]
        cases = [d["cases"] for n, d in detectors.items() if n.startswith("property:") and d.get("cases") is not None]
        best = min(fuzz_medians) if fuzz_medians else None
        if best is not None:
            mutant_medians.append(best)
        if cases:
            mutant_cases.append(min(cases))
        doc["mutants"][v.mutant] = {
            "description": v.description, "killed_by": v.killers(), "survived": v.survived,
            "only_unit": v.only_unit, "median_executions": best, "cases": min(cases) if cases else None,
            "first_message": next((o.message for o in v.outcomes if o.killed and o.message), ""),
            "detectors": detectors}
    doc["overall"] = {
        "mutants": len(verdicts),
        "killed": sum(not v.survived for v in verdicts),
        "survived": [v.mutant for v in verdicts if v.survived],
        "only_unit": [v.mutant for v in verdicts if v.only_unit],
        "median_executions": statistics.median(mutant_medians) if mutant_medians else None,
        "max_executions": max(mutant_medians) if mutant_medians else None,
        "fuzz_killed": len(mutant_medians),  # the mutants the medians are over: killed by a fuzz run
        "median_cases": statistics.median(mutant_cases) if mutant_cases else None,
    }
    doc["overall"]["broken_detectors"] = dict(broken or {})
    return doc


def executions_to_kill(overall) -> str:
    """"executions to the kill by fuzzing over N mutants: median M, maximum X"."""
    n = overall.get("fuzz_killed", 0)
    if not n:
        return "no mutant killed by a fuzz run"
    return (f"executions to the kill by fuzzing over {n} mutant{'s' if n != 1 else ''}: "
            f"median {overall['median_executions']:.0f}, maximum {overall['max_executions']:.0f}")


def table(doc) -> str:
    lines = [f"{'mutant':<24} {'verdict':<9} {'execs':>10} {'cases':>6}  killed by / first message"]
    for name, m in doc["mutants"].items():
        verdict = "SURVIVED" if m["survived"] else "FLAGGED" if m["only_unit"] else "killed"
        first = m["detectors"].get(m["killed_by"][0], {}) if m["killed_by"] else {}
        shown = m["median_executions"] if m["median_executions"] is not None else first.get("executions")
        execs = "-" if shown is None else f"{shown:.0f}"
        cases = "-" if m["cases"] is None else f"{m['cases']:.0f}"
        killers = ", ".join(m["killed_by"]) or "nothing"
        lines.append(f"{name:<24} {verdict:<9} {execs:>10} {cases:>6}  {killers}")
        if m["first_message"]:
            lines.append(f"{'':<53}{m['first_message'][:100]}")
    o = doc["overall"]
    lines.append(f"{o['killed']}/{o['mutants']} killed; {executions_to_kill(o)}, median cases {o['median_cases']}")
    if o["survived"]:
        lines.append("SURVIVED (no detector killed them): " + ", ".join(o["survived"]))
    for d, message in o.get("broken_detectors", {}).items():
        lines.append(f"NOT COUNTED: {d} fails with no mutant on: {message[:90]}")
    if o["only_unit"]:
        lines.append("FLAGGED (killed only by unit tests; each must be killed by a fuzz target or a property): "
                     + ", ".join(o["only_unit"]))
    return "\n".join(lines)


class CleanRuns:
    """Each detector run once with no mutant on, when first asked and then remembered: one
    that fails then (a broken test, a real bug) proves nothing about mutants, and its kills
    do not count. Safe to ask from several worker threads."""

    def __init__(self, det):
        self.det = det
        self.lock = threading.Lock()
        self.locks = {}      # detector -> the lock of its one clean run
        self.outcomes = {}   # detector -> Outcome with no mutant on

    def fails(self, detector) -> bool:
        with self.lock:
            lock = self.locks.setdefault(detector, threading.Lock())
        with lock:
            if detector not in self.outcomes:
                o = self.det.run(detector, "", 1)
                self.outcomes[detector] = o
                if o.killed:
                    print(f"zmcheck mutants: {detector} fails with no mutant on "
                          f"({o.message or 'see its output'}); its kills do not count", flush=True)
            return self.outcomes[detector].killed

    def broken(self) -> dict:
        return {d: o.message for d, o in self.outcomes.items() if o.killed}


def baseline(det: Detectors, workers: int) -> CleanRuns:
    """Every detector with no mutant on, before any mutant."""
    clean = CleanRuns(det)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(clean.fails, det.names()))
    return clean


def run_all(mutants, det: Detectors, seeds: int, quick: bool, workers: int, clean: CleanRuns = None,
            names=None):
    """Every mutant against every detector (or, quick, until the first that kills it).
    With `clean`, a detector that fails with no mutant on is left out: in the full run
    each is checked first (`baseline`); in the quick run only one that kills, when it
    does, so that detectors which never kill are not run an extra time. `names`: the
    detectors to run (default: all of det's)."""
    verdicts = {name: Verdict(name, desc) for name, desc in mutants}
    names = list(names or det.names())
    if clean and not quick:
        names = [d for d in names if not clean.fails(d)]

    # Quick: one seed, the cheapest detectors first (a corpus replay takes a second, a
    # property some, an empty-corpus fuzz run its whole budget when it misses), stopping
    # at the first kill that is not the unit tests'.
    cheapest_first = sorted(names, key=lambda d: ["corpus", "property", "fuzz", "unit"].index(d.split(":")[0]))

    def chain(name):
        for d in cheapest_first:
            o = det.run(d, name, 1)
            if o.killed and clean and clean.fails(d):
                print(f"  {name:<24} {d:<30} fails with no mutant on too: not counted", flush=True)
                continue
            verdicts[name].outcomes.append(o)
            print(f"  {name:<24} {d:<30} {'KILLED' if o.killed else 'survived'} ({o.seconds} s)", flush=True)
            if o.killed and d != "unit":
                break

    def one(task):
        name, d, seed = task
        o = det.run(d, name, seed)
        print(f"  {name:<24} {d:<30} seed {seed}: {'KILLED' if o.killed else 'survived'} ({o.seconds} s)",
              flush=True)
        return name, o

    with ThreadPoolExecutor(max_workers=workers) as pool:
        if quick:
            list(pool.map(chain, list(verdicts)))
        else:
            # Seed 1 of every detector first; the other seeds only where seed 1 killed,
            # to measure how fast it kills: a detector that cannot reach the mutant is
            # not run four more times to the end of its budget.
            first = [(name, d, 1) for name in verdicts for d in names]
            again = []
            for name, o in pool.map(one, first):
                verdicts[name].outcomes.append(o)
                if o.killed and o.detector.startswith(("fuzz:", "property:")):
                    again += [(name, o.detector, s) for s in range(2, seeds + 1)]
            for name, o in pool.map(one, again):
                verdicts[name].outcomes.append(o)
    return list(verdicts.values())


def write_json(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
