"""Inputs as readable traces and back, through the harness's zmcheck-trace (op targets),
or an escaped dump of the text (fuzz_proc_reference, whose input is text)."""
import tempfile
from pathlib import Path

from . import cmake, shell, targets
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
    """The input of a trace, written to OUT by the zmcheck-trace of PRESET (which names
    the ops, if any, that build skips)."""
    if not target.ops:
        raise UsageError(f"{target.name} takes text, not ops: write the input file itself")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    tool = cmake.tool(preset, "zmcheck-trace")
    result = shell.run([tool, target.name, "--encode", str(trace_file), str(out)], capture=True)
    print(result.output.rstrip())
    if result.code != 0:
        raise Failure(f"could not encode {trace_file}")


# A trace as an input: one op per line, as zmcheck-trace prints them. The bytes an op
# table gives it are the same in every build, so the trace means one program wherever
# it is encoded; an op a build cannot run is skipped there, and says so.
TRACE_START = b"# zmcheck trace"
SKIPPED_MARK = "# skipped:"


def is_trace(path) -> bool:
    """A trace file: named *.trace, or text that starts the way zmcheck-trace writes one
    (a kit's trace.txt)."""
    p = Path(path)
    if p.suffix == ".trace":
        return True
    try:
        with open(p, "rb") as f:
            return f.read(len(TRACE_START)) == TRACE_START
    except OSError:
        return False


def dialect_of(text: str) -> str:
    """The dialect a trace names on a comment line ("# zmcheck trace; dialect: ops"), or ""."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and "dialect:" in stripped:
            return stripped.split("dialect:", 1)[1].strip().split()[0].rstrip(";")
    return ""


def target_of(text: str, names, explicit=None) -> str:
    """The op-language target a trace is for: --target, else the target of its dialect
    (fuzz_<dialect>_model); UsageError when neither tells."""
    names = list(names)
    if explicit:
        return targets.detect("", names, explicit)
    dialect = dialect_of(text)
    if not dialect:
        raise UsageError("the trace names no dialect (a line '# dialect: ops'): give --target")
    name = f"fuzz_{dialect}_model"
    if name not in names:
        raise UsageError(f"the trace's dialect {dialect} has no target here ({name}): give --target")
    return name


def ops_that_ran(text: str) -> str:
    """The trace without the ops its build marked skipped: the program that ran when it
    was written (a kit's trace.txt), to replay elsewhere."""
    return "".join(line + "\n" for line in text.splitlines() if SKIPPED_MARK not in line)


def read_text_or_trace(file=None, text=None) -> tuple:
    """(trace text, a file holding it) of a trace FILE or of --trace TEXT (written to a
    scratch file; "\\n" in TEXT separates lines)."""
    if text is not None:
        body = text.replace("\\n", "\n").rstrip("\n") + "\n"
        with tempfile.NamedTemporaryFile("w", suffix=".trace", prefix="zmcheck-", delete=False) as f:
            f.write(body)
        return body, Path(f.name)
    return Path(file).read_text(encoding="utf-8", errors="replace"), Path(file)
