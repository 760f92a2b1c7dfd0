"""Executions per second of the fuzz targets: each target run R times for S seconds from
the same start corpus (a fresh copy each time), the median beside the empty target's (the
ceiling: what libFuzzer itself costs with the same flags), and beside another commit's
build when there is one. The runs of all the builds interleave, so that a slow moment of
the machine falls on each of them."""
import json
import re
import shutil
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import libfuzzer, shell

STAT = re.compile(r"^stat::(number_of_executed_units|average_exec_per_sec):\s+(\d+)", re.M)
DONE = re.compile(r"^#\d+\s+DONE\s+cov: (\d+) ft: (\d+)", re.M)
PERF_ROW = re.compile(r"^\s+([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.+?)\s*$")


@dataclass
class Binary:
    """One build's binary of a target (or the ceiling), and what it is run with."""
    build: str          # "this build", or the baseline's label
    name: str
    path: str
    flags: list
    start_corpus: str   # the folder copied afresh for each run
    runs: list = field(default_factory=list)   # exec/s of each run
    coverage: list = field(default_factory=list)  # (edges, features) at the end of each run
    crashed: list = field(default_factory=list)  # crash files a run wrote

    @property
    def median(self) -> int:
        return int(statistics.median(self.runs)) if self.runs else 0

    @property
    def median_coverage(self) -> tuple:
        """The medians of the runs' final edges (cov) and features (ft); (0, 0) without."""
        if not self.coverage:
            return 0, 0
        return (int(statistics.median(c for c, _ in self.coverage)),
                int(statistics.median(f for _, f in self.coverage)))


def exec_per_second(output: str) -> int:
    """libFuzzer's final stats (-print_final_stats=1): its average executions per second."""
    stats = {k: int(v) for k, v in STAT.findall(output)}
    return stats.get("average_exec_per_sec", 0)


def fuzz_once(binary: Binary, seconds: int, seed: int, work: Path, artifacts: Path, prefix=()) -> str:
    """One libFuzzer run of `seconds` (under `prefix`, a command such as perf record) from
    a fresh copy of the start corpus; its output. A crash file it writes is kept in
    `artifacts` and named in binary.crashed."""
    corpus = Path(tempfile.mkdtemp(prefix=f"{binary.name}-", dir=work))
    if binary.start_corpus and Path(binary.start_corpus).is_dir():
        for f in sorted(Path(binary.start_corpus).iterdir()):
            if f.is_file():
                shutil.copy(f, corpus / f.name)
    artifacts.mkdir(parents=True, exist_ok=True)
    cmd = [*prefix, binary.path, *binary.flags, f"-max_total_time={seconds}", f"-seed={seed}", "-print_final_stats=1",
           f"-artifact_prefix={artifacts}/{binary.name}-", str(corpus)]
    before = set(libfuzzer.artifacts(artifacts))
    result = shell.run(cmd, env=libfuzzer.sanitizer_env(), capture=True, timeout=seconds + 120, quiet=True)
    shutil.rmtree(corpus, ignore_errors=True)
    binary.crashed += [str(p) for p in libfuzzer.artifacts(artifacts) if p not in before]
    return result.output


def coverage(output: str) -> tuple:
    """libFuzzer's last DONE line: (edges covered, features), (0, 0) without one."""
    found = DONE.findall(output)
    return (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)


def run_once(binary: Binary, seconds: int, seed: int, work: Path, artifacts: Path) -> int:
    """One measured run; its exec/s, also added to binary.runs (its coverage to
    binary.coverage)."""
    output = fuzz_once(binary, seconds, seed, work, artifacts)
    rate = exec_per_second(output)
    binary.runs.append(rate)
    binary.coverage.append(coverage(output))
    return rate


def measure(binaries, seconds: int, runs: int, work: Path, artifacts: Path, progress=print):
    """R rounds; in each, every binary once, in turn (the same seed for all in a round)."""
    for r in range(runs):
        for b in binaries:
            rate = run_once(b, seconds, r + 1, work, artifacts)
            progress(f"  run {r + 1}/{runs}  {b.build:<14} {b.name:<22} {rate:>8} exec/s")


def perf_profile(binary: Binary, seconds: int, work: Path, artifacts: Path, rows=12) -> list:
    """Where the time of one run goes: `perf record` over it, the symbols with the most
    samples of their own ([(percent, dso, symbol)]). [] when perf is missing."""
    if shell.which("perf") is None:
        return []
    data = work / f"{binary.name}.perf.data"
    fuzz_once(binary, seconds, 1, work, artifacts, prefix=("perf", "record", "-q", "-o", data, "--"))
    report = shell.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio",
                        "--percent-limit", "1"], capture=True, quiet=True)
    return perf_rows(report.output, rows)


def perf_rows(text: str, rows=12) -> list:
    """The first rows of `perf report --sort dso,symbol --stdio`: (percent, dso, symbol)."""
    found = []
    for line in text.splitlines():
        m = PERF_ROW.match(line)
        if m:
            found.append((float(m.group(1)), m.group(2), m.group(4).strip()[:90].strip()))
    return found[:rows]


def table(binaries, ceiling, baseline_label=None) -> list:
    """The report's rows: target, median, runs, share of the ceiling, and the baseline's
    median and ratio when there is a baseline."""
    ours = [b for b in binaries if b.build == "this build" and b is not ceiling]
    theirs = {b.name: b for b in binaries if b.build != "this build"}
    head = "| target | exec/s (median) | runs | of the empty target | cov / ft (median) |"
    rule = "|---|---|---|---|---|"
    if baseline_label:
        head += f" {baseline_label} (median) | this / {baseline_label} | {baseline_label} cov / ft |"
        rule += "---|---|---|"
    lines = [head, rule]

    def cov(b):
        edges, features = b.median_coverage
        return f"{edges:,} / {features:,}" if edges else "-"

    for b in ours:
        share = f"{100.0 * b.median / ceiling.median:.2f} %" if ceiling and ceiling.median else "-"
        row = f"| {b.name} | {b.median:,} | {', '.join(f'{r:,}' for r in b.runs)} | {share} | {cov(b)} |"
        if baseline_label:
            other = theirs.get(b.name)
            if other is not None and other.median:
                row += f" {other.median:,} | {b.median / other.median:.2f} | {cov(other)} |"
            else:
                row += " - | - | - |"
        lines.append(row)
    if ceiling is not None:
        lines.append(f"| {ceiling.name} (the ceiling) | {ceiling.median:,} | "
                     f"{', '.join(f'{r:,}' for r in ceiling.runs)} | 100 % | - |" +
                     (" - | - | - |" if baseline_label else ""))
    return lines


def as_json(binaries, seconds, runs) -> str:
    return json.dumps({"seconds": seconds, "runs": runs,
                       "binaries": [{"build": b.build, "name": b.name, "median": b.median, "runs": b.runs,
                                     "coverage": [list(c) for c in b.coverage], "crashed": b.crashed}
                                    for b in binaries]}, indent=2)

