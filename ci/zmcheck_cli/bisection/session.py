"""What a bisection replays and how it builds each commit: read from the command line
and the finding's kit, checked before anything is built, and saved as JSON for the
command `git bisect run` runs at each commit (step.py)."""
import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths, profiles, traces
from ..errors import UsageError

DEFAULT_RUNS = 3
NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Session:
    repo: str                 # the repository bisected
    name: str                 # names build/external-bisect-<name>/ and build/bisect-<name>/
    tree_path: str = "."      # the folder, inside the repository, of zmalloc.c (or of its src/)
    target: str = ""          # the fuzz target, or the property binary
    input: str = ""           # the input replayed (a fuzz finding)
    trace: str = ""           # or the trace it is encoded from, its ops as they ran (one op table: the same
                              # bytes at every commit; a commit that cannot run one of them is skipped)
    trace_from: str = ""      # where the trace came from
    property_test: str = ""   # or: the property binary (properties/<name>.cpp) ...
    rc_params: str = ""       # ... replayed with RC_PARAMS
    signature: str = ""       # the key the replays must show ("": the one BAD shows)
    runs: int = DEFAULT_RUNS
    profile: str = ""         # a profile file, from --profile or the kit ("": the tree's line profile)
    profile_from: str = ""    # "--profile", "the kit", ""
    mode: str = ""            # --mode: the shape built, as `external --tree` builds it
    definitions: list = None  # without --mode: the kit's definitions (None: none known)
    kit: str = ""             # the kit's folder, when there is one

    @property
    def build_name(self) -> str:
        """The build of every commit: build/external-bisect-<name>/, a --preset name too."""
        return f"external-bisect-{self.name}"

    @property
    def scratch(self) -> Path:
        """build/bisect-<name>/: the worktree, the cache of binaries, the logs, the state."""
        return paths.build_dir(f"bisect-{self.name}")

    @property
    def worktree(self) -> Path:
        return self.scratch / "worktree"

    @property
    def cache(self) -> Path:
        return self.scratch / "cache"

    @property
    def state_file(self) -> Path:
        return self.scratch / "state.json"

    @property
    def tested_file(self) -> Path:
        """One JSON line per commit tested in this run."""
        return self.scratch / "tested.jsonl"

    def save(self) -> Path:
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(dataclasses.asdict(self), indent=2) + "\n", encoding="utf-8")
        return self.state_file


def load(path) -> Session:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Session(**{f.name: data[f.name] for f in dataclasses.fields(Session) if f.name in data})


def default_name(repo: Path) -> str:
    """The repository's folder name, as a build name: "redis-clone"."""
    return NAME.sub("-", repo.name).strip("-.") or "repo"


@dataclass
class Finding:
    """What a FINDING argument holds: the input (or its trace), its target and signature,
    its kit."""
    input: Path
    target: str = ""
    signature: str = ""
    kit: Path = None
    sut: dict = field(default_factory=dict)
    trace: str = ""       # the ops to replay, when there is a trace
    trace_from: str = ""


def kit_trace(kit: Path) -> str:
    """The ops of a kit's trace.txt that ran when it was made ("" when it has no op trace)."""
    f = kit / "trace.txt"
    if not f.is_file() or not traces.is_trace(f):
        return ""
    return traces.ops_that_ran(f.read_text(encoding="utf-8", errors="replace"))


def read_finding(path) -> Finding:
    """A kit folder (finding.json; the ops of its trace.txt, else input.min, else input),
    a trace file or a bare input file."""
    p = Path(path)
    if p.is_file():
        if traces.is_trace(p):
            text = p.read_text(encoding="utf-8", errors="replace")
            return Finding(p.resolve(), trace=text, trace_from=str(p))
        return Finding(p.resolve())
    if not p.is_dir():
        raise UsageError(f"{path}: no such kit folder or input file")
    info_path = p / "finding.json"
    if not info_path.is_file():
        raise UsageError(f"{path}: a kit folder has a finding.json (made by ci/zmcheck fuzz or external); "
                         f"none there. Give the input file itself with --target")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise UsageError(f"{info_path}: not JSON ({e})") from None
    for name in ("input.min", "input"):
        if (p / name).is_file():
            trace = kit_trace(p)
            return Finding((p / name).resolve(), info.get("target", ""), info.get("signature", ""), p.resolve(),
                           info.get("sut") or {}, trace, str(p / "trace.txt") if trace else "")
    raise UsageError(f"{path}: the kit has no input.min or input")


def target_of_trace(text: str) -> str:
    """The target of a trace's dialect; UsageError asking for --target when it names none."""
    names = sorted(f.stem for f in (paths.root() / "fuzz").glob("fuzz_*_model.cpp"))
    return traces.target_of(text, names)


def known_target(name: str) -> str:
    """A fuzz target of zmcheck's (fuzz/<name>.cpp); UsageError listing them otherwise."""
    if not (paths.root() / "fuzz" / f"{name}.cpp").is_file():
        names = sorted(f.stem for f in (paths.root() / "fuzz").glob("fuzz_*.cpp"))
        raise UsageError(f"--target {name}: no such fuzz target (the targets: {', '.join(names)})")
    return name


def known_property(name: str) -> str:
    if not (paths.root() / "properties" / f"{name}.cpp").is_file():
        names = sorted(f.stem for f in (paths.root() / "properties").glob("*_test.cpp"))
        raise UsageError(f"--property {name}: no such property binary (the properties: {', '.join(names)})")
    return name


def make(args, repo: Path) -> Session:
    """The session of a command line (the repository already checked); UsageError for
    anything that cannot be bisected, before anything is built."""
    if args.runs < 1:
        raise UsageError(f"--runs {args.runs}: at least 1 replay per commit")
    s = Session(str(repo), default_name(repo), args.tree_path.strip("/") or ".", runs=args.runs,
                mode=args.mode or "")
    if args.property:
        if args.finding:
            raise UsageError("--property replays a property with --rc-params: give no FINDING with it")
        if not args.rc_params:
            raise UsageError("--property needs --rc-params 'reproduce=...' (the line the failing property printed)")
        s.property_test = s.target = known_property(args.property)
        s.rc_params = args.rc_params.removeprefix("RC_PARAMS=").strip("'\"")
    else:
        if args.rc_params:
            raise UsageError("--rc-params goes with --property NAME")
        if bool(args.finding) == bool(args.trace):
            raise UsageError("give a FINDING (a kit folder of findings/, a trace file, or an input file with --target), "
                             "or --trace TEXT, or --property NAME --rc-params 'reproduce=...'")
        if args.trace:
            text = traces.read_text_or_trace(text=args.trace)[0]
            finding = Finding(Path(), trace=text, trace_from="--trace")
        else:
            finding = read_finding(args.finding)
        if finding.trace and not finding.kit and not args.target:
            finding.target = target_of_trace(finding.trace)
        if finding.kit and not finding.target and not args.target:
            raise UsageError(f"{args.finding}: the kit's finding.json names no \"target\": give --target")
        if not finding.kit and not finding.target and not args.target:
            raise UsageError(f"{args.finding} is a bare input: give its fuzz target with --target")
        if finding.target and args.target and finding.target != args.target:
            raise UsageError(f"--target {args.target}, but the kit's finding.json says {finding.target}")
        s.target = known_target(args.target or finding.target)
        s.input, s.signature = str(finding.input), finding.signature
        s.trace, s.trace_from = finding.trace, finding.trace_from
        s.kit = str(finding.kit) if finding.kit else ""
        if finding.sut:
            s.definitions = list(finding.sut.get("definitions") or [])
            if finding.sut.get("profile"):
                s.profile, s.profile_from = finding.sut["profile"], "the kit"
    if args.profile:
        s.profile, s.profile_from = args.profile, "--profile"
    if s.profile:
        try:
            chosen = profiles.load(s.profile)
        except UsageError as e:
            raise UsageError(f"the profile of {s.profile_from}: {e}") from None
        s.profile = chosen.path
        if s.mode and chosen["accounting"] != s.mode:
            raise UsageError(f"--mode {s.mode} builds the {s.mode} shape, but the profile {s.profile} "
                             f"({s.profile_from}) describes {chosen['accounting']} accounting")
    return s
