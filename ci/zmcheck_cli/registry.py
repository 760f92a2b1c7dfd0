"""The one registry of subcommands. It feeds both the argparse parser and the help:
a subcommand is a function registered with @command, its arguments added by `arguments`.

    @command("name", "one line for the help", arguments=add_my_arguments)
    def run(args) -> int: ...
"""
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass
class Command:
    name: str
    summary: str
    run: Callable
    arguments: Optional[Callable] = None
    description: str = ""


COMMANDS = {}


def command(name, summary, arguments=None, description=""):
    def register(func):
        if name in COMMANDS:
            raise ValueError(f"subcommand {name} registered twice")
        COMMANDS[name] = Command(name, summary, func, arguments, description or func.__doc__ or "")
        return func

    return register
