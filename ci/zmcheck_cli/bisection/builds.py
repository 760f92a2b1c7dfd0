"""A commit's sources built as the system under test, the way `external --tree` builds a
tree: its zmalloc.c (under the session's tree path) with harness/sut/server_hooks.c, its
folder as the include folder, the session's profile (else the line profile of the tree's
version) and the definitions of the shape asked for (else the kit's). One build folder
serves every commit (configured from the `default` preset; only the SUT recompiles), and
the binary of each commit is kept by its tree hash, so that a rerun builds nothing."""
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .. import cmake, kits, paths, profiles, trees
from ..errors import Failure, UsageError

PRESET = "default"
FAILED_SUFFIX = ".failed"
COMPILER_ERROR = re.compile(r"^\S+:\d+:\d+: (?:fatal )?error: .*$", re.M)


@dataclass
class Build:
    binary: Path = None   # the commit's binary (in the cache), None when it does not build
    cached: bool = False  # found in the cache: nothing was built
    error: str = ""       # why it does not build
    seconds: float = 0.0
    note: str = ""        # how the SUT was chosen at this commit


def sut_variables(session, worktree: Path):
    """(cache variables, note) of the commit checked out in WORKTREE; UsageError when that
    commit cannot be built the way asked (no zmalloc.c at the tree path, no version to
    tell its line)."""
    where = worktree / session.tree_path
    try:
        src = trees.find_src(where)
    except UsageError:
        raise UsageError(f"no zmalloc.c in {session.tree_path} or {session.tree_path}/src") from None
    tree = None
    if session.mode or not session.profile:
        try:
            tree = trees.read(where)
        except UsageError as e:
            wanted = f"--mode {session.mode}" if session.mode else "its line profile"
            raise UsageError(f"{wanted} needs the tree's version ({str(e).split(': ', 1)[-1]}); "
                             f"give --profile and no --mode") from None
    if session.mode:
        definitions, how = tree.definitions(session.mode), f"--mode {session.mode}"
    elif session.definitions is not None:
        definitions, how = list(session.definitions), "the kit's definitions"
    else:
        definitions, how = [], "no definitions"
    if session.profile:
        profile, profile_how = session.profile, f"profile from {session.profile_from}"
    else:
        mode = session.mode or tree.default_mode()
        profile = profiles.load(tree.profile_name(mode)).path
        profile_how = f"the line profile of {tree.project} {tree.line}"
    variables = {"ZM_SUT_SOURCES": ";".join([str(src / "zmalloc.c"),
                                             str(paths.root() / "harness" / "sut" / "server_hooks.c")]),
                 "ZM_SUT_INCLUDE_DIRS": str(src), "ZM_SUT_DEFINITIONS": ";".join(definitions),
                 "ZM_PROFILE": profile}
    note = f"{how}" + (f" ({', '.join(definitions)})" if definitions else "") + \
        f"; {profile_how} ({Path(profile).name})"
    return variables, note


# What zmcheck's side of a binary is built from: a change to any of them is a new binary
# (of CMakePresets.json, only the configure presets the build inherits).
HARNESS_FILES = ("CMakeLists.txt", "cmake", "src", "harness", "fuzz", "properties")


def preset_chain(name: str = PRESET) -> list:
    """The configure preset NAME and those it inherits, as CMakePresets.json has them."""
    data = json.loads((paths.root() / "CMakePresets.json").read_text(encoding="utf-8"))
    by_name = {p["name"]: p for p in data.get("configurePresets", [])}
    chain, todo = [], [name]
    while todo:
        p = by_name.get(todo.pop(0))
        if p and p not in chain:
            chain.append(p)
            inherits = p.get("inherits", [])
            todo += [inherits] if isinstance(inherits, str) else inherits
    return chain


def harness_digest() -> str:
    """A digest of zmcheck's files that go into a binary, as they are on disk (edits not
    yet committed included): a binary built by another harness is not reused."""
    digest = hashlib.sha1(json.dumps(preset_chain(), sort_keys=True).encode())
    root = paths.root()
    for name in HARNESS_FILES:
        top = root / name
        for f in sorted([top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())):
            digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(variables: dict, target: str, harness: str) -> str:
    """What else than the tree decides the binary: the target, the variables, the
    profile's text and the harness."""
    profile = Path(variables["ZM_PROFILE"])
    text = json.dumps([variables, target, harness,
                       profile.read_text(encoding="utf-8") if profile.is_file() else ""], sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def first_error(log: Path) -> str:
    """The compiler's first error in a build log (file:line:col: error: ...), else the
    first error CMake or the build printed."""
    m = COMPILER_ERROR.search(log.read_text(encoding="utf-8", errors="replace"))
    return m.group(0).strip() if m else (cmake.first_error(log) or "the build failed")


def built_binary(session) -> Path:
    """Where the build folder puts the session's binary."""
    if session.property_test:
        return paths.build_dir(session.build_name) / "properties" / session.property_test
    return Path(cmake.manifest(session.build_name, build_if_missing=False).target(session.target).binary)


def build_commit(session, worktree: Path, tree: str) -> Build:
    """The binary of the commit checked out in WORKTREE (tree hash TREE): from the cache,
    or built (and then cached). A commit that does not build is cached as such."""
    start = time.monotonic()
    try:
        variables, note = sut_variables(session, worktree)
    except UsageError as e:
        return Build(error=str(e), note="")
    slot = session.cache / f"{tree}-{cache_key(variables, session.target, harness_digest())}"
    binary, failed = slot / session.target, slot / (session.target + FAILED_SUFFIX)
    if binary.is_file():
        return Build(binary, cached=True, note=note)
    if failed.is_file():
        return Build(cached=True, error=failed.read_text(encoding="utf-8").strip(), note=note)
    log = session.scratch / "logs" / f"{tree[:12]}.build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    try:
        if kits.configured_as(session.build_name) != variables:
            cmake.configure_external(session.build_name, PRESET, variables, log=log)
        cmake.build(session.build_name, [session.target], jobs=os.cpu_count(), log=log)
    except Failure:
        error = f"{first_error(log)} (log: {paths.rel(log)})"
        slot.mkdir(parents=True, exist_ok=True)
        failed.write_text(error + "\n", encoding="utf-8")
        return Build(error=error, seconds=time.monotonic() - start, note=note)
    slot.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built_binary(session), binary)
    return Build(binary, seconds=time.monotonic() - start, note=note)
