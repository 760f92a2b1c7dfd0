"""One commit tested: checked out in the scratch worktree, built (or taken from the
cache), the finding replayed --runs times, judged; one line of progress, and a line in
tested.jsonl."""
import json
import time
from pathlib import Path
from types import SimpleNamespace

from .. import libfuzzer, paths, shell
from . import builds, git
from .verdict import BAD, SKIP, Verdict, judge

PROPERTY_TIMEOUT_S = 900


def replay(session, binary: Path) -> tuple:
    """(exit code, output) of one replay of the finding by BINARY."""
    if session.property_test:
        r = shell.run([binary], env={"RC_PARAMS": session.rc_params}, capture=True, timeout=PROPERTY_TIMEOUT_S)
    else:
        options = SimpleNamespace(options=str(paths.root() / "fuzz" / f"{session.target}.options"))
        # ZMCHECK_EVERY_OP: an input with an op this commit cannot run is not checked here (exit 2)
        r = libfuzzer.replay(str(binary), [session.input], {"ZMCHECK_EVERY_OP": "1"},
                             max_len=libfuzzer.max_len(options))
    return (r.code if not r.timed_out else -9), r.output


def replays(session, binary: Path, expected: str) -> Verdict:
    """Up to --runs replays, stopping at the first that shows the signature."""
    what = f"property {session.property_test}" if session.property_test else ""
    outcomes = []
    for _ in range(session.runs):
        outcomes.append(replay(session, binary))
        if judge(outcomes, expected, what).code == BAD:
            break
    v = judge(outcomes, expected, what)
    if v.code == BAD:
        v.why = f"{v.seen} (run {len(outcomes)} of at most {session.runs})"
    return v


def replay_line(session, binary) -> str:
    """The command that replays the finding on a commit's binary ("" when it has none)."""
    if binary is None:
        return ""
    if session.property_test:
        return shell.command_line([binary], {"RC_PARAMS": session.rc_params})
    return shell.command_line([binary, session.input], {"ZMCHECK_EVERY_OP": "1"})


def how_built(build: builds.Build) -> str:
    if build.cached:
        return "cached build, nothing built" if build.binary else "cached: does not build"
    return f"built in {build.seconds:.0f} s"


def test_commit(session, expected: str, rev: str = None, label: str = "") -> Verdict:
    """The verdict on REV (else on what the worktree has checked out), printed as one line."""
    worktree = session.worktree
    if rev:
        git.checkout(worktree, rev)
    commit = git.describe(worktree, "HEAD")
    build = builds.build_commit(session, worktree, git.tree_of(worktree, "HEAD"))
    if build.error:
        verdict = Verdict(SKIP, f"does not build: {build.error}")
    else:
        verdict = replays(session, build.binary, expected)
    tested = read_tested(session)
    print(f"zmcheck bisect: [{len(tested) + 1}]{f' {label}' if label else ''} {commit.short} {commit.date[:10]} "
          f"{commit.subject[:60]}: {verdict.name.upper() if verdict.code == BAD else verdict.name} "
          f"({verdict.why}) [{how_built(build)}]", flush=True)
    with open(session.tested_file, "a", encoding="utf-8") as f:
        f.write(json.dumps({"commit": commit.hash, "verdict": verdict.name, "why": verdict.why, "seen": verdict.seen,
                            "cached": build.cached, "sut": build.note, "replay": replay_line(session, build.binary),
                            "at": time.time()}) + "\n")
    return verdict


def read_tested(session) -> list:
    """The commits tested in this run, in order: dicts of tested.jsonl."""
    f = Path(session.tested_file)
    if not f.is_file():
        return []
    return [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
