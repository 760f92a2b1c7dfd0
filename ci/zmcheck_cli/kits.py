"""Findings: each confirmed crash, deduplicated by its signature, kept with its kit in
findings/<target>/<signature-slug>/:

  input          the crashing input as the fuzzer found it
  input.min      the minimised input, kept only if it shows the same signature as input
                 (otherwise input.min is input, and finding.json says minimisation
                 changed the crash)
  report.txt     the symbolized report of the confirming run
  trace.txt      input.min as a trace (zmcheck-trace), or an escaped dump: the program that
                 ran, which means the same ops in every build (bisect replays it)
  trace-run.txt  input.min run with ZMCHECK_TRACE=1: every op and its result
  reproduce.txt  the one-line command that replays it
  finding.json   signature, target, preset, mutant, duplicates, the system under test
  duplicates/    other inputs with the same signature (a few)

A crash file that does not crash again is kept as findings/<target>/flaky-<sha1>/ with
its input, its trace, the report of the run that crashed while fuzzing (when libFuzzer's
log has it), and its replay command; one that the time budget left unconfirmed is kept as
unconfirmed-<sha1>/ the same way. Nothing is dropped."""
import datetime
import json
import shlex
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import libfuzzer, paths, signatures, traces
from .corpus import sha1

MAX_DUPLICATES = 5      # duplicates kept beside a finding
MINIMIZE_SECONDS = 30   # at most, per finding (less when the budget is nearly spent)


@dataclass
class Finding:
    target: str
    signature: signatures.Signature = None
    folder: Path = None
    inputs: list = field(default_factory=list)
    flaky: bool = False
    unconfirmed: bool = False  # the time budget ran out before it was re-run
    known: bool = False        # the folder existed before this run

    @property
    def reproduce(self) -> str:
        return (self.folder / "reproduce.txt").read_text(encoding="utf-8").strip() if self.folder else ""

    @property
    def confirmed(self) -> bool:
        return not self.flaky and not self.unconfirmed


def reproduce_command(target: str, file: Path, preset: str, mutant: str) -> str:
    cmd = f"ci/zmcheck reproduce {shlex.quote(paths.rel(file))} --target {target}"
    if preset != "fuzz":
        cmd += f" --preset {preset}"
    return (f"ZM_MUTANT={shlex.quote(mutant)} " if mutant else "") + cmd


def confirm(target, file: Path, env=None, tries=2, timeout=None):
    """Re-runs a crash file: (crashed, output of the crashing or last run)."""
    result = None
    for _ in range(tries):
        result = libfuzzer.replay(target.binary, [file], env, max_len=libfuzzer.max_len(target),
                                  **({"timeout": timeout} if timeout else {}))
        if libfuzzer.crashed(result):
            return True, result.output
    return False, result.output if result else ""


def sut_of(preset: str) -> dict:
    """What a build checks, for a kit that must be replayable without its build dir
    (ci/zmcheck bisect): the cache variables of an external build, {} for zmcheck's own."""
    cache = paths.build_dir(preset) / "CMakeCache.txt"
    if not cache.exists():
        return {}
    wanted = ("ZM_SUT_SOURCES", "ZM_SUT_INCLUDE_DIRS", "ZM_SUT_DEFINITIONS", "ZM_PROFILE")
    values = {}
    for line in cache.read_text(encoding="utf-8", errors="replace").splitlines():
        name = line.split(":", 1)[0]
        if name in wanted and "=" in line:
            values[name] = line.split("=", 1)[1]
    if not values.get("ZM_SUT_SOURCES"):
        return {}
    return {"sources": values["ZM_SUT_SOURCES"].split(";"),
            "include_dirs": [d for d in values.get("ZM_SUT_INCLUDE_DIRS", "").split(";") if d],
            "definitions": [d for d in values.get("ZM_SUT_DEFINITIONS", "").split(";") if d],
            "profile": values.get("ZM_PROFILE", "")}


def configured_as(preset: str) -> dict:
    """The cache variables an external build was configured with ({} for zmcheck's own)."""
    sut = sut_of(preset)
    if not sut:
        return {}
    return {"ZM_SUT_SOURCES": ";".join(sut["sources"]), "ZM_SUT_INCLUDE_DIRS": ";".join(sut["include_dirs"]),
            "ZM_SUT_DEFINITIONS": ";".join(sut["definitions"]), "ZM_PROFILE": sut["profile"]}


def fuzzing_report(log: Path, file: Path, lines: int = 150) -> str:
    """What the fuzzing log shows before the crash file was written (libFuzzer names it
    as it writes it): the report of a crash that did not crash again."""
    if not log or not Path(log).exists():
        return ""
    text = Path(log).read_text(encoding="utf-8", errors="replace").splitlines()
    at = next((i for i, line in enumerate(text) if file.name in line), None)
    if at is None:
        return ""
    return "\n".join(text[max(0, at - lines):at + 1]) + "\n"


def keep_unjudged(target, f: Path, preset, mutant, root: Path, kind: str, note: str, report: str):
    """A crash file kept as <kind>-<sha1>/ (flaky, unconfirmed): input, report, replay."""
    folder = root / target.name / f"{kind}-{sha1(f)[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(f, folder / "input")
    (folder / "report.txt").write_text(report or f"(no report: {note})\n", encoding="utf-8")
    write_trace(preset, target, folder / "input", folder)
    (folder / "reproduce.txt").write_text(reproduce_command(target.name, folder / "input", preset, mutant) + "\n")
    (folder / "finding.json").write_text(json.dumps({
        "target": target.name, kind: True, "preset": preset, "mutant": mutant, "found_as": f.name,
        "note": note, "sut": sut_of(preset)}, indent=2) + "\n")
    sig = signatures.parse(report) if report else None
    return Finding(target.name, sig, folder, [f], flaky=kind == "flaky", unconfirmed=kind == "unconfirmed")


def process(target, artifact_dir: Path, preset: str, mutant: str, env=None, root: Path = None,
            deadline: float = None, log: Path = None) -> list:
    """Confirms, deduplicates and keeps the crashes of one fuzzing run, by `deadline`
    (time.monotonic(); None: no bound). Crash files left when it passes are kept
    unconfirmed."""
    root = root or paths.findings_dir()
    files = libfuzzer.artifacts(artifact_dir)
    if not files:
        return []
    print(f"zmcheck: {target.name}: {len(files)} crash file(s); re-running to confirm"
          + (f" (by {max(0, deadline - time.monotonic()):.0f} s from now)" if deadline else ""), flush=True)
    findings, kept = [], {}

    def left():
        return None if deadline is None else deadline - time.monotonic()

    for f in files:
        remaining = left()
        if remaining is not None and remaining < 3:
            findings.append(keep_unjudged(target, f, preset, mutant, root, "unconfirmed",
                                          "the fuzz step's time budget ran out before it was re-run",
                                          fuzzing_report(log, f)))
            continue
        crashed, output = confirm(target, f, env, timeout=max(5, int(remaining)) if remaining else None)
        if not crashed:
            findings.append(keep_unjudged(target, f, preset, mutant, root, "flaky",
                                          "crashed while fuzzing, did not crash when re-run twice",
                                          fuzzing_report(log, f)))
            continue
        sig = signatures.parse(output) or signatures.Signature("crash", "no report (exit code only)")
        if sig.key in kept:
            add_duplicate(kept[sig.key], f)
            continue
        kept[sig.key] = keep(target, f, output, sig, preset, mutant, env, root, left)
        findings.append(kept[sig.key])
    return findings


def add_duplicate(finding: Finding, f: Path):
    info_path = finding.folder / "finding.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["duplicates"] = info.get("duplicates", 0) + 1
    dup_dir = finding.folder / "duplicates"
    if len(list(dup_dir.glob("*")) if dup_dir.exists() else []) < MAX_DUPLICATES:
        dup_dir.mkdir(exist_ok=True)
        shutil.copyfile(f, dup_dir / f.name)
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    finding.inputs.append(f)


def keep(target, first: Path, output: str, sig, preset, mutant, env, root: Path, left) -> Finding:
    """One finding: its folder and kit (made once; later runs add duplicates)."""
    # Findings made with a mutant on are kept apart from the library's own.
    folder = root / target.name / ((f"mutant-{mutant}-" if mutant else "") + sig.slug)
    info_path = folder / "finding.json"
    known = info_path.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if known:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        info["seen"] = info.get("seen", 1) + 1
        info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        finding = Finding(target.name, sig, folder, [], known=True)
        add_duplicate(finding, first)
        return finding
    shutil.copyfile(first, folder / "input")
    (folder / "report.txt").write_text(output, encoding="utf-8")
    minimized = make_kit(target, folder, sig, preset, env, left)
    info = {"target": target.name, "signature": sig.key, "kind": sig.kind, "what": sig.what,
            "frames": sig.frames, "headline": sig.headline, "preset": preset, "mutant": mutant,
            "found_as": first.name, "first_seen": datetime.datetime.now().isoformat(timespec="seconds"),
            "seen": 1, "duplicates": 0, "minimized": minimized, "sut": sut_of(preset)}
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (folder / "reproduce.txt").write_text(
        reproduce_command(target.name, folder / "input.min", preset, mutant) + "\n", encoding="utf-8")
    return Finding(target.name, sig, folder, [first])


def write_trace(preset: str, target, input_file: Path, folder: Path) -> None:
    """The kit's trace.txt: the input as the ops it ran."""
    try:
        text = traces.trace_of(preset, target, input_file)
    except Exception as e:  # the kit is still useful without its trace
        text = f"# no trace: {e}\n"
    (folder / "trace.txt").write_text(text, encoding="utf-8")


def make_kit(target, folder: Path, sig, preset: str, env, left) -> str:
    """input.min (checked: it shows the signature of input, or it is input), its trace and
    its traced run. Returns what minimisation did, for finding.json."""
    minimized = folder / "input.min"
    remaining = left()
    seconds = MINIMIZE_SECONDS if remaining is None else int(min(MINIMIZE_SECONDS, (remaining - 5) / 2))
    outcome = "kept"
    if seconds < 2:
        outcome = "not minimised: the time budget was spent"
    else:
        libfuzzer.minimize(target, folder / "input", minimized, env, seconds=seconds)
        if not minimized.exists():
            outcome = "not minimised: libFuzzer's minimisation did not write an input"
        else:
            crashed, output = confirm(target, minimized, env, tries=1)
            other = signatures.parse(output) if crashed else None
            if other is None or other.key != sig.key:
                outcome = ("not minimised: the minimised input showed "
                           + (f"another crash ({other.key})" if other else "no crash") + "; input.min is the input")
                (folder / "input.min.other").write_bytes(minimized.read_bytes())
    if outcome != "kept":
        print(f"zmcheck: {paths.rel(folder)}: {outcome}", flush=True)
        shutil.copyfile(folder / "input", minimized)
    write_trace(preset, target, minimized, folder)
    if target.ops:
        run = libfuzzer.replay(target.binary, [minimized], dict(env or {}, ZMCHECK_TRACE="1"),
                               max_len=libfuzzer.max_len(target))
        (folder / "trace-run.txt").write_text(run.output, encoding="utf-8")
    return outcome

