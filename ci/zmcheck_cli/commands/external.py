"""external: zmcheck's fuzz targets, properties and corpora against another team's zmalloc,
built from its sources unmodified, with the report the gate writes."""
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import cmake, deps, paths, profiles, shell, trees
from ..errors import EnvError, Failure, NothingChecked, UsageError
from ..registry import command
from .fuzzing import ALLOWANCE, add_baseline, load_baseline
from . import prove as prove_command
from .steps import Steps, ctest_step, fuzz_step, jobs

SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".C")
DEFINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(=.*)?$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DEFAULT_SECONDS = 45
FIXED_SEED = "seed=1"
# What the harness checks of zmcheck's own library only: not in zmalloc.h's API.
NOT_APPLICABLE = ("fuzz_proc_reference and properties/proc_parse_test (zmcheck's /proc parsers), "
                  "properties/cxx_allocator_test (its C++ header), properties/counter_relacy_test (its "
                  "counter core), the unit tests and the mutants")


@dataclass
class Plan:
    """What `external` builds, from its command line: checked, every path absolute."""
    name: str
    sources: list
    include_dirs: list = field(default_factory=list)
    definitions: list = field(default_factory=list)
    profile: profiles.Profile = None
    seconds: int = DEFAULT_SECONDS
    report_dir: Path = None
    tsan: bool = True
    notes: list = field(default_factory=list)   # how the sources and the profile were chosen

    def build(self, preset: str) -> str:
        """The build of one preset: build/external-<name>-<preset>/, a --preset name too."""
        return f"{cmake.EXTERNAL_PREFIX}{self.name}-{preset}"

    def cache_variables(self) -> dict:
        return {"ZM_SUT_SOURCES": ";".join(self.sources), "ZM_SUT_INCLUDE_DIRS": ";".join(self.include_dirs),
                "ZM_SUT_DEFINITIONS": ";".join(self.definitions), "ZM_PROFILE": self.profile.path}


def default_name(sources) -> str:
    """The folder of the sources ("oldstyle-zmalloc" for examples/oldstyle-zmalloc/zmalloc.c),
    or the first source's stem when they are in several folders."""
    folders = {Path(s).resolve().parent for s in sources}
    base = folders.pop().name if len(folders) == 1 else Path(sources[0]).stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-.") or "sut"


def tree_plan(args):
    """(sources, include dirs, definitions, profile, name, notes) of --tree DIR: the tree's
    zmalloc.c and src/, the line's profile (or --profile), the shape of --mode."""
    if args.sources or args.include or args.define:
        raise UsageError("--tree finds the sources, include folder and definitions itself: give no SOURCE, "
                         "--include or --define with it")
    tree = trees.read(args.tree)
    chosen = profiles.load(args.profile) if args.profile else None
    mode = args.mode or (chosen["accounting"] if chosen else tree.default_mode())
    if chosen and chosen["accounting"] != mode:
        raise UsageError(f"--mode {mode} builds the {mode} shape, but --profile {args.profile} describes "
                         f"{chosen['accounting']} accounting")
    definitions = tree.definitions(mode)
    profile = chosen or profiles.load(tree.profile_name(mode))
    sources = [str(tree.zmalloc_c), str(paths.root() / "harness" / "sut" / "server_hooks.c")]
    name = args.name or f"{tree.project}-{tree.version}-{mode}"
    notes = [f"tree: {tree.src} ({tree.project}, {tree.how})",
             f"shape: {tree.shape_note(mode)}" + (f"; define: {', '.join(definitions)}" if definitions else ""),
             f"contract: {'the profile given with --profile' if chosen else f'the profile of the {tree.project} {tree.line} line'}"
             + (f" ({tree.profile_name(mode)})" if not chosen else "")]
    for n in notes:
        print(f"zmcheck external: {n}", flush=True)
    return sources, [str(tree.src)], definitions, profile, name, notes


def make_plan(args) -> Plan:
    """The plan of a command line; UsageError for anything that cannot be built."""
    notes = []
    if getattr(args, "tree", None):
        sources, include_dirs, definitions, profile, name, notes = tree_plan(args)
    else:
        if getattr(args, "mode", None):
            raise UsageError("--mode chooses the shape of a --tree build; for sources, give --define and --profile")
        if not args.sources:
            raise UsageError("give the implementation's SOURCE files, or --tree DIR")
        sources = []
        for s in args.sources:
            p = Path(s)
            if not p.is_file():
                raise UsageError(f"{s}: no such source file")
            if p.suffix not in SOURCE_SUFFIXES:
                raise UsageError(f"{s}: not a C or C++ source ({', '.join(SOURCE_SUFFIXES)})")
            sources.append(str(p.resolve()))
        include_dirs = []
        for d in args.include:
            if not Path(d).is_dir():
                raise UsageError(f"--include {d}: no such folder")
            include_dirs.append(str(Path(d).resolve()))
        for d in args.define:
            if not DEFINE.match(d):
                raise UsageError(f"--define {d!r}: expected NAME or NAME=VALUE")
        definitions = list(args.define)
        profile = profiles.load(args.profile) if args.profile else profiles.load(profiles.default_path())
        name = args.name or default_name(args.sources)
    for value in sources + include_dirs + definitions:
        if ";" in value:
            raise UsageError(f"{value!r}: a ';' cannot be passed to CMake in a list")
    if args.seconds <= 0:
        raise UsageError("--seconds must be positive")
    if not NAME.match(name):
        raise UsageError(f"--name {name!r}: letters, digits, '.', '_' and '-' only")
    report_dir = Path(args.report).resolve() if args.report else paths.build_dir(f"external-{name}-report")
    return Plan(name, sources, include_dirs, definitions, profile, args.seconds, report_dir, not args.no_tsan, notes)


def contradiction(description: dict, profile) -> str:
    """Why the implementation, as built, contradicts its profile before the first op
    ("" if it does not): then nothing it would report could be trusted."""
    functions = description.get("functions", {})
    if profile["accounting"] == "prefix" and "zmalloc_size" in description.get("macros", []):
        return ("the profile describes prefix accounting (a size header), but this build of the implementation has "
                "none: its zmalloc.h makes zmalloc_size() a macro of the allocator's usable size (HAVE_MALLOC_SIZE). "
                "Build its prefix shape (--tree ... --mode prefix, or the define its zmalloc.h takes), or give a "
                "profile with accounting = usable")
    if profile["oom"] == "returns" and not functions.get("zmalloc_set_oom_handler"):
        return ("the profile says a failed allocation returns NULL after the OOM handler (oom = returns), but the "
                "implementation has no zmalloc_set_oom_handler(): no failure could be observed without ending the "
                "process. Set oom = fatal")
    return ""


def sut_notes(description: dict, tsan: bool) -> list:
    """What `zmcheck-trace --sut` says of the allocator, as lines of the report."""
    missing = [f for f, present in description.get("functions", {}).items()
               if not present and not f.startswith("zm_") and f not in description.get("unbound", {})]
    left_out = description.get("left_out", {})
    unbound = description.get("unbound", {})
    notes = ["functions of zmalloc.h it lacks: " + (", ".join(missing) if missing else "none"),
             "ops left out: " + (", ".join(f"{op} ({why})" for op, why in left_out.items()) if left_out else "none")]
    for name, real in description.get("aliases", {}).items():
        notes.append(f"{name}: its header renames it {real} (#define {name} {real}): bound by that name")
    for function, types in unbound.items():
        notes.append(f"{function}: left out, its type is not zmalloc.h's: the implementation has "
                     f"`{types.get('theirs')}`, zmalloc.h `{types.get('zmalloc.h')}`")
    if description.get("size_from_backend"):
        notes.append("zmalloc_size: no such function (a macro of malloc_usable_size): checked as the backend's "
                     "usable size, through the routed malloc_usable_size")
    if description.get("huge_sizes", "").startswith("skipped"):
        notes.append("huge sizes: not run (profile: huge = skip)")
    if description.get("oom") == "fatal":
        notes.append("out of memory is fatal (profile: oom = fatal): no call that would call the OOM handler is "
                     "made to fail; the failure paths checked are those of the try functions, if any")
    if description.get("thread_safety") == "after_enable" and description.get("functions", {}).get(
            "zmalloc_enable_thread_safeness"):
        notes.append("zmalloc_enable_thread_safeness(): an op of the single-thread targets (the rest of the case then "
                     "runs in a child process, as the switch cannot be undone); called before any thread starts")
    if description.get("racy_counter_reads"):
        notes.append("the reader races with the per-thread counters by design (profile: counter_reads = racy): "
                     "ThreadSanitizer reports of races in zmalloc_used_memory are not findings")
    if description.get("reads_may_wrap"):
        notes.append("a read while other threads update may wrap for a moment (profile: wrapped_reads = transient): "
                     "free-running reads are not checked for wrapping; every quiescent total is checked exactly")
    if description.get("preemptible"):
        notes.append("threads: the deterministic scheduler parks ops at the allocator's preemption points")
    else:
        notes.append("threads: the allocator has no preemption points the deterministic scheduler can reach, so "
                     "threaded programs run one whole op at a time; fuzz_threads_model also runs each input as "
                     "free-running threads, and properties/threads_test has a free-running property"
                     + (", run under ThreadSanitizer too" if tsan else " (ThreadSanitizer not run: --no-tsan)"))
    if description.get("threads"):
        notes.append("threads of the fuzz targets and properties: " + description["threads"])
    return notes


def accepts(description: dict) -> list:
    """What the profile lets pass, as report.md's "accepted by the profile" lists it."""
    out = []
    if description.get("reads_may_wrap"):
        out.append("wrapped_reads = transient: a read of used_memory while threads update it may wrap")
    if description.get("racy_counter_reads"):
        out.append("counter_reads = racy: ThreadSanitizer's reports of zmalloc_used_memory's races are suppressed")
    return out


def raise_(error):
    raise error


def arguments(p):
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="the implementation's C/C++ sources, as they are (zmalloc.c ...); before the options")
    p.add_argument("--tree", metavar="DIR",
                   help="a Redis or Valkey source tree (its root or its src/): zmalloc.c, its headers, its version "
                        "and the profile of its release line are found there")
    p.add_argument("--mode", choices=("prefix", "usable"),
                   help="with --tree: the shape to build (default: a plain glibc build's: usable from Redis 5.0, "
                        "prefix before)")
    p.add_argument("--include", "-I", action="append", default=[], metavar="DIR",
                   help="an include folder of theirs (repeatable)")
    p.add_argument("--define", "-D", action="append", default=[], metavar="NAME[=V]",
                   help="a preprocessor definition for their sources (repeatable)")
    p.add_argument("--profile", help="their accounting contract: a file, or the name of one in profiles/ "
                                     "(redis-5.0-prefix; profiles/README.md); default: the line's with --tree, "
                                     "else zmcheck-prefix, zmcheck's own")
    p.add_argument("--seconds", type=int, default=DEFAULT_SECONDS,
                   help=f"fuzzing seconds per target (default: {DEFAULT_SECONDS}); each target's step, its crashes "
                        f"confirmed and minimised, takes at most SECONDS + {ALLOWANCE}")
    add_baseline(p)
    p.add_argument("--name", help="names the builds build/external-<name>-{default,fuzz,tsan}/ "
                                  "(default: the sources' folder)")
    p.add_argument("--report", help="where report.md, junit.xml and findings/ go "
                                    "(default: build/external-<name>-report)")
    p.add_argument("--no-tsan", action="store_true", help="skip the ThreadSanitizer build of the threads property")


@command("external", "the fuzz targets, properties and corpora against another zmalloc's sources, unmodified, "
         "with a profile of its contract; report.md + junit.xml", arguments)
def run_external(args):
    """Builds SOURCES (with --include and --define), or the zmalloc.c of a Redis or Valkey
    source tree (--tree DIR, in the shape of --mode), as the system under test of the
    harness, in a default build (gcc), a fuzz build (clang, libFuzzer, ASan+UBSan) and a
    TSan build, all over the test backend: their malloc, calloc, realloc and free are
    routed to it at build time (harness/sut/route_backend.h), so their code is not
    changed. Functions whose type differs from zmalloc.h's are left out. --profile is
    their accounting contract (with --tree: the profile of the tree's release line,
    read off its version.h). Then it replays every corpus, runs the properties with a
    fixed seed and a random one, fuzzes each target for --seconds, and runs the threads
    property under ThreadSanitizer. Writes report.md and junit.xml (findings with their
    kits in findings/) into --report.
    Exit 0 when every invariant held, 1 with findings, 2 when nothing can be checked (the
    sources do not build, they lack zmalloc or zmalloc_used_memory, or they contradict
    the profile before the first op; one line says which) or the command line is wrong."""
    start = time.monotonic()
    plan = make_plan(args)
    baseline = load_baseline(getattr(args, "baseline", None))
    seed = random.SystemRandom().randrange(1, 2**31)
    notes = plan.notes + [
        f"system under test: {', '.join(paths.rel(s) for s in plan.sources)}"
        + (f"; include: {', '.join(paths.rel(d) for d in plan.include_dirs)}" if plan.include_dirs else "")
        + (f"; define: {', '.join(plan.definitions)}" if plan.definitions else ""),
        f"profile: {paths.rel(plan.profile.path)} ({plan.profile['name']}): {plan.profile.describe()}",
        f"random RapidCheck seed: {seed} (replay: RC_PARAMS=seed={seed})",
        f"fuzz budget: {plan.seconds} s per target, each fuzz step at most {plan.seconds + ALLOWANCE} s",
        f"not applicable to another implementation: {NOT_APPLICABLE}"]
    if os.environ.pop("ZM_MUTANT", None):
        notes.append("ZM_MUTANT was set: ignored, the mutants are zmcheck's own")
    print(f"zmcheck external: {plan.name}, random RapidCheck seed {seed}; report in {paths.rel(plan.report_dir)}",
          flush=True)
    if baseline:
        notes.append(f"baseline: {args.baseline} ({len(baseline)} known finding(s) do not fail the run)")
    s = Steps(plan.report_dir, f"zmcheck external: {plan.name}", "zmcheck.external", notes, "external", baseline)
    s.step("dependencies", "ci/zmcheck build", lambda: (deps.ensure() or True, "all packages installed"))
    default, fuzz, tsan = plan.build("default"), plan.build("fuzz"), plan.build("tsan")
    variables = plan.cache_variables()
    replay_configure = {p: shell.command_line(["cmake", "--preset", p, "-B", f"build/{plan.build(p)}"]
                                              + [f"-D{k}={v}" for k, v in variables.items()])
                        for p in ("default", "fuzz", "tsan")}
    build_errors = {}

    def build_step(preset, targets=None):
        def fn():
            log = paths.build_dir(plan.build(preset)).parent / f"{plan.build(preset)}.build.log"
            try:
                cmake.configure_external(plan.build(preset), preset, variables, log=log)
                wanted = targets() if callable(targets) else targets
                cmake.build(plan.build(preset), wanted, jobs=jobs(), log=log)
            except Failure:
                build_errors[preset] = cmake.first_error(log)
                raise
            return True, f"build/{plan.build(preset)}" + (f" ({', '.join(wanted)})" if wanted else "")
        return fn

    def nothing_checked(cause):
        s.abandon(cause)
        raise NothingChecked(f"nothing can be checked: {cause}")

    s.step("build default", f"{replay_configure['default']} && cmake --build build/{default}",
           build_step("default"), needs=["dependencies"])
    if not s.held("dependencies"):
        nothing_checked(s.steps[-2].figures)
    if not s.held("build default"):
        nothing_checked(f"the sources do not build: {build_errors.get('default') or s.steps[-1].figures} "
                        f"(replay: {replay_configure['default']} && cmake --build build/{default})")
    description = {}

    def describe():
        tool = paths.build_dir(default) / "harness" / "zmcheck-trace"
        result = shell.run([tool, "--sut"], capture=True)
        if result.code == 2:
            nothing_checked(result.output.strip().splitlines()[-1].removeprefix("zmcheck: nothing can be checked: "))
        if result.code != 0:
            raise Failure(f"zmcheck-trace --sut failed: {result.output.strip()[-500:]}")
        description.update(json.loads(result.output))
        why = contradiction(description, plan.profile)
        if why:
            nothing_checked(f"the implementation contradicts its profile: {why}")
        notes[len(plan.notes) + 2:len(plan.notes) + 2] = sut_notes(description, plan.tsan)
        s.accepts = accepts(description)
        missing = sum(not v for k, v in description["functions"].items() if not k.startswith("zm_"))
        return True, (f"{missing} function(s) of zmalloc.h missing, {len(description.get('unbound', {}))} of "
                      f"another type, {len(description['left_out'])} op(s) left out, "
                      f"preemption points: {'yes' if description['preemptible'] else 'no'}")

    s.step("the allocator under test", f"build/{default}/harness/zmcheck-trace --sut", describe,
           needs=["build default"])
    s.step("prove", f"ci/zmcheck prove --preset {default}", prove_command.prove_step(default, plan.report_dir),
           needs=["the allocator under test"])
    s.step("build fuzz", f"{replay_configure['fuzz']} && cmake --build build/{fuzz}",
           build_step("fuzz", lambda: cmake.manifest(fuzz).names() + ["zmcheck-trace"]), needs=["dependencies"])
    for build, preset in ((default, "default"), (fuzz, "fuzz")):
        s.step(f"corpus ({preset})", f"ctest --test-dir build/{build} -L corpus",
               ctest_step(build, "corpus", name=f"corpus-{preset}", log_prefix="external"), needs=[f"build {preset}"])
    for rc in (FIXED_SEED, f"seed={seed}"):
        s.step(f"properties {rc} (default)", f"RC_PARAMS={rc} ctest --test-dir build/{default} -L properties",
               ctest_step(default, "properties", {"RC_PARAMS": rc}, f"properties-{rc.split('=')[1]}", "external"),
               needs=["build default"])
    names = []
    if s.held("build fuzz"):
        try:
            names = cmake.manifest(fuzz, build_if_missing=False).names()
        except EnvError as e:
            s.step("fuzz", f"ci/zmcheck list --preset {fuzz}", lambda e=e: raise_(e))
    for t in names:
        s.step(f"fuzz {t} ({plan.seconds} s)",
               f"ci/zmcheck fuzz --preset {fuzz} --target {t} --seconds {plan.seconds} --no-merge",
               fuzz_step(t, plan.seconds, preset=fuzz, findings_root=plan.report_dir / "findings"),
               needs=["build fuzz"])
    if plan.tsan:
        s.step("build tsan (threads_test)", f"{replay_configure['tsan']} && cmake --build build/{tsan} "
               "--target threads_test", build_step("tsan", ["threads_test"]), needs=["dependencies"])
        s.step("threads property (tsan)",
               f"RC_PARAMS={FIXED_SEED} ctest --test-dir build/{tsan} -R '^properties/threads_test$'",
               ctest_step(tsan, "properties", {"RC_PARAMS": FIXED_SEED}, "threads-tsan", "external",
                          regex="^properties/threads_test$"),
               needs=["build tsan (threads_test)"])
    ok = s.summary(start)
    return 0 if ok else 1
