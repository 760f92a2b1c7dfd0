"""The command `git bisect run` runs at each commit:

    python3 -m zmcheck_cli.bisection.step STATE_JSON     (with ci/ on PYTHONPATH)

It tests the commit the scratch worktree has checked out and exits 0 (good), 1 (bad),
125 (skip), or 128 when the machine fails (a tool missing): that stops the bisection."""
import os
import sys
import traceback

from ..errors import ZmcheckError
from . import probe, session
from .verdict import ABORT


# What `git bisect run` exports from a linked worktree (GIT_DIR): the git and cmake
# commands of the step must not inherit it, or `git -C <zmcheck>` reads the bisected repository.
GIT_LOCATION = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")


def main(argv) -> int:
    for name in GIT_LOCATION:
        os.environ.pop(name, None)
    if len(argv) != 2:
        print("usage: python3 -m zmcheck_cli.bisection.step STATE_JSON", file=sys.stderr)
        return ABORT
    s = session.load(argv[1])
    try:
        return probe.test_commit(s, s.signature).code
    except ZmcheckError as e:
        print(f"zmcheck bisect: stopped: {e}", file=sys.stderr, flush=True)
        return ABORT
    except Exception:  # a bug of the driver must not read as a bad commit
        traceback.print_exc()
        print("zmcheck bisect: stopped: the driver crashed (a bug in ci/zmcheck_cli)", file=sys.stderr, flush=True)
        return ABORT


if __name__ == "__main__":
    sys.exit(main(sys.argv))
