"""The repository being bisected, through git: revisions, tags newest first, the scratch
worktree the builds check commits out in (the user's checkout is never touched), and
`git bisect` with what it prints."""
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import shell
from ..errors import EnvError, UsageError

FIRST_BAD = re.compile(r"^([0-9a-f]{40}) is the first bad commit$", re.M)
ONLY_SKIPPED = "There are only 'skip'ped commits left to test."
COULD_BE_ANY = re.compile(r"^The first bad commit could be any of:\n((?:[0-9a-f]{40}\n)+)", re.M)
SKIP_LINE = re.compile(r"^git bisect skip ([0-9a-f]{40})$", re.M)


@dataclass
class Commit:
    hash: str
    date: str      # committer date, ISO 8601
    subject: str

    @property
    def short(self) -> str:
        return self.hash[:10]

    def line(self) -> str:
        """"<hash> <date> <subject>", as the result names a commit."""
        return f"{self.hash} {self.date} {self.subject}"


@dataclass
class Outcome:
    """What `git bisect run` concluded: the first bad commit, or the commits it could be
    (only skipped ones were left), or neither (it stopped)."""
    first_bad: str = ""
    candidates: list = field(default_factory=list)


def git(repo, *args, capture=True, quiet=False, check=True) -> shell.Result:
    """git -C REPO ARGS (printed); EnvError with its output when it fails and `check`."""
    result = shell.run(["git", "-C", str(repo), *args], capture=capture, quiet=quiet)
    if check and result.code != 0:
        raise EnvError(f"git {' '.join(args)} in {repo} failed (exit {result.code}): {result.output.strip()[-400:]}")
    return result


def check_repository(directory) -> Path:
    """DIR, checked to be a git repository; UsageError otherwise."""
    d = Path(directory)
    if not d.is_dir():
        raise UsageError(f"--repo {directory}: no such folder (expected a git repository holding the implementation)")
    if shell.which("git") is None:
        raise shell.missing_tool("git")
    r = git(d, "rev-parse", "--git-dir", check=False, quiet=True)
    if r.code != 0:
        raise UsageError(f"--repo {directory}: not a git repository ({r.output.strip().splitlines()[-1]})")
    return d.resolve()


def commit_of(repo, rev: str, option: str) -> str:
    """The full hash of REV's commit; UsageError naming the option when there is none."""
    r = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False, quiet=True)
    if r.code != 0 or not r.output.strip():
        raise UsageError(f"{option} {rev}: no such commit in {repo}")
    return r.output.strip()


def tree_of(repo, rev: str) -> str:
    """The hash of REV's tree: the same files give the same hash, whatever the commit."""
    return git(repo, "rev-parse", f"{rev}^{{tree}}", quiet=True).output.strip()


def describe(repo, rev: str) -> Commit:
    text = git(repo, "log", "-1", "--format=%H%x00%cI%x00%s", rev, quiet=True).output.strip()
    hash_, date, subject = text.split("\x00", 2)
    return Commit(hash_, date, subject)


def has_file(repo, rev: str, path: str) -> bool:
    return git(repo, "cat-file", "-e", f"{rev}:{path}", check=False, quiet=True).code == 0


def parse_tags(text: str) -> list:
    """[(tag, commit)] from `git for-each-ref --format='%(refname:short) %(objectname)
    %(*objectname)'` (an annotated tag's commit is its peeled object), in the order
    given; a commit named by several tags once, by the first."""
    seen, tags = set(), []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, commit = parts[0], parts[2] if len(parts) > 2 else parts[1]
        if commit not in seen:
            seen.add(commit)
            tags.append((name, commit))
    return tags


def tags_newest_first(repo, bad: str) -> list:
    """[(tag, commit)] of the tags whose commit BAD contains, newest first (tag date, or
    commit date for a lightweight tag), BAD's own commit left out."""
    r = git(repo, "for-each-ref", f"--merged={bad}", "--sort=-creatordate",
            "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags")
    return [(t, c) for t, c in parse_tags(r.output) if c != bad]


def add_worktree(repo, path: Path, rev: str) -> None:
    """A scratch worktree of REPO at PATH, detached at REV (one left by an earlier run is
    removed first)."""
    remove_worktree(repo, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    git(repo, "worktree", "add", "--detach", "--force", str(path), rev)


def remove_worktree(repo, path: Path) -> None:
    """Removes the scratch worktree at PATH (only that folder) and its entry in REPO."""
    if path.exists():
        git(repo, "worktree", "remove", "--force", str(path), check=False)
        if path.exists():
            shutil.rmtree(path)
    git(repo, "worktree", "prune", check=False, quiet=True)


def checkout(worktree: Path, rev: str) -> None:
    git(worktree, "checkout", "--quiet", "--detach", "--force", rev)


def parse_run_output(text: str) -> Outcome:
    """The conclusion of `git bisect run`'s output: "<hash> is the first bad commit", or
    "There are only 'skip'ped commits left to test." with "The first bad commit could be
    any of:" and their hashes."""
    m = FIRST_BAD.search(text)
    if m:
        return Outcome(first_bad=m.group(1))
    if ONLY_SKIPPED in text:
        m = COULD_BE_ANY.search(text)
        return Outcome(candidates=m.group(1).split() if m else [])
    return Outcome()


def skipped_in_log(text: str) -> list:
    """The commits `git bisect log` says were skipped, in order."""
    return list(dict.fromkeys(SKIP_LINE.findall(text)))
