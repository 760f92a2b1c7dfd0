"""Source trees of Redis and Valkey for `external --tree`: where zmalloc.c is, which
release line the tree belongs to (read off src/version.h), which profile of profiles/
states that line's contract, and how to build the shape asked for (prefix or usable)
from the tree's files as they are."""
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

# The release lines with a profile in profiles/, oldest first: "<project>-<line>" is the
# profile of a plain glibc build, "<project>-<line>-prefix" the prefix shape of the lines
# that also have the usable one.
LINES = {
    "redis": ["2.2", "2.4", "2.6", "2.8", "3.0", "3.2", "4.0", "5.0", "6.0", "6.2", "7.0", "7.2", "7.4", "8.0"],
    "valkey": ["7.2", "8.0", "8.1"],
}
# The first line whose glibc build counts malloc_usable_size() (zmalloc.h sets
# HAVE_MALLOC_SIZE on __GLIBC__); before it, a glibc build is prefix only.
USABLE_FROM = {"redis": "5.0", "valkey": "7.2"}
# Versions of development trees (unstable): they take the newest line of their project.
DEVELOPMENT = ("255.255.255", "999.999.999")
# The macro of the tree's zmalloc.h that selects the prefix shape on glibc (from 6.2.1).
PREFIX_DEFINE = "NO_MALLOC_USABLE_SIZE"
# Where neither exists, the prefix shape of a glibc build is made by hiding __GLIBC__
# from their headers (harness/sut/route_backend.h), as on musl.
HIDE_GLIBC_DEFINE = "ZMCHECK_HIDE_GLIBC"
VERSION = re.compile(r'^#define\s+(REDIS_VERSION|VALKEY_VERSION)\s+"(\d+)\.(\d+)\.(\d+)"', re.M)


def key(line: str):
    major, minor = line.split(".")
    return int(major), int(minor)


@dataclass
class Tree:
    src: Path            # the folder of zmalloc.c: the tree's src/
    project: str         # "redis" or "valkey"
    version: str         # as version.h has it: "5.0.14", "3.9.103", "255.255.255"
    line: str            # the release line: "5.0"
    how: str             # how the line was told from the version, for the report

    @property
    def zmalloc_c(self) -> Path:
        return self.src / "zmalloc.c"

    def has_usable_shape(self) -> bool:
        return key(self.line) >= key(USABLE_FROM[self.project])

    def default_mode(self) -> str:
        """The shape of a plain glibc build of the line."""
        return "usable" if self.has_usable_shape() else "prefix"

    def profile_name(self, mode: str) -> str:
        name = f"{self.project}-{self.line}"
        return name + "-prefix" if mode == "prefix" and self.has_usable_shape() else name

    def definitions(self, mode: str) -> list:
        """What the build defines for the shape asked for (their files unchanged)."""
        if mode == "usable":
            if not self.has_usable_shape():
                raise UsageError(f"{self.project} {self.line} has no usable-size shape in a glibc build: its zmalloc.h "
                                 f"selects malloc_usable_size() only with jemalloc, tcmalloc or on macOS "
                                 f"(--mode prefix, or leave --mode out)")
            return []
        if not self.has_usable_shape():
            return []
        header = (self.src / "zmalloc.h").read_text(encoding="utf-8", errors="replace")
        return [PREFIX_DEFINE] if PREFIX_DEFINE in header else [HIDE_GLIBC_DEFINE]

    def shape_note(self, mode: str) -> str:
        defs = self.definitions(mode)
        if mode == "usable":
            return "usable shape: a plain glibc build (zmalloc.h sets HAVE_MALLOC_SIZE on __GLIBC__)"
        if not defs:
            return "prefix shape: a plain glibc build (this line's zmalloc.h has no usable-size shape on glibc)"
        if defs == [PREFIX_DEFINE]:
            return f"prefix shape: built with -D{PREFIX_DEFINE}, the tree's own switch"
        return ("prefix shape: built as on a C library without __GLIBC__ (musl), which this tree's zmalloc.h "
                "takes to mean no malloc_usable_size(): no define of the tree selects it")


def find_src(directory) -> Path:
    """The folder holding zmalloc.c: DIR itself or DIR/src."""
    d = Path(directory)
    if not d.is_dir():
        raise UsageError(f"--tree {directory}: no such folder")
    for candidate in (d, d / "src"):
        if (candidate / "zmalloc.c").is_file():
            return candidate.resolve()
    raise UsageError(f"--tree {directory}: no zmalloc.c in it or in its src/")


def line_of(project: str, version: tuple) -> tuple:
    """(line, how) for a version (major, minor, patch) of a project."""
    lines = LINES[project]
    major, minor, patch = version
    text = f"{major}.{minor}.{patch}"
    if text in DEVELOPMENT:
        return lines[-1], f"version {text}: a development tree, checked as the newest line, {lines[-1]}"
    if patch >= 100:  # a release candidate or milestone of the next line: 3.9.101 is 4.0-rc1
        later = [l for l in lines if key(l) > (major, minor)]
        if later:
            return later[0], f"version {text}: a pre-release of {later[0]}"
        return lines[-1], f"version {text}: a pre-release newer than every line; checked as {lines[-1]}"
    at_or_before = [l for l in lines if key(l) <= (major, minor)]
    if not at_or_before:
        raise UsageError(f"{project} {text} is older than every line with a profile ({lines[0]} is the first)")
    line = at_or_before[-1]
    if key(line) == (major, minor):
        return line, f"version {text}"
    return line, f"version {text}: no profile of {major}.{minor}, checked as the newest line before it, {line}"


def read(directory) -> Tree:
    """The tree at DIR: its src/, project, version and line."""
    src = find_src(directory)
    version_h = src / "version.h"
    if not version_h.is_file():
        raise UsageError(f"--tree {directory}: no src/version.h to read the version from (--profile names the "
                         "contract instead)")
    text = version_h.read_text(encoding="utf-8", errors="replace")
    found = {m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4))) for m in VERSION.finditer(text)}
    if "VALKEY_VERSION" in found:
        project, version = "valkey", found["VALKEY_VERSION"]
    elif "REDIS_VERSION" in found:
        project, version = "redis", found["REDIS_VERSION"]
    else:
        raise UsageError(f"--tree {directory}: {version_h} defines neither REDIS_VERSION nor VALKEY_VERSION")
    line, how = line_of(project, version)
    return Tree(src, project, ".".join(map(str, version)), line, how)
