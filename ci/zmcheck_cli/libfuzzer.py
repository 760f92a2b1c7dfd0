"""libFuzzer runs: flags from a target's .dict and .options, time-boxed fuzzing on all
cores with progress, crash re-runs, -minimize_crash and -merge."""
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import deps, shell
from .errors import EnvError

# Per-input timeout: longer than the scheduler's 30 s watchdog (harness/scheduler.h), so
# that a deadlock is reported by the scheduler, with its story, rather than by libFuzzer.
TIMEOUT_S = 45
RSS_LIMIT_MB = 2048
ARTIFACT_KINDS = ("crash-", "leak-", "timeout-", "oom-")


def options_flags(path) -> list:
    """The [libfuzzer] section of an OSS-Fuzz .options file as flags. `dict` is left
    out: the driver passes the target's dictionary by its full path."""
    flags, section = [], None
    if not path or not os.path.exists(path):
        return flags
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == "libfuzzer" and "=" in line:
            key, value = (s.strip() for s in line.split("=", 1))
            if key != "dict":
                flags.append(f"-{key}={value}")
    return flags


def base_flags(target, dictionary=True) -> list:
    """What every run of a target gets: explicit limits, its dictionary and options."""
    flags = [f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}"]
    if dictionary and target.dict and os.path.exists(target.dict):
        flags.append(f"-dict={target.dict}")
    return flags + options_flags(target.options)


SANITIZER_SETTINGS = {
    "ASAN_OPTIONS": "symbolize=1:abort_on_error=0:detect_leaks=1:allocator_may_return_null=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:symbolize=1:halt_on_error=1",
    "ASAN_SYMBOLIZER_PATH": deps.SYMBOLIZER,
}


def sanitizer_env(extra=None) -> dict:
    """Symbolized reports, stacks for UBSan too: set once in our environment (unless
    already set there), so that every run inherits them and the printed commands stay
    short. Returns the per-run variables. ZM_MUTANT passes through from ours."""
    missing = {k: v for k, v in SANITIZER_SETTINGS.items() if k not in os.environ}
    if missing:
        os.environ.update(missing)
        print("zmcheck: for every run: " + " ".join(f"{k}={v}" for k, v in missing.items()), flush=True)
    return dict(extra or {})


def artifacts(directory) -> list:
    """Crash files libFuzzer wrote into a directory, oldest first."""
    d = Path(directory)
    if not d.is_dir():
        return []
    found = [p for p in d.iterdir() if p.is_file() and any(k in p.name for k in ARTIFACT_KINDS)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


@dataclass
class Progress:
    """What libFuzzer's status lines say so far."""
    executions: int = 0
    coverage: int = 0
    corpus: int = 0
    exec_per_s: int = 0
    crashes: int = 0
    final: dict = field(default_factory=dict)

    STATUS = re.compile(r"^#(\d+)")
    FIELDS = {"coverage": re.compile(r"\bcov: (\d+)"), "corpus": re.compile(r"\bcorp: (\d+)"),
              "exec_per_s": re.compile(r"\bexec/s:? (\d+)")}
    FORK_CRASHES = re.compile(r"oom/timeout/crash: (\d+)/(\d+)/(\d+)")
    STAT = re.compile(r"^stat::(\w+):\s+(\d+)")

    def feed(self, line: str):
        m = self.STATUS.match(line)
        if m:
            self.executions = max(self.executions, int(m.group(1)))
            for name, pattern in self.FIELDS.items():
                f = pattern.search(line)
                if f:
                    setattr(self, name, int(f.group(1)))
            f = self.FORK_CRASHES.search(line)
            if f:
                self.crashes = max(self.crashes, sum(int(x) for x in f.groups()))
        m = self.STAT.match(line)
        if m:
            self.final[m.group(1)] = int(m.group(2))
            if m.group(1) == "number_of_executed_units":
                self.executions = max(self.executions, int(m.group(2)))


def executions_of(output: str) -> int:
    """Executions of a finished libFuzzer run: its final stats, or the last "#N" line."""
    p = Progress()
    for line in output.splitlines():
        p.feed(line)
    return p.final.get("number_of_executed_units", p.executions)


# Seconds libFuzzer's jobs get to wind down after -max_total_time before they are stopped.
WIND_DOWN_S = 10


def fuzz(target, corpus: Path, artifact_dir: Path, log: Path, seconds: int, jobs: int, seed=None,
         env=None, label=None) -> Progress:
    """Fuzzes one target for `seconds` on `jobs` processes (libFuzzer -fork), crashes kept
    going (-ignore_crashes=1), new inputs written into `corpus` (a working copy), crash
    files into `artifact_dir` as <target>-crash-<sha1>. A progress line every ~10 s; the
    run is stopped WIND_DOWN_S after its time."""
    artifact_dir.mkdir(parents=True, exist_ok=True)
    cmd = [target.binary, *base_flags(target), f"-fork={jobs}", "-ignore_crashes=1",
           f"-max_total_time={seconds}", f"-artifact_prefix={artifact_dir}/{target.name}-",
           "-print_final_stats=1", "-close_fd_mask=0"]
    if seed is not None:
        cmd.append(f"-seed={seed}")
    cmd.append(str(corpus))
    env = sanitizer_env(env)
    mutant = os.environ.get("ZM_MUTANT")
    shell.show(cmd, {"ZM_MUTANT": mutant} if mutant else None)
    progress = Progress()
    start = time.monotonic()
    with open(log, "w", encoding="utf-8", errors="replace") as out:
        try:
            proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=shell.environment(env), start_new_session=True)
        except FileNotFoundError:
            raise EnvError(f"{target.binary} is missing: build the preset first") from None

        def reader():
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace")
                out.write(line)
                progress.feed(line)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        deadline = start + seconds + WIND_DOWN_S  # the outer timeout: libFuzzer's jobs wind down
        next_line = start + 10
        try:
            while proc.poll() is None:
                time.sleep(0.5)
                now = time.monotonic()
                if now >= next_line:
                    print_progress(label or target.name, now - start, seconds, progress, artifact_dir)
                    next_line = now + 10
                if now > deadline:
                    print(f"zmcheck: {target.name} ran past its budget by {WIND_DOWN_S} s: stopped", flush=True)
                    shell.kill_group(proc)
                    break
        except KeyboardInterrupt:
            shell.kill_group(proc)
            raise
        proc.wait()
        thread.join(timeout=10)
    elapsed = time.monotonic() - start
    print_progress(label or target.name, elapsed, seconds, progress, artifact_dir, done=True)
    progress.exec_per_s = int(progress.executions / elapsed) if elapsed > 1 else progress.exec_per_s
    progress.code = proc.returncode
    return progress


def print_progress(name, elapsed, budget, p: Progress, artifact_dir, done=False):
    crashes = len(artifacts(artifact_dir))
    state = "done" if done else f"{elapsed:4.0f}s/{budget}s"
    rate = int(p.executions / elapsed) if elapsed > 1 else p.exec_per_s  # all jobs together
    print(f"  {name:<22} {state:>10}  {p.executions:>10} execs  {rate:>6} exec/s  "
          f"cov {p.coverage:>5}  corpus {p.corpus:>5}  crashes {crashes}", flush=True)
    sys.stdout.flush()


def max_len(target):
    """The target's max_len (its .options), or None."""
    for flag in options_flags(getattr(target, "options", None)):
        if flag.startswith("-max_len="):
            return int(flag.split("=", 1)[1])
    return None


def replay(binary, files, env=None, timeout=TIMEOUT_S * 2, extra_flags=None, max_len=None) -> shell.Result:
    """Runs a target once on each file (libFuzzer or replay main alike), output captured;
    with max_len, longer inputs are cut to it (both do, as libFuzzer does when fuzzing)."""
    cmd = [binary, *(extra_flags if extra_flags is not None else
                     [f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}"]),
           *([f"-max_len={max_len}"] if max_len else []), *files]
    return shell.run(cmd, env=sanitizer_env(env), capture=True, timeout=timeout)


def crashed(result: shell.Result) -> bool:
    return result.code != 0 or result.timed_out


def minimize(target, file, out, env=None, runs=20000, seconds=60) -> shell.Result:
    """libFuzzer -minimize_crash: the smallest input that still crashes, into `out`."""
    cmd = [target.binary, f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}", "-minimize_crash=1",
           f"-runs={runs}", f"-max_total_time={seconds}", f"-exact_artifact_path={out}",
           *([f"-max_len={max_len(target)}"] if max_len(target) else []), str(file)]
    return shell.run(cmd, env=sanitizer_env(env), capture=True, timeout=seconds + 120)


def merge(target, into: Path, inputs, env=None, seconds=600) -> shell.Result:
    """libFuzzer -merge=1: the files of `inputs` that add coverage over `into`, copied into it."""
    cmd = [target.binary, *base_flags(target, dictionary=False), "-merge=1", str(into), *map(str, inputs)]
    return shell.run(cmd, env=sanitizer_env(env), capture=True, timeout=seconds)
