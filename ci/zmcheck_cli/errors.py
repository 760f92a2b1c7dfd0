"""Errors that end a subcommand, with the exit code each one means.

0 all good, 1 findings or failures, 2 usage or environment errors."""

OK = 0
FAILED = 1
USAGE = 2


class ZmcheckError(Exception):
    """Ends the subcommand with `code` after printing the message."""

    code = FAILED


class Failure(ZmcheckError):
    """Something the driver checked did not hold (a build, a test, a finding)."""

    code = FAILED


class UsageError(ZmcheckError):
    """The command line asks for something impossible."""

    code = USAGE


class EnvError(ZmcheckError):
    """The machine lacks something (a tool, a package, a build)."""

    code = USAGE


class NothingChecked(EnvError):
    """The implementation under test cannot be checked at all (its sources do not build,
    it lacks zmalloc, it contradicts its profile): one cause, exit 2, no further steps."""
