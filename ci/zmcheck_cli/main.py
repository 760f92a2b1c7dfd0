"""The entry point: the parser built from the registry, and exit codes."""
import argparse
import inspect
import signal
import sys
import traceback

from . import registry
from . import commands  # noqa: F401  (registers every subcommand)
from .errors import USAGE, ZmcheckError

DESCRIPTION = """\
The CI driver of zmcheck: builds, tests, fuzzes and proves zmalloc. Every command it
runs is printed as "+ cmd ...". Exit codes: 0 all good, 1 findings or failures,
2 usage or environment errors."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ci/zmcheck", description=DESCRIPTION,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", metavar="SUBCOMMAND", title="subcommands")
    for c in registry.COMMANDS.values():
        p = sub.add_parser(c.name, help=c.summary, description=inspect.cleandoc(c.description) or c.summary,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if c.arguments:
            c.arguments(p)
        p.set_defaults(run=c.run)
    return top


def main(argv=None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `ci/zmcheck trace F | head` ends quietly
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "run", None):
        p.print_help()
        return USAGE
    try:
        code = args.run(args)
        return 0 if code is None else int(code)
    except ZmcheckError as e:
        print(f"zmcheck {args.command}: {e}", file=sys.stderr, flush=True)
        return e.code
    except KeyboardInterrupt:
        print("zmcheck: interrupted", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        print(f"zmcheck {args.command}: the driver crashed (a bug in ci/zmcheck_cli)", file=sys.stderr)
        return USAGE
