"""bisect: from a finding to the commit of another repository that introduced it."""
import shlex
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from .. import paths, shell, traces
from ..bisection import git, good, probe, record, session
from ..bisection.verdict import BAD, GOOD
from ..errors import EnvError, Failure, UsageError
from ..registry import command
from .common import prepare

CI_DIR = Path(__file__).resolve().parents[2]  # ci/: where `python3 -m zmcheck_cli...` finds the package


def arguments(p):
    p.add_argument("finding", nargs="?", metavar="FINDING",
                   help="a kit folder of findings/ (findings/<target>/<slug>/, with finding.json: its trace is "
                        "replayed), a trace file (FILE.trace), or an input file with --target")
    p.add_argument("--trace", metavar="TEXT", help="instead of FINDING, the trace itself ('s0 = zmalloc(8)\\n"
                                                   "zfree(s0)'), with --target unless it names its dialect")
    p.add_argument("--repo", required=True, metavar="DIR", help="the git repository holding the implementation")
    p.add_argument("--good", metavar="REV", help="a commit where the finding does not reproduce (default: the newest "
                                                 "tag BAD contains where it does not, stepping back through the tags)")
    p.add_argument("--bad", metavar="REV", default="HEAD", help="a commit where it does (default: HEAD of DIR)")
    p.add_argument("--tree-path", default=".", metavar="P",
                   help="the folder of DIR holding zmalloc.c, or whose src/ does (default: DIR's root)")
    p.add_argument("--profile", metavar="F", help="the accounting contract: a file, or a name of profiles/ (default: "
                                                   "the kit's, else the line profile of the tree's version)")
    p.add_argument("--mode", choices=("prefix", "usable"),
                   help="the shape to build, as `external --tree` builds it (default: the kit's definitions)")
    p.add_argument("--target", metavar="T", help="the fuzz target of a bare input (a kit names its own)")
    p.add_argument("--runs", type=int, default=session.DEFAULT_RUNS,
                   help=f"replays per commit (default: {session.DEFAULT_RUNS})")
    p.add_argument("--property", metavar="NAME", help="instead of a FINDING: a property binary (model_state_test), "
                                                      "replayed with --rc-params")
    p.add_argument("--rc-params", metavar="PARAMS", help="with --property: the RC_PARAMS its failure printed "
                                                         "('reproduce=...')")


def command_line(args) -> str:
    """The command, as a person would type it again."""
    words = ["ci/zmcheck", "bisect"] + ([paths.rel(args.finding)] if args.finding else [])
    words += ["--repo", args.repo]
    for option, value in (("--good", args.good), ("--bad", args.bad if args.bad != "HEAD" else None),
                          ("--tree-path", args.tree_path if args.tree_path != "." else None),
                          ("--trace", args.trace), ("--profile", args.profile), ("--mode", args.mode),
                          ("--target", args.target),
                          ("--runs", args.runs if args.runs != session.DEFAULT_RUNS else None),
                          ("--property", args.property), ("--rc-params", args.rc_params)):
        if value is not None:
            words += [option, str(value)]
    return shlex.join(words)


def encode_trace(s):
    """The session's input: its trace, encoded once (by zmcheck's own zmcheck-trace: one
    op table, the same bytes in every build). Each commit's replay exits 2, and the commit
    is skipped, when its build cannot run one of the ops."""
    s.scratch.mkdir(parents=True, exist_ok=True)
    trace_file = s.scratch / "replayed.trace"
    trace_file.write_text(s.trace, encoding="utf-8")
    s.input = str(s.scratch / "replayed.input")
    print(f"zmcheck bisect: replaying the trace of {s.trace_from}", flush=True)
    traces.encode("default", SimpleNamespace(name=s.target, ops=True), trace_file, s.input)


def check_tree_path(repo, bad: str, tree_path: str):
    """UsageError unless BAD has zmalloc.c at the tree path (or in its src/)."""
    base = "" if tree_path == "." else tree_path + "/"
    if not any(git.has_file(repo, bad, f"{base}{f}") for f in ("zmalloc.c", "src/zmalloc.c")):
        raise UsageError(f"--tree-path {tree_path}: no zmalloc.c there or in its src/ at the bad commit "
                         f"{bad[:10]} of {repo} (give the folder of zmalloc.c inside the repository)")


def find_good(s, repo, bad: str):
    """(ref, commit) of the good end: the newest tag of BAD's history where the finding
    does not reproduce; UsageError asking for --good when there is none."""
    tags = git.tags_newest_first(repo, bad)
    if not tags:
        raise UsageError(f"no tag in the history of {bad[:10]} to start from: give --good REV, a commit where the "
                         "finding does not reproduce")
    print(f"zmcheck bisect: no --good: stepping back through {len(tags)} tag(s) of {bad[:10]}'s history, newest "
          f"first (at most {good.MAX_TAGS})", flush=True)
    found = good.first_good_tag(tags, lambda tag, commit: probe.test_commit(s, s.signature, commit, f"tag {tag}"))
    if found is None:
        tried = ", ".join(t for t, _ in tags[:good.MAX_TAGS])
        raise UsageError(f"the finding reproduces (or cannot be tested) at every tag tried ({tried}): give --good "
                         "REV, a commit where it does not")
    return found


def run_git_bisect(s, bad: str, good_commit: str) -> tuple:
    """`git bisect run` of the step from GOOD to BAD in the worktree: (outcome, skipped)."""
    worktree = s.worktree
    start = git.git(worktree, "bisect", "start", bad, good_commit)
    print(start.output.rstrip(), flush=True)
    outcome = git.parse_run_output(start.output)
    log = s.scratch / "bisect-run.log"
    if not outcome.first_bad:
        state = s.save()
        run = shell.run(["git", "-C", str(worktree), "bisect", "run", sys.executable, "-m",
                         "zmcheck_cli.bisection.step", str(state)], env={"PYTHONPATH": str(CI_DIR)}, output_file=log)
        outcome = git.parse_run_output(run.output)
        if not outcome.first_bad and not outcome.candidates:
            stopped = [line for line in run.output.splitlines() if "zmcheck bisect: stopped" in line]
            raise EnvError("git bisect run stopped before a first bad commit: "
                           + (stopped[-1] if stopped else run.output.strip()[-400:]) + f" (log: {paths.rel(log)})")
    skipped = git.skipped_in_log(git.git(worktree, "bisect", "log", quiet=True).output)
    git.git(worktree, "bisect", "reset", "--quiet", check=False)
    return outcome, skipped


def result_of(s, args, repo, bad, good_ref, good_commit, outcome, skipped, start) -> dict:
    tested = {t["commit"]: t for t in probe.read_tested(s)}
    found = git.describe(repo, outcome.first_bad) if outcome.first_bad else None
    skipped_info = []
    for h in skipped:
        c = git.describe(repo, h)
        skipped_info.append({"commit": c.hash, "date": c.date, "subject": c.subject,
                             "why": tested.get(h, {}).get("why", "")})
    return {"commit": found.hash if found else "", "date": found.date if found else "",
            "subject": found.subject if found else "", "candidates": outcome.candidates,
            "skipped": skipped_info, "good": good_commit, "good_ref": good_ref, "bad": bad, "bad_ref": args.bad,
            "repo": str(repo), "tree_path": s.tree_path, "target": s.target, "signature": s.signature,
            "input": s.input, "rc_params": s.rc_params, "tested": len(tested),
            "command": command_line(args), "seconds": round(time.monotonic() - start, 1)}


def unexpected(s, v, expected: str, where: str) -> Failure:
    """The failure of an end of the range that is not what it must be, with its replay."""
    tested = probe.read_tested(s)
    replay = tested[-1].get("replay") if tested else ""
    return Failure(f"expected {expected} at {where}, saw: {v.name} ({v.why})"
                   + (f"; replay: {replay}" if replay else ""))


@command("bisect", "the commit of another repository that introduced a finding: git bisect run, each commit built "
                   "as the system under test", arguments)
def run_bisect(args):
    """Finds the first commit of DIR at which FINDING (a kit of findings/, or an input with
    --target; or a property with --property and --rc-params) reproduces with the same
    signature. Each commit is checked out in a scratch worktree (build/bisect-<repo>/; the
    checkout of DIR is not touched) and built the way `external --tree` builds a tree:
    its zmalloc.c with the profile (--profile, else the kit's, else the line profile of
    its version) and the shape of --mode (else the kit's definitions), in one build folder,
    build/external-bisect-<repo>/, the binary of each commit cached by its tree hash. The
    input is replayed --runs times: a crash with the kit's signature is bad, no crash good;
    a commit that does not build, cannot check the input, or crashes another way is
    skipped. `git bisect run` drives it from --good (default: the newest tag where it does
    not reproduce) to --bad (default: HEAD). The result goes into the kit as bisect.json
    and into its report's "## Bisect" section.
    Exit 0 when the commit is found, 1 when it is not (the finding does not reproduce at
    --bad, or only skipped commits were left), 2 for usage or environment errors."""
    start = time.monotonic()
    repo = git.check_repository(args.repo)
    s = session.make(args, repo)
    bad = git.commit_of(repo, args.bad, "--bad")
    good_commit = git.commit_of(repo, args.good, "--good") if args.good else None
    if good_commit == bad:
        raise UsageError(f"--good {args.good} and --bad {args.bad} are the same commit")
    if good_commit and git.git(repo, "merge-base", "--is-ancestor", bad, good_commit, check=False, quiet=True).code == 0:
        raise UsageError(f"--bad {args.bad} is older than --good {args.good}: bisect finds where a finding starts")
    check_tree_path(repo, bad, s.tree_path)
    prepare()
    if s.trace:
        encode_trace(s)
    print(f"zmcheck bisect: {s.target}{f' {paths.rel(s.input)}' if s.input else f' RC_PARAMS={s.rc_params}'} in "
          f"{repo}, bad {args.bad} ({bad[:10]}); build build/{s.build_name}, scratch {paths.rel(s.scratch)}",
          flush=True)
    if s.tested_file.exists():
        s.tested_file.unlink()
    git.add_worktree(repo, s.worktree, bad)
    try:
        v = probe.test_commit(s, s.signature, bad, "bad")
        if v.code != BAD:
            raise unexpected(s, v, f"the signature {s.signature!r}" if s.signature else "a crash",
                             f"--bad {args.bad} ({bad[:10]})")
        if not s.signature:
            s.signature = v.seen
            print(f"zmcheck bisect: the signature to look for, as {args.bad} shows it: {s.signature}", flush=True)
        if good_commit:
            good_ref = args.good
            v = probe.test_commit(s, s.signature, good_commit, "good")
            if v.code != GOOD:
                raise unexpected(s, v, "no crash (give an older --good)", f"--good {args.good} ({good_commit[:10]})")
        else:
            good_ref, good_commit = find_good(s, repo, bad)
        outcome, skipped = run_git_bisect(s, bad, good_commit)
    finally:
        if s.worktree.exists():
            git.git(s.worktree, "bisect", "reset", "--quiet", check=False, quiet=True)
        git.remove_worktree(repo, s.worktree)
    result = result_of(s, args, repo, bad, good_ref, good_commit, outcome, skipped, start)
    where = Path(s.kit) if s.kit else s.scratch
    written = [record.write_json(where, result)]
    report = record.add_to_report(Path(s.kit), result) if s.kit else None
    if report:
        written.append(report)
    print(f"\n==== zmcheck bisect: {s.signature}")
    if result["commit"]:
        print(f"first bad commit: {result['commit']} {result['date']} {result['subject']}")
    elif result["candidates"]:
        print("not narrowed to one commit: only skipped commits were left; the first bad commit is one of:")
        for c in result["candidates"]:
            print(f"  {git.describe(repo, c).line()}")
    for sk in result["skipped"]:
        print(f"skipped: {sk['commit']} {sk['date']} {sk['subject']}: {sk['why']}")
    print(f"good {good_ref} ({good_commit[:10]}), bad {args.bad} ({bad[:10]}); {result['tested']} commit(s) tested "
          f"in {result['seconds']:.0f} s; written: {', '.join(paths.rel(w) for w in written)}")
    print(f"replay: {result['command']}")
    return 0 if result["commit"] else 1
