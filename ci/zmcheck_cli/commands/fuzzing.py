"""fuzz and merge: time-boxed fuzzing with kept findings, and corpus merges."""
import datetime
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import accepted, cmake, corpus, distinct, kits, libfuzzer, paths, reports, sarif, targets
from ..errors import Failure, UsageError
from ..registry import command
from .common import add_preset, mutant_env, prepare


# Seconds a target's fuzz step may take beyond --seconds: libFuzzer winding down, then
# confirming, deduplicating and minimising its crashes. Crash files left when it is spent
# are kept unconfirmed, never dropped.
ALLOWANCE = 60


@dataclass
class TargetRun:
    name: str
    seconds: float = 0.0
    executions: int = 0
    exec_per_s: int = 0
    coverage: int = 0
    corpus: int = 0
    added: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    error: str = ""
    accepted: dict = field(default_factory=dict)  # what its processes saw that the profile accepts


def default_jobs():
    return os.cpu_count() or 1


def fuzz_targets(preset, only=None, seconds=60, jobs=None, seed=None, merge=True, findings_root=None):
    """Fuzzes the targets of a preset one after the other; returns [TargetRun]. Findings
    are kept in findings/ (or findings_root)."""
    jobs = jobs or default_jobs()
    m = cmake.manifest(preset)
    if not m.libfuzzer:
        raise UsageError(f"preset {preset} is not a libFuzzer build: use --preset fuzz or mutants")
    mutant = mutant_env(m)
    # Only what fuzzing needs: the targets and the trace tool (not the tests).
    cmake.build(preset, [t.name for t in m.select(only)] + ["zmcheck-trace"])
    m = cmake.manifest(preset)
    if merge and mutant:
        print(f"zmcheck: mutant {mutant} is on: new inputs stay in the working corpora, not merged into corpus/")
        merge = False
    work = paths.fuzz_work_dir(preset)
    work.mkdir(parents=True, exist_ok=True)
    runs = []
    record = {"preset": preset, "mutant": mutant, "seconds": seconds, "jobs": jobs, "seed": seed,
              "started": datetime.datetime.now().isoformat(timespec="seconds"), "targets": {}}
    print(f"zmcheck fuzz: {len(m.select(only))} target(s), {seconds} s each, {jobs} job(s)"
          + (f", seed {seed}" if seed is not None else "") + (f", mutant {mutant}" if mutant else ""), flush=True)
    for t in m.select(only):
        tdir = work / t.name
        working, artifacts, log = tdir / "corpus", tdir / "artifacts", tdir / "fuzz.log"
        corpus.copy_tree_files(Path(t.corpus), working)
        if artifacts.exists():
            shutil.rmtree(artifacts)
        run = TargetRun(t.name)
        started = time.monotonic()
        seen = tdir / "accepted.txt"  # every process of the run appends what it accepted (harness/accepted.h)
        seen.unlink(missing_ok=True)
        p = libfuzzer.fuzz(t, working, artifacts, log, seconds, jobs, seed, env={"ZMCHECK_ACCEPTED": str(seen)})
        run.accepted = accepted.of_file(seen)
        run.executions, run.exec_per_s, run.coverage, run.corpus = p.executions, p.exec_per_s, p.coverage, p.corpus
        run.findings = kits.process(t, artifacts, preset, mutant, root=findings_root,
                                    deadline=started + seconds + ALLOWANCE, log=log)
        run.seconds = time.monotonic() - started
        if run.executions == 0 and not run.findings:
            run.error = f"libFuzzer did not run (exit code {getattr(p, 'code', '?')}); see {paths.rel(log)}"
        elif merge:
            run.added = merge_inputs(t, [working], tdir / "staging")
        runs.append(run)
        record["targets"][t.name] = {"working_corpus": str(working), "log": str(log), "executions": run.executions,
                                     "findings": [str(f.folder) for f in run.findings],
                                     "merged": [str(a) for a in run.added]}
        # Per target, so that `merge` finds every target's last working corpus.
        (tdir / "run.json").write_text(json.dumps(dict(record, targets={t.name: record["targets"][t.name]}),
                                                  indent=2) + "\n", encoding="utf-8")
    (work / "last-run.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print_summary(runs, preset, mutant, seconds, jobs, seed, merge)
    return runs


def print_summary(runs, preset, mutant, seconds, jobs, seed, merged):
    print(f"\n==== zmcheck fuzz: summary (preset {preset}, mutant {mutant or 'none'}, {seconds} s per target, "
          f"{jobs} job(s), seed {seed if seed is not None else 'random'})")
    print(f"{'target':<24} {'execs':>10} {'exec/s':>7} {'cov':>6} {'corpus':>7} {'merged':>7} {'findings':>9}")
    for r in runs:
        confirmed = sum(f.confirmed for f in r.findings)
        print(f"{r.name:<24} {r.executions:>10} {r.exec_per_s:>7} {r.coverage:>6} {r.corpus:>7} "
              f"{len(r.added) if merged else '-':>7} {confirmed:>9}" + (f"  ERROR: {r.error}" if r.error else ""))
    for r in runs:
        for f in r.findings:
            if f.flaky or f.unconfirmed:
                what = "crashed while fuzzing, not when re-run" if f.flaky else "left unconfirmed: the budget ran out"
                print(f"  {'FLAKY' if f.flaky else 'UNCONF'}  {r.name}: {what}: {paths.rel(f.folder)}   "
                      f"reproduce: {f.reproduce}")
            else:
                state = "known" if f.known else "NEW"
                print(f"  {state:<5}  {r.name}: {f.signature.key}  ({len(f.inputs)} input(s))")
                print(f"         kit: {paths.rel(f.folder)}/   reproduce: {f.reproduce}")
                if not f.known:  # the story, for logs whose machine is gone (CI)
                    print(f"         headline: {f.signature.headline}")
                    trace = (f.folder / "trace.txt")
                    lines = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
                    for line in lines[:15]:
                        print(f"         | {line}")
                    if len(lines) > 15:
                        print(f"         | ... {len(lines) - 15} more lines in {paths.rel(trace)}")
    if not any(r.findings for r in runs):
        print("no findings")


def crashing_inputs(target, files):
    """The files among `files` on which the target crashes (run in batches, bisected by
    the "Running:" / "replay:" line libFuzzer or the replay main prints before each)."""
    bad, rest = [], [str(f) for f in files]
    while rest:
        result = libfuzzer.replay(target.binary, rest, timeout=600)
        if not libfuzzer.crashed(result):
            break
        started = re.findall(r"^(?:Running: |replay: )(\S+)", result.output, re.M)
        culprit = started[-1] if started else rest[0]
        if culprit not in rest:
            culprit = rest[0]
        bad.append(culprit)
        rest = rest[rest.index(culprit) + 1:]
    return bad


def merge_inputs(target, inputs, staging: Path):
    """libFuzzer -merge=1 of `inputs` over the target's corpus into a staging folder; the
    new files that do not crash are added to corpus/<target>/ as fuzz-<sha1>."""
    corpus.copy_tree_files(Path(target.corpus), staging)
    initial = set(os.listdir(staging))
    result = libfuzzer.merge(target, staging, inputs)
    if result.code != 0:
        print(result.output[-2000:])
        raise Failure(f"merge of {target.name} failed")
    new = [staging / n for n in sorted(os.listdir(staging)) if n not in initial]
    added = corpus.add_new_inputs(Path(target.corpus), new, lambda files: crashing_inputs(target, files))
    shown = "".join(f"\n  + {paths.rel(a)}" for a in added[:5]) + (f"\n  + ... {len(added) - 5} more" if len(added) > 5 else "")
    print(f"zmcheck: {target.name}: {len(new)} input(s) add coverage, {len(added)} new file(s) in "
          f"{paths.rel(target.corpus)}/" + shown, flush=True)
    return added


def fuzz_arguments(p):
    p.add_argument("--target", help="one fuzz target (default: every target of the manifest)")
    p.add_argument("--seconds", type=int, default=60,
                   help=f"fuzzing time per target (default: 60); a target's whole step, its crashes confirmed and "
                        f"minimised, takes at most SECONDS + {ALLOWANCE}")
    p.add_argument("--jobs", type=int, default=None, help="libFuzzer -fork=J processes (default: all cores)")
    p.add_argument("--seed", type=int, default=None,
                   help="libFuzzer -seed, for a repeatable run (the mutations repeat; how far each -fork job "
                        "gets still depends on time)")
    p.add_argument("--no-merge", action="store_true", help="leave new inputs in the working corpora")
    add_baseline(p)
    p.add_argument("--report", help="where report.md, junit.xml, findings.sarif and findings.json go "
                                    "(default: build/<preset>-fuzz-report)")
    add_preset(p, "fuzz", "the libFuzzer preset (fuzz, or mutants with ZM_MUTANT=<name>)")


def add_baseline(p):
    p.add_argument("--baseline", metavar="FILE",
                   help="a previous run's findings.json: findings whose signature it holds are reported as known "
                        "and do not fail this run; new ones do")


def load_baseline(path):
    if not path:
        return frozenset()
    if not os.path.isfile(path):
        raise UsageError(f"--baseline {path}: no such file (a findings.json of an earlier run)")
    try:
        return distinct.baseline_keys(path)
    except (ValueError, KeyError, TypeError) as e:
        raise UsageError(f"--baseline {path}: not a findings.json ({e})") from None


def write_report(runs, preset, seconds, baseline, directory) -> list:
    """report.md, junit.xml, findings.sarif and findings.json of a fuzz run: one step per
    target. Returns the distinct findings."""
    steps = []
    for r in runs:
        s = reports.Step(f"fuzz {r.name}", replay=f"ci/zmcheck fuzz --preset {preset} --target {r.name} "
                                                   f"--seconds {seconds}", seconds=r.seconds)
        s.occurrences = distinct.from_kits(r.findings, s.name)
        new = [o for o in s.occurrences if o.key not in baseline]
        s.result = reports.FAIL if new or r.error else reports.PASS
        s.figures = f"{r.executions} execs, {r.exec_per_s} exec/s" + (f"; {r.error}" if r.error else "")
        s.details = distinct.step_details(s.occurrences) if s.occurrences else ""
        steps.append(s)
    reports.write(directory, f"zmcheck fuzz: {preset}", "zmcheck.fuzz", steps,
                  [f"{seconds} s per target, each step at most {seconds + ALLOWANCE} s"], baseline)
    print(f"report: {paths.rel(directory)}/report.md, findings.sarif, findings.json")
    return distinct.group([o for s in steps for o in s.occurrences], baseline)


@command("fuzz", "time-boxed fuzzing of each target, crashes confirmed, deduplicated and kept with a kit",
         fuzz_arguments)
def run_fuzz(args):
    """Fuzzes each target (or --target) for --seconds on all cores (libFuzzer -fork), in a
    working copy of its corpus. Each crash is re-run to confirm it (one that does not
    crash again is reported as flaky), deduplicated by its signature and kept with its
    kit in findings/<target>/<signature>/. Each target's step is bounded: SECONDS of
    fuzzing, then at most 60 s more to confirm and minimise; crash files left then
    are kept unconfirmed. New inputs that add coverage and do not crash are merged into
    corpus/<target>/ as fuzz-<sha1> (not while ZM_MUTANT is set). Writes report.md,
    junit.xml, findings.sarif and findings.json (--report). Exit 1 if any confirmed
    finding that --baseline does not know."""
    if args.seconds <= 0 or (args.jobs is not None and args.jobs <= 0):
        raise UsageError("--seconds and --jobs must be positive")
    baseline = load_baseline(args.baseline)
    prepare(args.preset)
    runs = fuzz_targets(args.preset, args.target, args.seconds, args.jobs, args.seed, merge=not args.no_merge)
    directory = Path(args.report) if args.report else paths.build_dir(f"{args.preset}-fuzz-report")
    groups = write_report(runs, args.preset, args.seconds, baseline, directory)
    known = [g for g in groups if g.known]
    if known:
        print(f"zmcheck fuzz: {len(known)} finding(s) known from {args.baseline}: " + "; ".join(g.key for g in known))
    if any(r.error for r in runs):
        return 1
    return 1 if any(not g.known and not g.flaky_only for g in groups) else 0


def merge_arguments(p):
    p.add_argument("--target", help="the fuzz target (default: every target of the last run)")
    p.add_argument("--from", dest="source", help="a folder of inputs (default: the last fuzz run's working corpora)")
    add_preset(p, "fuzz", "the libFuzzer preset whose binaries measure coverage")


@command("merge", "merge new inputs into corpus/<target>/ as fuzz-<sha1> (never deleting anything)",
         merge_arguments)
def run_merge(args):
    """Merges the inputs of a folder (--from DIR), or the working corpora of the last
    `ci/zmcheck fuzz` run, into corpus/<target>/: libFuzzer -merge=1 into a staging
    folder, then only the new files that do not crash are copied, as fuzz-<sha1>.
    Existing corpus files are never deleted or rewritten."""
    if os.environ.get("ZM_MUTANT"):
        raise UsageError("merge measures coverage with the real library: unset ZM_MUTANT")
    prepare(args.preset)
    m = cmake.ensure_binaries(args.preset)
    work = paths.fuzz_work_dir(args.preset)
    if args.source:
        source = Path(args.source)
        if not source.is_dir():
            raise UsageError(f"--from {args.source}: not a folder")
        name = targets.detect(source / "x", m.names(), args.target)
        jobs = [(m.target(name), source)]
    else:
        jobs = []
        for t in m.select(args.target):
            run = work / t.name / "run.json"
            if run.exists():
                record = json.loads(run.read_text(encoding="utf-8"))
                jobs.append((t, Path(record["targets"][t.name]["working_corpus"])))
        if not jobs:
            raise UsageError(f"no fuzz run of {args.target or 'any target'} in preset {args.preset} yet: "
                             "run ci/zmcheck fuzz, or pass --from DIR")
    total = 0
    for t, source in jobs:
        total += len(merge_inputs(t, [source], work / t.name / "staging"))
    print(f"zmcheck merge: {total} new file(s) in corpus/")
    return 0
