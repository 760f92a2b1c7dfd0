"""Inputs as readable traces and back, through the harness's zmcheck-trace (op targets),
or an escaped dump of the text (fuzz_proc_reference, whose input is text)."""
from pathlib import Path

from . import cmake, shell
from .errors import Failure, UsageError


def escaped(data: bytes) -> str:
    """Bytes as C-like escaped text: printable ASCII kept, the rest \\xNN, lines kept."""
    out = []
    for b in data:
        if b == 0x0A:
            out.append("\\n\n")
        elif 32 <= b < 127 and b != 0x5C:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def trace_of(preset: str, target, file) -> str:
    """The trace of one input: the ops it decodes to, one per line."""
    if not target.ops:
        data = Path(file).read_bytes()
        return f"# {target.name}: {len(data)} bytes of text, escaped\n{escaped(data)}\n"
    tool = cmake.tool(preset, "zmcheck-trace")
    result = shell.run([tool, target.name, str(file)], capture=True)
    if result.code != 0:
        raise Failure(f"zmcheck-trace could not read {file}: {result.output.strip()}")
    return result.output


def encode(preset: str, target, trace_file, out) -> None:
    if not target.ops:
        raise UsageError(f"{target.name} takes text, not ops: write the input file itself")
    tool = cmake.tool(preset, "zmcheck-trace")
    result = shell.run([tool, target.name, "--encode", str(trace_file), str(out)], capture=True)
    print(result.output.rstrip())
    if result.code != 0:
        raise Failure(f"could not encode {trace_file}")
