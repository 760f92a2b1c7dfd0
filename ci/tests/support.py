"""Shared by the driver's tests: the package on the path, recorded sample outputs."""
import os
import shutil
import sys
import tempfile
from pathlib import Path

CI = Path(__file__).resolve().parent.parent
ROOT = CI.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
DRIVER = CI / "zmcheck"
sys.path.insert(0, str(CI))


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def driver_env(**extra):
    """An environment in which the driver never installs anything."""
    env = dict(os.environ, ZMCHECK_NO_INSTALL="1")
    env.pop("ZM_MUTANT", None)
    env.update(extra)
    return env


def temp_dir(test) -> Path:
    """A fresh folder, removed when the test ends."""
    d = Path(tempfile.mkdtemp(prefix="zmcheck-test-"))
    test.addCleanup(shutil.rmtree, d, True)
    return d


FAKE_TARGET = """#!{python}
import sys, time
flags = dict(a[1:].split("=", 1) for a in sys.argv[1:] if a.startswith("-") and "=" in a)
files = [a for a in sys.argv[1:] if not a.startswith("-")]
data = open(files[0], "rb").read()
if "minimize_crash" in flags:
    open(flags["exact_artifact_path"], "wb").write(data[:{keep}])
    sys.exit(0)
{rules}
sys.exit(0)
"""


def fake_target(directory: Path, rules: str, keep: int, name="fuzz_fake_model"):
    """A stand-in for a libFuzzer target (a script with its command line): it minimises an
    input to its first `keep` bytes, and otherwise runs `rules` (Python on `data`)."""
    import stat

    binary = directory / name
    binary.write_text(FAKE_TARGET.format(python=sys.executable, keep=keep, rules=rules.strip("\n")))
    binary.chmod(binary.stat().st_mode | stat.S_IEXEC)
    return binary
