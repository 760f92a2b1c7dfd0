"""coverage: llvm-cov of the corpus replayed by every target."""
import shutil

from .. import cmake, libfuzzer, paths, shell
from ..errors import Failure
from ..registry import command
from .common import prepare

PROFDATA, COV = "llvm-profdata-14", "llvm-cov-14"


@command("coverage", "llvm-cov HTML and per-file summary (src/) of the corpus")
def run_coverage(args):
    """Builds the coverage preset, replays every target's corpus with LLVM_PROFILE_FILE,
    merges the profiles (llvm-profdata-14) and writes llvm-cov-14 HTML into
    build/coverage/html and a per-file summary restricted to src/."""
    prepare("coverage")
    m = cmake.manifest("coverage")
    cmake.build("coverage", m.names())  # the replay binaries only, not the tests
    m = cmake.manifest("coverage")
    out = paths.build_dir("coverage")
    raw = out / "profiles"
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    failed = []
    for t in m.targets:
        env = {"LLVM_PROFILE_FILE": str(raw / f"{t.name}-%p.profraw")}
        r = shell.run([t.binary, t.corpus], env=libfuzzer.sanitizer_env(env), capture=True, timeout=1800)
        print(r.output.strip().splitlines()[-1] if r.output.strip() else "")
        if r.code != 0:
            failed.append(t.name)
    profiles = sorted(str(p) for p in raw.glob("*.profraw"))
    if not profiles:
        raise Failure("no profiles were written")
    merged = out / "corpus.profdata"
    if shell.run([PROFDATA, "merge", "-sparse", *profiles, "-o", merged]).code != 0:
        raise Failure("llvm-profdata-14 merge failed")
    objects = [t.binary for t in m.targets]
    args_objs = [objects[0]] + [x for o in objects[1:] for x in ("-object", o)]
    src = str(paths.root() / "src")
    html = out / "html"
    if shell.run([COV, "show", "-format=html", f"-output-dir={html}", f"-instr-profile={merged}",
                  *args_objs, src]).code != 0:
        raise Failure("llvm-cov-14 show failed")
    report = shell.run([COV, "report", f"-instr-profile={merged}", *args_objs, src], capture=True)
    print("\n==== zmcheck coverage: the corpus over src/")
    print(report.output.rstrip())
    print(f"\nHTML: {paths.rel(html / 'index.html')}")
    if failed:
        print(f"zmcheck coverage: corpus replay crashed in {', '.join(failed)} (ci/zmcheck test shows which file)")
        return 1
    return 0 if report.code == 0 else 1
