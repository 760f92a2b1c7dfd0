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
