"""reproduce, minimize, promote and trace: one input at a time."""
import os
import tempfile
from pathlib import Path

from .. import cmake, corpus, libfuzzer, paths, signatures, targets, traces
from ..errors import Failure, UsageError
from ..registry import command
from .common import add_preset, add_target, mutant_env, prepare

TRIES = 3


def input_file(path) -> Path:
    """An input file that can be read; UsageError saying what the path is otherwise."""
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{path} is a folder: give one input file in it (a kit's input or input.min)")
    if not p.exists():
        raise UsageError(f"{path}: no such file")
    if not p.is_file():
        raise UsageError(f"{path} is not a regular file")
    try:
        with open(p, "rb") as f:
            f.read(1)
    except OSError as e:
        raise UsageError(f"{path}: cannot be read ({e.strerror})") from None
    return p


def within_max_len(t, file: Path) -> Path:
    """The input as the target reads it: a longer one cut to the target's max_len (a
    copy), with a line saying so."""
    limit = libfuzzer.max_len(t)
    size = file.stat().st_size
    if not limit or size <= limit:
        return file
    cut = Path(tempfile.mkdtemp(prefix="zmcheck-cut-")) / file.name
    with open(file, "rb") as f:
        cut.write_bytes(f.read(limit))
    print(f"zmcheck: {file} is {size} bytes; {t.name} reads at most {limit} (its max_len, as libFuzzer made its "
          f"inputs): the first {limit} bytes are used", flush=True)
    return cut


def target_for(preset, file, explicit, build=True):
    """(manifest, target) for a file, the binaries of the preset built if missing."""
    m = cmake.ensure_binaries(preset) if build else cmake.manifest(preset)
    return m, m.target(targets.detect(file, m.names(), explicit))


def given_input(args, build=True):
    """(manifest, target, input file, trace text or None) of FILE or --trace TEXT. A
    trace (a .trace file, a kit's trace.txt, or --trace) is encoded by the preset's own
    zmcheck-trace; its target is --target, else the one of its dialect."""
    if bool(args.file) == bool(args.trace):
        raise UsageError("give FILE (an input or a trace), or --trace TEXT")
    if args.file:
        file = input_file(args.file)
        if not traces.is_trace(file):
            m, t = target_for(args.preset, file, args.target, build)
            return m, t, file, None
    text, trace_file = traces.read_text_or_trace(args.file, args.trace)
    m = cmake.ensure_binaries(args.preset) if build else cmake.manifest(args.preset)
    t = m.target(traces.target_of(text, [x.name for x in m.targets if x.ops], args.target))
    out = Path(tempfile.mkdtemp(prefix="zmcheck-trace-")) / ((Path(args.file).stem if args.file else "trace") + ".input")
    traces.encode(args.preset, t, trace_file, out)
    return m, t, out, text


def file_arguments(p, preset="fuzz"):
    p.add_argument("file", metavar="FILE", nargs="?",
                   help="the input: a fuzz input, or a trace (FILE.trace, a kit's trace.txt: one op per line)")
    p.add_argument("--trace", metavar="TEXT", help="instead of FILE, the trace itself (lines apart by \\n: "
                                                   "'s0 = zmalloc(8)\\nzfree(s0)')")
    add_target(p)
    add_preset(p, preset)


@command("reproduce", "replay one input under the ASan build: reproduced, flaky or no crash",
         file_arguments)
def run_reproduce(args):
    """Replays FILE on its fuzz target (told from the path: corpus/<t>/..., findings/<t>/...,
    <t>-crash-...; or --target) in the ASan build, 3 times, and says "reproduced", "did
    not reproduce (flaky)" or "no crash"; prints the symbolized report and the op trace.
    FILE may be a trace (or --trace TEXT): it is encoded by the preset's zmcheck-trace,
    and the same ops run in every build (an op a build cannot run is skipped, and the
    trace says so). Exit 1 when it crashes (a finding), 0 when it does not."""
    prepare(args.preset)
    m, t, file, _ = given_input(args)
    mutant = mutant_env(m)
    outcomes = []
    file = within_max_len(t, file)
    for i in range(TRIES):
        r = libfuzzer.replay(t.binary, [file], max_len=libfuzzer.max_len(t))
        outcomes.append(r)
        print(f"  run {i + 1}/{TRIES}: " + ("crashed" if libfuzzer.crashed(r) else "no crash"), flush=True)
    crashes = [r for r in outcomes if libfuzzer.crashed(r)]
    shown = crashes[0] if crashes else outcomes[-1]
    print("\n---- report (symbolized)" if crashes else "\n---- output")
    print(shown.output.rstrip())
    print(f"\n---- the input as a trace ({t.name})")
    try:
        print(traces.trace_of(args.preset, t, file).rstrip())
    except Exception as e:
        print(f"(no trace: {e})")
    sig = signatures.parse(shown.output) if crashes else None
    print()
    where = f"{t.name}, preset {args.preset}" + (f", mutant {mutant}" if mutant else "")
    if len(crashes) == TRIES:
        print(f"zmcheck reproduce: reproduced ({TRIES}/{TRIES} runs crashed; {where})")
    elif crashes:
        print(f"zmcheck reproduce: did not reproduce (flaky): {len(crashes)}/{TRIES} runs crashed ({where})")
    else:
        print(f"zmcheck reproduce: no crash in {TRIES} runs ({where})")
    if sig:
        print(f"signature: {sig.key}")
    return 1 if crashes else 0


def minimize_arguments(p):
    file_arguments(p)
    p.add_argument("--output", "-o", help="where to write the minimised input (default: FILE.min)")
    p.add_argument("--seconds", type=int, default=60, help="time bound of the minimisation (default: 60)")
    p.add_argument("--runs", type=int, default=20000, help="-runs bound of the minimisation (default: 20000)")


def minimized(t, file: Path, out: Path, seconds=60, runs=20000) -> Path:
    if out.resolve() == file.resolve():
        raise UsageError("the minimised input never overwrites the original: choose another --output")
    if out.exists():
        out.unlink()
    result = libfuzzer.minimize(t, file, out, runs=runs, seconds=seconds)
    if not out.exists():
        print(result.output[-3000:])
        raise Failure(f"libFuzzer could not minimise {file} (does it crash? ci/zmcheck reproduce {file})")
    print(f"zmcheck: {file} ({file.stat().st_size} bytes) -> {out} ({out.stat().st_size} bytes)")
    return out


@command("minimize", "libFuzzer -minimize_crash of a crashing input into FILE.min", minimize_arguments)
def run_minimize(args):
    """libFuzzer -minimize_crash=1 with bounded -runs and -max_total_time; writes FILE.min
    (or --output) and never touches FILE; a trace FILE.trace (or --trace) is encoded first,
    and its minimised input is FILE.min (trace.min), printed as a trace."""
    prepare(args.preset)
    m, t, file, trace = given_input(args)
    mutant_env(m)
    if not m.libfuzzer:
        raise UsageError(f"minimising needs a libFuzzer build: --preset fuzz (not {args.preset})")
    if args.output:
        out = Path(args.output)
    elif trace is None:
        out = file.with_name(file.name + ".min")
    else:
        out = Path(args.file).with_suffix(".min") if args.file else Path("trace.min")
    minimized(t, within_max_len(t, file), out, args.seconds, args.runs)
    if trace is not None:
        print(f"\n---- {out} as a trace\n" + traces.trace_of(args.preset, t, out).rstrip())
    return 0


def promote_arguments(p):
    file_arguments(p)
    p.add_argument("--name", required=True, help="the regression's name: corpus/<target>/regress-<NAME>, [a-z0-9-]+")


@command("promote", "a (minimised) crash becomes corpus/<target>/regress-<NAME>", promote_arguments)
def run_promote(args):
    """Stores the minimised crash (FILE.min beside FILE, or FILE minimised now) as
    corpus/<target>/regress-<NAME> (refused if it exists), prints its trace. ctest replays
    it from the next configure on (the corpus glob is CONFIGURE_DEPENDS). A trace (FILE.trace,
    or --trace) is stored as its ops encode, not minimised: it is the program you wrote."""
    corpus.check_name(args.name)
    prepare(args.preset)
    m, t, file, trace = given_input(args)
    mutant_env(m)
    dest_dir = Path(t.corpus)
    corpus.regress_path(dest_dir, args.name)  # refuse early
    if trace is not None or file.name.endswith(".min"):
        source = file
    elif file.with_name(file.name + ".min").exists():
        source = file.with_name(file.name + ".min")
    else:
        print(f"zmcheck: {file} has no .min beside it: minimising it first")
        tmp = Path(tempfile.mkdtemp(prefix="zmcheck-promote-")) / (file.name + ".min")
        source = minimized(t, file, tmp)
    dest = corpus.promote(source, dest_dir, args.name)
    print(f"zmcheck promote: {source} -> {paths.rel(dest)}")
    print(f"\n---- {paths.rel(dest)} as a trace")
    print(traces.trace_of(args.preset, t, dest).rstrip())
    print(f"\nctest replays it from now on as corpus/{t.name}/{dest.name} (the corpus glob is CONFIGURE_DEPENDS: "
          f"the next `ci/zmcheck test` picks it up). Commit it with the fix.")
    return 0


def trace_arguments(p):
    p.add_argument("file", metavar="FILE", nargs="?", help="the input to print as a trace")
    p.add_argument("--encode", metavar="TEXT", help="a trace (a file, or the trace text itself) to turn into an input")
    p.add_argument("-o", "--output", help="with --encode: where to write the input (default: trace.input)")
    add_target(p)
    add_preset(p, "default", "the preset whose zmcheck-trace to use")


@command("trace", "an input as a readable op trace, or (--encode) a trace as an input", trace_arguments)
def run_trace(args):
    """trace FILE [--target T]: the ops FILE decodes to (an escaped dump for the text
    target). trace --encode TEXT --target T [-o OUT]: writes the input of a trace."""
    if bool(args.file) == bool(args.encode):
        raise UsageError("give FILE, or --encode TEXT --target T")
    prepare(args.preset)
    m = cmake.manifest(args.preset)
    if args.encode:
        if not args.target:
            raise UsageError("--encode needs --target")
        t = m.target(args.target)
        out = Path(args.output or "trace.input")
        if os.path.isfile(args.encode):
            traces.encode(args.preset, t, args.encode, out)
        else:
            with tempfile.NamedTemporaryFile("w", suffix=".trace", delete=False) as f:
                f.write(args.encode.replace("\\n", "\n") + "\n")
            traces.encode(args.preset, t, f.name, out)
            os.unlink(f.name)
        print(f"zmcheck trace: wrote {out}")
        return 0
    file = input_file(args.file)
    t = m.target(targets.detect(file, m.names(), args.target))
    print(traces.trace_of(args.preset, t, within_max_len(t, file)).rstrip())
    return 0
