"""The corpus in git: corpus/<target>/{seed,regress,fuzz}-*. Files are only ever added
(O_EXCL), never deleted or rewritten; an input that crashes is never added."""
import hashlib
import os
import re
import shutil
from pathlib import Path

from .errors import UsageError

NAME = re.compile(r"[a-z0-9-]+")


def sha1(path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def contents(corpus: Path) -> set:
    """The sha1 of every file already in a corpus folder."""
    if not corpus.is_dir():
        return set()
    return {sha1(p) for p in corpus.iterdir() if p.is_file()}


def add_exclusive(source: Path, dest: Path) -> bool:
    """Copies source to dest only if dest does not exist (never overwrites)."""
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(Path(source).read_bytes())
    return True


def add_new_inputs(corpus: Path, candidates, crashes) -> list:
    """Adds the candidates whose contents the corpus lacks as fuzz-<sha1>, after dropping
    those for which crashes(list of paths) names a crash. Returns the paths added."""
    corpus.mkdir(parents=True, exist_ok=True)
    have = contents(corpus)
    fresh, seen = [], set()
    for c in sorted(Path(p) for p in candidates):
        digest = sha1(c)
        if digest not in have and digest not in seen:
            fresh.append(c)
            seen.add(digest)
    bad = set(map(Path, crashes(fresh))) if fresh else set()
    added = []
    for c in fresh:
        if c in bad:
            continue
        dest = corpus / f"fuzz-{sha1(c)}"
        if add_exclusive(c, dest):
            added.append(dest)
    return added


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise UsageError(f"--name {name!r}: use lowercase letters, digits and '-' only ([a-z0-9-]+)")
    return name


def regress_path(corpus: Path, name: str) -> Path:
    """corpus/<target>/regress-<name>; refuses a bad name or one that exists."""
    dest = corpus / f"regress-{check_name(name)}"
    if dest.exists():
        raise UsageError(f"{dest} exists already: choose another --name (a regression is never replaced)")
    return dest


def promote(source: Path, corpus: Path, name: str) -> Path:
    dest = regress_path(corpus, name)
    corpus.mkdir(parents=True, exist_ok=True)
    if not add_exclusive(source, dest):
        raise UsageError(f"{dest} exists already")
    return dest


def copy_tree_files(src: Path, dest: Path):
    """A working copy of a corpus folder (files only)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if src.is_dir():
        for p in src.iterdir():
            if p.is_file():
                shutil.copy2(p, dest / p.name)
