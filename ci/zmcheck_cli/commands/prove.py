"""prove: the bounded proof (harness/tools/zmcheck_prove.cpp), as a command and as a step
of gate and external. Each counterexample becomes a finding with a kit: its witness as a
trace and as an input of the op-language targets, the report, the replay command."""
import json
import os
import shlex
from pathlib import Path

from .. import cmake, distinct, paths, reports, shell, signatures
from ..errors import Failure
from ..registry import command
from .common import add_preset, prepare

DEPTH, THREADS_DEPTH, PREEMPTIONS, FULL_DEPTH = 3, 2, 2, 2
# The dialect of a witness and the fuzz target that decodes its input.
TARGET_OF = {"ops": "fuzz_ops_model", "threads": "fuzz_threads_model"}


def add_bounds(p):
    p.add_argument("--depth", type=int, default=DEPTH,
                   help=f"every sequential program of up to K ops (default: {DEPTH})")
    p.add_argument("--full-depth", type=int, default=FULL_DEPTH,
                   help=f"programs of up to F ops draw every size of the domain, longer ones its edges "
                        f"(default: {FULL_DEPTH})")
    p.add_argument("--threads-depth", type=int, default=THREADS_DEPTH,
                   help=f"every schedule of 2 threads of up to M ops each (default: {THREADS_DEPTH}; 0: none)")
    p.add_argument("--preemptions", type=int, default=PREEMPTIONS,
                   help=f"at most B ops of T1 parked at a preemption point in a schedule (default: {PREEMPTIONS})")


def bounds_args(ns=None):
    """zmcheck-prove's bound arguments: those of a parsed command line, or the defaults."""
    depth, full_depth, threads_depth, preemptions = (
        (ns.depth, ns.full_depth, ns.threads_depth, ns.preemptions) if ns else (DEPTH, FULL_DEPTH, THREADS_DEPTH,
                                                                               PREEMPTIONS))
    return ["--depth", str(depth), "--full-depth", str(full_depth), "--threads-depth", str(threads_depth),
            "--preemptions", str(preemptions)]


def arguments(p):
    add_preset(p, "default", "the build whose allocator is proved (an external-<name>-default build too)")
    add_bounds(p)
    p.add_argument("--json", metavar="FILE", help="write the proof as JSON: bounds, counts, seconds, counterexamples")
    p.add_argument("--report", metavar="DIR", help="where the kits go (default: build/<preset>-prove)")
    p.add_argument("--run", dest="witness", metavar="TRACE", help="replay one witness (a trace file) and print its report")


def mutant_env():
    mutant = os.environ.get("ZM_MUTANT", "")
    return {"ZM_MUTANT": mutant} if mutant else {}


def replay_line(preset, trace) -> str:
    env = "".join(f"{k}={shlex.quote(v)} " for k, v in mutant_env().items())
    return f"{env}ci/zmcheck prove --preset {preset} --run {shlex.quote(paths.rel(trace))}"


def prove(preset, bounds, json_path: Path, kits_dir: Path):
    """Runs zmcheck-prove of a preset: (exit code, the JSON document, the kits' occurrences)."""
    binary = cmake.tool(preset, "zmcheck-prove")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    if json_path.exists():
        json_path.unlink()
    result = shell.run([binary, "--json", str(json_path)] + bounds, env=mutant_env() or None)
    if result.code not in (0, 1) or not json_path.exists():
        raise Failure(f"zmcheck-prove exited {result.code} without its proof; replay: {binary} "
                      + " ".join(bounds))
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    return result.code, doc, write_kits(doc, kits_dir, preset)


def write_kits(doc, kits_dir: Path, preset):
    """A kit per counterexample: trace.txt, input (where the op targets can encode it),
    report.txt, reproduce.txt, finding.json; an occurrence of each."""
    found = []
    trace_tool = paths.build_dir(preset) / "harness" / "zmcheck-trace"
    for c in doc.get("counterexamples", []):
        sig = signatures.parse(c["report"]) or signatures.Signature(
            "crash", c["signature"], [], c["signature"])
        kit = kits_dir / f"{c['ops']}-ops-{sig.slug}"
        n = 2
        while kit.exists() and (kit / "finding.json").exists() and \
                json.loads((kit / "finding.json").read_text(encoding="utf-8")).get("cause") != c["signature"]:
            kit = kits_dir / f"{c['ops']}-ops-{sig.slug}-{n}"
            n += 1
        kit.mkdir(parents=True, exist_ok=True)
        (kit / "trace.txt").write_text(c["trace"], encoding="utf-8")
        (kit / "report.txt").write_text(c["report"], encoding="utf-8")
        dialect = "threads" if c["phase"] == "threads" else "ops"
        encoded = False
        if trace_tool.exists():
            r = shell.run([trace_tool, TARGET_OF[dialect], "--encode", kit / "trace.txt", kit / "input"],
                          capture=True, quiet=True)
            encoded = r.code == 0 and (kit / "input").exists()
        replay = replay_line(preset, kit / "trace.txt")
        (kit / "reproduce.txt").write_text(replay + "\n", encoding="utf-8")
        (kit / "finding.json").write_text(json.dumps({
            "signature": sig.key, "cause": c["signature"], "ops": c["ops"], "programs": c["count"],
            "phase": c["phase"], "preset": preset, "mutant": os.environ.get("ZM_MUTANT", ""),
            "input": f"input ({TARGET_OF[dialect]})" if encoded else "none: the witness is not an input of "
                                                                       f"{TARGET_OF[dialect]}"}, indent=2) + "\n",
            encoding="utf-8")
        excerpt = reports.failure_excerpt(c["report"]) + f"\n\nthe smallest witness, {c['ops']} ops:\n" + \
            c["trace"].rstrip()
        found.append(distinct.Occurrence("prove", paths.rel(kit), sig, excerpt, replay, c["count"], "confirmed",
                                         paths.rel(kit), c["ops"]))
    return found


def prove_step(preset, report_dir: Path, bounds=None):
    """A step of gate and external: the proof at the default bounds; each counterexample an
    occurrence with its kit in report_dir/findings/prove/."""
    def fn():
        code, doc, found = prove(preset, bounds or bounds_args(), report_dir / "prove.json",
                                 report_dir / "findings" / "prove")
        return code == 0 and not found, doc.get("statement", ""), "", found
    return fn


@command("prove", "every program up to a bound, checked: what was proved, each counterexample once with its "
         "smallest witness", arguments)
def run_prove(args):
    """Runs every sequential program of up to --depth ops over the ops the build runs
    (sizes: 0, every rounding residue and the huge thresholds of its profile, up to
    --full-depth ops; the edges of a granule beyond), an injected failure at every call
    that can fail, and every schedule of 2 threads of up to --threads-depth ops each with at
    most --preemptions parked ops, each checked after every op and at its teardown. Prints
    what was proved ("exhaustive: all N programs of <= K ops over ..."), and each
    counterexample once per cause with its smallest witness, kept as a kit in
    build/<preset>-prove/findings/prove/. Exit 0: no counterexample; 1: counterexamples.

    The counts grow as the alphabet to the power of the depth: zmcheck's own build runs
    373 programs of 1 op, 153,529 of 2 and 15,129,072 of 3 (in about 45 s with the
    threads), a Redis line far fewer. --run TRACE replays one witness."""
    prepare(args.preset)
    if args.witness:
        binary = cmake.tool(args.preset, "zmcheck-prove")
        return 0 if shell.run([binary, "--run", args.witness], env=mutant_env() or None).code == 0 else 1
    out = Path(args.report) if args.report else paths.build_dir(args.preset).parent / f"{args.preset}-prove"
    json_path = Path(args.json) if args.json else out / "prove.json"
    code, doc, found = prove(args.preset, bounds_args(args), json_path, out / "findings" / "prove")
    print(f"\nzmcheck prove: {doc.get('statement', '')}")
    for o in found:
        print(f"  {o.ops} ops: {o.signature.headline or o.key}\n    kit: {o.kit}/\n    replay: {o.replay}")
    print(f"json: {paths.rel(json_path)}")
    return 1 if found or code else 0
