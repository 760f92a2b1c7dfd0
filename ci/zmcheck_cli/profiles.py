"""Profiles (profiles/*.profile): the accounting contract of an allocator under test, read
as the harness reads it (harness/profile.h documents the keys, harness/profile.cpp parses
them; the driver's tests keep this reader in step with both), so that a bad profile is a
usage error before anything is built, and a report can say what was checked."""
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import UsageError

# key -> the values it takes (a tuple of words, or "number", "text", "ops"), default.
KEYS = {
    "name": ("text", "zmcheck-prefix"),
    "accounting": (("prefix", "usable"), "prefix"),
    "header": ("number", 8),
    "granule": ("number", 8),
    "min_block": ("number", 0),
    "zero_size": ("number", 0),
    "request": (("accounted", "unrounded"), "accounted"),
    "realloc_zero": (("frees", "resizes", "oom"), "frees"),
    "realloc_null_zero_oom": (("handler", "silent"), "handler"),
    "huge": (("fails", "backend", "skip"), "fails"),
    "huge_realloc": (("keeps", "frees"), "keeps"),
    "calloc_num_overflow_size": ("number", "SIZE_MAX"),
    "calloc_num_zero_size": (("succeeds", "fails"), "succeeds"),
    "oom": (("returns", "fatal"), "returns"),
    "strdup_oom": (("returns", "fatal"), "returns"),
    "free_usable_null": (("zero", "untouched"), "zero"),
    "failed_alloc_usable": (("zero", "untouched"), "zero"),
    "thread_safety": (("always", "after_enable"), "always"),
    "wrapped_reads": (("never", "transient"), "never"),
    "counter_reads": (("synchronized", "racy"), "synchronized"),
    "oom_message": ("text", "zmalloc: Out of memory trying to allocate {n} bytes"),
    "null_handler": (("default", "unchecked"), "default"),
    "exclude": ("ops", ()),
}

SIZE_MAX = 2**64 - 1


def op_names(root=None):
    """The op names of the op language, read off harness/op_catalogue.h (the one list)."""
    text = (Path(root or paths.root()) / "harness" / "op_catalogue.h").read_text(encoding="utf-8")
    return re.findall(r"^\s*X\((\w+),", text, re.M)


@dataclass
class Profile:
    path: str = ""
    values: dict = field(default_factory=lambda: {k: default for k, (_, default) in KEYS.items()})

    def __getitem__(self, key):
        return self.values[key]

    def describe(self) -> str:
        """One line: what the harness will check."""
        v = self.values
        if v["accounting"] == "prefix":
            what = (f"prefix accounting: A(n) = round_up(n + {v['header']}, {v['granule']})"
                    + (f", at least {v['min_block']}" if v["min_block"] else "")
                    + (f", a 0-byte request counted as {v['zero_size']}" if v["zero_size"] else "")
                    + (", the backend asked for A(n)" if v["request"] == "accounted"
                       else f", the backend asked for n + {v['header']}"))
        else:
            what = "usable-size accounting: A(p) = the backend's usable size of p"
        what += {"frees": "; zrealloc(p, 0) frees", "resizes": "; zrealloc(p, 0) resizes",
                 "oom": "; zrealloc(p, 0) is an out-of-memory (the block freed, the handler called with 0)"}[
            v["realloc_zero"]]
        if v["realloc_null_zero_oom"] == "silent":
            what += "; a failed zrealloc(NULL, 0) calls no handler"
        if v["huge"] == "skip":
            what += "; huge sizes not checked (not run)"
        elif v["huge"] == "backend":
            what += "; huge sizes go to the backend, which refuses them"
        else:
            what += "; huge sizes fail" + ("" if v["huge_realloc"] == "keeps" else ", and a huge realloc frees the block")
        if v["calloc_num_zero_size"] == "fails":
            what += "; zcalloc_num(n, 0) fails"
        if v["oom"] == "fatal":
            what += "; out of memory is fatal (no failing non-try call is run)"
        if v["strdup_oom"] == "fatal":
            what += "; a failing zstrdup is fatal (not run)"
        if v["free_usable_null"] == "untouched":
            what += "; zfree_usable(NULL, &u) leaves u alone"
        if v["failed_alloc_usable"] == "untouched":
            what += "; a failed allocation of the usable family leaves *usable alone"
        if v["thread_safety"] == "after_enable":
            what += "; thread-safe only after zmalloc_enable_thread_safeness()"
        if v["wrapped_reads"] == "transient":
            what += "; a read while threads update may wrap transiently"
        if v["counter_reads"] == "racy":
            what += "; the reader races with the per-thread counters by design"
        if v["exclude"]:
            what += "; ops excluded: " + ", ".join(v["exclude"])
        return what


def parse(text: str, path="", root=None) -> Profile:
    """A profile from its text; UsageError naming the line if it is not one."""
    profile = Profile(path)
    ops = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{path or 'profile'} line {number}"
        if "=" not in line:
            raise UsageError(f"{where}: expected key = value")
        key, value = (part.strip() for part in line.split("=", 1))
        if key not in KEYS:
            raise UsageError(f"{where}: unknown key {key!r} (the keys: {', '.join(KEYS)})")
        kind = KEYS[key][0]
        if kind == "text":
            profile.values[key] = value
        elif kind == "number":
            if value == "SIZE_MAX":
                profile.values[key] = "SIZE_MAX" if key == "calloc_num_overflow_size" else SIZE_MAX
            elif re.fullmatch(r"\d{1,19}", value):
                profile.values[key] = int(value)
            else:
                raise UsageError(f"{where}: {key} is a number")
        elif kind == "ops":
            ops = ops if ops is not None else op_names(root)
            names = [n.strip() for n in value.split(",") if n.strip()]
            for n in names:
                if n not in ops:
                    raise UsageError(f"{where}: no op is named {n!r} (the ops: {', '.join(ops)})")
            profile.values[key] = tuple(profile.values[key]) + tuple(names)
        elif value not in kind:
            raise UsageError(f"{where}: {key} is {' or '.join(kind)}")
        else:
            profile.values[key] = value
    return profile


def shipped() -> list:
    """The names of the profiles in profiles/ ("redis-5.0-prefix", ...), sorted."""
    return sorted(p.stem for p in (paths.root() / "profiles").glob("*.profile"))


def resolve(name_or_path) -> Path:
    """A profile file: a path to one, or the name of one in profiles/ ("redis-5.0-prefix")."""
    p = Path(name_or_path)
    if p.is_file():
        return p.resolve()
    named = paths.root() / "profiles" / f"{name_or_path}.profile"
    if "/" not in str(name_or_path) and named.is_file():
        return named
    raise UsageError(f"--profile {name_or_path}: no such file, and no profile of that name in profiles/ "
                     f"(the names: {', '.join(shipped())})")


def load(name_or_path) -> Profile:
    """A profile by path or by name, parsed; its path is the file's."""
    path = resolve(name_or_path)
    profile = parse(path.read_text(encoding="utf-8"), str(path))
    profile.path = str(path)
    return profile


def default_path() -> Path:
    """zmcheck's own contract: the profile a build uses when it is given none."""
    return paths.root() / "profiles" / "zmcheck-prefix.profile"
