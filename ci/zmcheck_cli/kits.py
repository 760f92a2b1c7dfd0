"""Findings: each confirmed crash, deduplicated by its signature, kept with its kit in
findings/<target>/<signature-slug>/:

  input          the crashing input as the fuzzer found it
  input.min      the minimised input (libFuzzer -minimize_crash)
  report.txt     the symbolized report of the confirming run
  trace.txt      the minimised input as a trace (zmcheck-trace), or an escaped dump
  trace-run.txt  the minimised input run with ZMCHECK_TRACE=1: every op and its result
  reproduce.txt  the one-line command that replays it
  finding.json   signature, target, preset, mutant, duplicates
  duplicates/    other inputs with the same signature (a few)

A crash file that does not crash again is kept as findings/<target>/flaky-<sha1>/ and
reported as flaky, never hidden."""
import datetime
import json
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import libfuzzer, paths, signatures, traces
from .corpus import sha1

MAX_CONFIRMED = 40      # crash files re-run per target and run (the rest are counted)
MAX_DUPLICATES = 5      # duplicates kept beside a finding


@dataclass
class Finding:
    target: str
    signature: signatures.Signature = None
    folder: Path = None
    inputs: list = field(default_factory=list)
    flaky: bool = False
    known: bool = False     # the folder existed before this run

    @property
    def reproduce(self) -> str:
        return (self.folder / "reproduce.txt").read_text(encoding="utf-8").strip() if self.folder else ""


def reproduce_command(target: str, file: Path, preset: str, mutant: str) -> str:
    cmd = f"ci/zmcheck reproduce {shlex.quote(paths.rel(file))} --target {target}"
    if preset != "fuzz":
        cmd += f" --preset {preset}"
    return (f"ZM_MUTANT={shlex.quote(mutant)} " if mutant else "") + cmd


def confirm(target, file: Path, env=None, tries=2):
    """Re-runs a crash file: (crashed, output of the crashing or last run)."""
    result = None
    for _ in range(tries):
        result = libfuzzer.replay(target.binary, [file], env)
        if libfuzzer.crashed(result):
            return True, result.output
    return False, result.output if result else ""


def process(target, artifact_dir: Path, preset: str, mutant: str, env=None, root: Path = None) -> list:
    """Confirms, deduplicates and keeps the crashes of one fuzzing run."""
    root = root or paths.findings_dir()
    files = libfuzzer.artifacts(artifact_dir)
    if not files:
        return []
    print(f"zmcheck: {target.name}: {len(files)} crash file(s); re-running to confirm"
          + (f" (the first {MAX_CONFIRMED})" if len(files) > MAX_CONFIRMED else ""), flush=True)
    groups, flaky = {}, []
    for f in files[:MAX_CONFIRMED]:
        crashed, output = confirm(target, f, env)
        if not crashed:
            flaky.append(f)
            continue
        sig = signatures.parse(output) or signatures.Signature("crash", "no report (exit code only)")
        groups.setdefault(sig.key, []).append((f, output, sig))
    findings = []
    for key, items in groups.items():
        findings.append(keep(target, items, preset, mutant, env, root))
    for f in flaky:
        folder = root / target.name / f"flaky-{sha1(f)[:12]}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, folder / "input")
        (folder / "reproduce.txt").write_text(reproduce_command(target.name, folder / "input", preset, mutant) + "\n")
        (folder / "finding.json").write_text(json.dumps({
            "target": target.name, "flaky": True, "preset": preset, "mutant": mutant,
            "found_as": f.name, "note": "crashed while fuzzing, did not crash when re-run twice"}, indent=2) + "\n")
        findings.append(Finding(target.name, None, folder, [f], flaky=True))
    return findings


def keep(target, items, preset, mutant, env, root: Path) -> Finding:
    """One finding: its folder and kit (made once; later runs add duplicates)."""
    first, output, sig = items[0]
    # Findings made with a mutant on are kept apart from the library's own.
    folder = root / target.name / ((f"mutant-{mutant}-" if mutant else "") + sig.slug)
    info_path = folder / "finding.json"
    known = info_path.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if known:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        info["seen"] = info.get("seen", 1) + 1
    else:
        shutil.copyfile(first, folder / "input")
        (folder / "report.txt").write_text(output, encoding="utf-8")
        make_kit(target, folder, preset, env)
        info = {"target": target.name, "signature": sig.key, "kind": sig.kind, "what": sig.what,
                "frames": sig.frames, "headline": sig.headline, "preset": preset, "mutant": mutant,
                "found_as": first.name, "first_seen": datetime.datetime.now().isoformat(timespec="seconds"),
                "seen": 1, "duplicates": 0}
        (folder / "reproduce.txt").write_text(
            reproduce_command(target.name, folder / "input.min", preset, mutant) + "\n", encoding="utf-8")
    dup_dir = folder / "duplicates"
    for f, _, _ in items[0 if known else 1:]:
        info["duplicates"] = info.get("duplicates", 0) + 1
        if len(list(dup_dir.glob("*")) if dup_dir.exists() else []) < MAX_DUPLICATES:
            dup_dir.mkdir(exist_ok=True)
            shutil.copyfile(f, dup_dir / f.name)
    info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return Finding(target.name, sig, folder, [f for f, _, _ in items], known=known)


def make_kit(target, folder: Path, preset: str, env):
    """The minimised input, its trace and its traced run, beside the input."""
    minimized = folder / "input.min"
    result = libfuzzer.minimize(target, folder / "input", minimized, env)
    if not minimized.exists():
        print(f"zmcheck: minimisation of {paths.rel(folder / 'input')} failed; input.min is the input as found",
              flush=True)
        (folder / "minimize.log").write_text(result.output, encoding="utf-8")
        shutil.copyfile(folder / "input", minimized)
    try:
        text = traces.trace_of(preset, target, minimized)
    except Exception as e:  # the kit is still useful without its trace
        text = f"# no trace: {e}\n"
    (folder / "trace.txt").write_text(text, encoding="utf-8")
    if target.ops:
        run = libfuzzer.replay(target.binary, [minimized], dict(env or {}, ZMCHECK_TRACE="1"))
        (folder / "trace-run.txt").write_text(run.output, encoding="utf-8")
