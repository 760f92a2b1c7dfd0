"""Where things are: the source tree, the build trees, findings/."""
import os
from pathlib import Path

# ci/zmcheck_cli/paths.py -> the repository root.
ROOT = Path(__file__).resolve().parent.parent.parent


def root() -> Path:
    """The source tree (ZMCHECK_ROOT overrides it, for the driver's own tests)."""
    return Path(os.environ.get("ZMCHECK_ROOT", str(ROOT)))


def build_dir(preset: str) -> Path:
    return root() / "build" / preset


def findings_dir() -> Path:
    return root() / "findings"


def fuzz_work_dir(preset: str) -> Path:
    """Working corpora, artifacts and logs of the last fuzz run in a preset."""
    return build_dir(preset) / "zmcheck-fuzz"


def rel(path) -> str:
    """A path as a person would type it from the root, when it is inside the tree."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(root().resolve()))
    except ValueError:
        return str(path)
