"""Which fuzz target an input belongs to, from its path: corpus/<t>/..., findings/<t>/...,
an artifact "<t>-crash-<sha1>", or --target."""
from pathlib import Path

from .errors import UsageError


def detect(path, names, explicit=None) -> str:
    names = list(names)
    if explicit:
        if explicit not in names:
            raise UsageError(f"--target {explicit}: no such fuzz target (the targets: {', '.join(names)})")
        return explicit
    p = Path(path)
    for part in reversed(p.parts[:-1]):
        if part in names:
            return part
    base = p.name
    for name in sorted(names, key=len, reverse=True):
        if base == name or base.startswith(name + "-") or base.startswith(name + "."):
            return name
    raise UsageError(f"cannot tell the fuzz target of {path}: pass --target (one of {', '.join(names)})")
