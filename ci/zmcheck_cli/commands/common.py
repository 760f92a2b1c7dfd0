"""Arguments and steps several subcommands share."""
import os

from .. import cmake, deps
from ..errors import EnvError


def add_preset(p, default, what="the CMake preset"):
    p.add_argument("--preset", default=default, help=f"{what} (default: {default})")


def add_target(p):
    p.add_argument("--target", help="the fuzz target (default: told from the file's path)")


def mutant_env(manifest):
    """ZM_MUTANT from our environment, checked against the build: passed through as is."""
    mutant = os.environ.get("ZM_MUTANT", "")
    if mutant and not manifest.mutants:
        raise EnvError(f"ZM_MUTANT={mutant} needs a mutant build: add --preset mutants")
    return mutant


def prepare(preset=None):
    """Dependencies installed (cheap when they are), and the preset valid."""
    deps.ensure()
    if preset:
        cmake.check_preset(preset)
