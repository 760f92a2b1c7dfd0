"""Distinct findings: every failure a run saw (in a ctest log, a property's output, a fuzz
kit), grouped by its signature (signatures.py) within a step and across the whole run,
most severe first: memory errors and other sanitizer reports, then the accounting
invariants, then the contract's other rules; crashes that were not reproduced (flaky, or
not re-run before the deadline) come after every confirmed one. What report.md, junit.xml, the SARIF log
and findings.json say comes from here."""
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from . import paths, reports, signatures

SEVERITIES = ("memory error", "accounting", "contract")
ACCOUNTING = ("I1", "I2", "I5", "I6")
# Where a sanitizer's report ends: its SUMMARY line, else its stack and a blank line.
SANITIZER_START = re.compile(r"^.*(?:(?:ERROR|WARNING): \w+Sanitizer:|: runtime error: |ERROR: libFuzzer:).*$", re.M)
RC_REPRODUCE = re.compile(r'RC_PARAMS="(reproduce=[^"]+)"')


def severity(sig) -> int:
    """0 memory errors (any sanitizer or crash), 1 accounting (I1, I2, I5, I6), 2 the
    contract's other rules (I3, I4, I7, I8, a failed test without a report)."""
    if sig is None:
        return 2
    if sig.kind not in ("zmcheck", "test"):
        return 0
    return 1 if sig.what.split(" ")[0] in ACCOUNTING else 2


@dataclass
class Occurrence:
    step: str
    source: str                    # a test name, a kit folder
    signature: signatures.Signature
    excerpt: str                   # the first case as run (a zmcheck report, a sanitizer's)
    replay: str
    count: int = 1
    status: str = "confirmed"      # confirmed, flaky (did not crash again), unconfirmed (no time left)
    kit: str = ""
    ops: int = 0                   # the ops of its witness, where known (prove's, a kit's trace)

    @property
    def key(self) -> str:
        return self.signature.key

    @property
    def shape(self) -> str:
        """The shape of miscounting its why line names ("counts n + header unrounded"), or ""."""
        why = WHY.search(self.excerpt)
        return shapes_of(why.group(1)) if why else ""


# The shapes of miscounting a why line names (harness/executor.cpp's table): one bug shows
# the same shape at every op it breaks, whatever the invariant (an allocation's I1, a
# free's, the teardown's I5). Kept in step with harness/tools/zmcheck_prove.cpp.
SHAPES = (("n + header, unrounded", "counts n + header unrounded"),
          ("without the header", "counts a block without its header"),
          ("the header counted twice", "counts the header twice"),
          ("n + header rounded up to sizeof(long)", "rounds n + header to sizeof(long)"))


def shapes_of(why: str) -> str:
    found = "; ".join(shape for phrase, shape in SHAPES if phrase in why)
    if found and why.startswith("zmalloc_size counts"):
        return "zmalloc_size " + found
    return found


def causes(occurrences) -> dict:
    """The cause of each occurrence (by id): the shape its why names ("why: counts n +
    header unrounded"), so that every invariant one bug breaks is one finding; without one,
    its signature, or the cause of an occurrence with the same signature that names one
    (a threaded case explains nothing, a single-threaded one of the same bug does)."""
    shape = {id(o): o.shape for o in occurrences}
    by_signature = {}
    for o in occurrences:
        if shape[id(o)]:
            by_signature.setdefault(o.key, "why: " + shape[id(o)])
    return {id(o): "why: " + shape[id(o)] if shape[id(o)] else by_signature.get(o.key, o.key) for o in occurrences}


@dataclass
class Group:
    signature: signatures.Signature
    occurrences: list = field(default_factory=list)
    known: bool = False            # in the baseline: reported, does not fail the run
    cause: str = ""                # what its occurrences share (causes())

    @property
    def key(self) -> str:
        return self.cause or self.signature.key

    @property
    def signatures(self) -> list:
        return list(dict.fromkeys(o.key for o in self.occurrences))

    @property
    def severity(self) -> int:
        return severity(self.signature)

    @property
    def count(self) -> int:
        return sum(o.count for o in self.occurrences)

    @property
    def first(self) -> Occurrence:
        """The smallest witness: a confirmed occurrence of the fewest ops (prove's, where it
        has one), else the first seen."""
        return min(self.occurrences, key=lambda o: (o.status != "confirmed", o.ops or 1 << 30))  # the first of ties

    @property
    def steps(self) -> list:
        return list(dict.fromkeys(o.step for o in self.occurrences))

    @property
    def kit(self) -> str:
        return next((o.kit for o in self.occurrences if o.kit), "")

    @property
    def flaky_only(self) -> bool:
        return all(o.status != "confirmed" for o in self.occurrences)


def group(occurrences, baseline=frozenset()) -> list:
    """Occurrences grouped by cause (causes()): the confirmed first, most severe first, then
    in the order seen; then those that were not reproduced, whose severity is not known."""
    groups = {}
    cause = causes(occurrences)
    for o in occurrences:
        g = groups.setdefault(cause[id(o)], Group(o.signature, cause=cause[id(o)]))
        g.occurrences.append(o)
    for g in groups.values():
        g.signature = g.first.signature
        g.known = g.key in baseline or all(k in baseline for k in g.signatures)
    order = list(groups)
    return sorted(groups.values(), key=lambda g: (g.flaky_only, g.severity, order.index(g.key)))


def reports_in(text: str) -> list:
    """[(signature, excerpt)] of every report in an output, in order: each "==== zmcheck"
    block, and each sanitizer report (from its ERROR line to its SUMMARY)."""
    found = []
    for m in reports.ZMCHECK_REPORT.finditer(text):
        sig = signatures.parse(m.group(0))
        if sig:
            found.append((m.start(), sig, reports.failure_excerpt(m.group(0))))
    zmcheck_spans = [(s, s + len(e)) for s, _, e in found]
    for m in SANITIZER_START.finditer(text):
        if any(a <= m.start() < b for a, b in zmcheck_spans):
            continue
        end = text.find("SUMMARY:", m.start())
        end = text.find("\n", end) if end >= 0 else min(len(text), m.start() + 6000)
        chunk = text[m.start():end if end >= 0 else len(text)]
        if "deadly signal" in m.group(0) and any(a < m.start() for a, _ in zmcheck_spans):
            continue  # the abort that ends a zmcheck report, as libFuzzer reports it: not another finding
        sig = signatures.parse(chunk)
        if sig and not any(sig.key == other.key and abs(pos - m.start()) < 4000 for pos, other, _ in found):
            found.append((m.start(), sig, reports.failure_excerpt(chunk)))
    found.sort(key=lambda item: item[0])
    return [(sig, excerpt) for _, sig, excerpt in found]


def from_ctest(junit: Path, step: str, replay_of) -> list:
    """The occurrences of a ctest run's failed tests (its JUnit output): every report in
    each one's output; a failed test without one is an occurrence of "<test> failed".
    replay_of(test name, rc_reproduce or None) gives the replay command."""
    if not Path(junit).exists():
        return []
    found = []
    for tc in ET.parse(junit).getroot().iter("testcase"):
        if tc.find("failure") is None and tc.get("status") != "fail":
            continue
        name = tc.get("name")
        out = "".join(e.text or "" for e in tc.iter() if e.tag in ("system-out", "failure"))
        rc = RC_REPRODUCE.search(out)
        replay = replay_of(name, rc.group(1) if rc else None)
        in_test = reports_in(out)
        if not in_test:
            sig = signatures.Signature("test", f"{name} failed", [], signatures.first_message(out) or f"{name} failed")
            in_test = [(sig, reports.failure_excerpt(out))]
        seen = set()
        for sig, excerpt in in_test:
            if sig.key in seen:  # one test, one occurrence per signature
                continue
            seen.add(sig.key)
            found.append(Occurrence(step, name, sig, excerpt, replay))
    return found


COVERAGE = re.compile(r"^zmcheck coverage: (.*)$", re.M)


def test_outputs(junit: Path) -> list:
    """What each test of a ctest run printed, from its JUnit output (none if it is missing)."""
    if not Path(junit).exists():
        return []
    return [out.text or "" for out in ET.parse(junit).getroot().iter("system-out")]


def coverage_lines(junit: Path) -> list:
    """The "zmcheck coverage:" lines the tests of a ctest run printed (what really ran:
    threads beyond the counter table, storms), once each."""
    lines = []
    for text in test_outputs(junit):
        for m in COVERAGE.finditer(text):
            if m.group(1) not in lines:
                lines.append(m.group(1))
    return lines


# What a corpus replay of a build that lacks functions printed per file (fuzz/op_target.cpp):
# "zmcheck skipped: <file>: 3 of 25 ops: free_usable x2 (no zfree_usable()), query x1 (...)"
SKIPPED = re.compile(r"^zmcheck skipped: (.*?): (\d+) of (\d+) ops: (.*)$", re.M)


def skipped_ops(junit: Path) -> dict:
    """The ops a corpus replay skipped: {"files": {file: "3 of 25 ops: ..."}, "ops": total,
    "of": ops of those files, "kinds": {op: count}}."""
    files, kinds, total, of = {}, {}, 0, 0
    for text in test_outputs(junit):
        for m in SKIPPED.finditer(text):
            if m.group(1) in files:
                continue
            files[m.group(1)] = f"{m.group(2)} of {m.group(3)} ops: {m.group(4)}"
            total += int(m.group(2))
            of += int(m.group(3))
            for kind in re.finditer(r"([a-z_]+) x(\d+)", m.group(4)):
                kinds[kind.group(1)] = kinds.get(kind.group(1), 0) + int(kind.group(2))
    return {"files": files, "ops": total, "of": of, "kinds": kinds}


def skipped_line(skipped: dict) -> str:
    """The report's count of a replay's skipped ops ("" when none was skipped)."""
    if not skipped["ops"]:
        return ""
    kinds = ", ".join(f"{k} x{n}" for k, n in sorted(skipped["kinds"].items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{skipped['ops']} of {skipped['of']} ops skipped in {len(skipped['files'])} file(s), the build lacking "
            f"them: {kinds}")


def from_kits(findings, step: str) -> list:
    """The occurrences of a fuzz run's findings (kits.Finding), one per kit."""
    found = []
    for f in findings:
        status = "flaky" if f.flaky else "unconfirmed" if f.unconfirmed else "confirmed"
        report = (f.folder / "report.txt").read_text(encoding="utf-8", errors="replace") \
            if (f.folder / "report.txt").exists() else ""
        sig = f.signature or signatures.parse(report) or signatures.Signature(
            "crash", f"{status} crash of {f.target}", [], f"a crash file of {f.target} ({status})")
        excerpt = kit_excerpt(f.folder)
        found.append(Occurrence(step, paths.rel(f.folder), sig, excerpt, f.reproduce, max(1, len(f.inputs)),
                                status, paths.rel(f.folder)))
    return found


def kit_excerpt(folder: Path) -> str:
    """A kit as a person reads it: what broke (running input.min, else the input as found)
    and input.min as a trace."""
    lines = []
    for name in ("trace-run.txt", "report.txt"):
        path = folder / name
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if text and (reports.ZMCHECK_REPORT.search(text) or SANITIZER_START.search(text) or name == "report.txt"):
            lines += [reports.failure_excerpt(text)]
            break
    trace = folder / "trace.txt"
    if trace.exists():
        lines += ["", "input.min as a trace:", trace.read_text(encoding="utf-8").rstrip()]
    info = folder / "finding.json"
    if info.exists():
        minimized = json.loads(info.read_text(encoding="utf-8")).get("minimized", "kept")
        if minimized != "kept":
            lines += ["", f"({minimized})"]
    return "\n".join(lines)


def baseline_keys(path) -> frozenset:
    """The signatures (and causes) of a previous run's findings.json."""
    p = Path(path)
    data = json.loads(p.read_text(encoding="utf-8"))
    keys = set()
    for f in data.get("findings", []):
        keys.add(f["signature"])
        keys.update(f.get("signatures", []))
    return frozenset(keys)


def findings_json(run: str, groups, accepted=()) -> str:
    """findings.json: the signatures of a run's findings (a later run's --baseline), and
    what the profile accepted (accepted.json_rows)."""
    return json.dumps({"run": run, "accepted": list(accepted), "findings": [
        {"signature": g.key, "signatures": g.signatures, "kind": g.signature.kind, "what": g.signature.what,
         "severity": SEVERITIES[g.severity], "count": g.count, "steps": g.steps, "kit": g.first.kit or g.kit,
         "witness_ops": g.first.ops or None,
         "surfaced": [{"step": step, "count": n} for step, n in surfaced(g)],
         "headline": g.signature.headline, "known": g.known,
         "status": "flaky or unconfirmed" if g.flaky_only else "confirmed"} for g in groups]}, indent=2) + "\n"


WHY = re.compile(r"^why:\s+(.*)$", re.M)


def markdown(groups) -> list:
    """The lines of report.md's findings section: each distinct finding once."""
    if not groups:
        return ["## Findings: none", ""]
    new = [g for g in groups if not g.known]
    lines = [f"## Findings: {len(groups)} distinct" + (f" ({len(groups) - len(new)} known from the baseline)"
                                                        if len(new) != len(groups) else ""), ""]
    for i, g in enumerate(groups, 1):
        where = ", ".join(g.steps)
        tags = (["not reproduced: flaky or unconfirmed"] if g.flaky_only else [SEVERITIES[g.severity]]) + (
            ["known"] if g.known else [])
        lines.append(f"{i}. **{g.key}** [{', '.join(tags)}]: {g.count} occurrence(s) in {where}")
        witness = f" (the smallest witness: {g.first.ops} ops, from {g.first.step})" if g.first.ops else ""
        lines.append(f"   - first: {g.signature.headline or g.first.source}{witness}")
        if len(g.steps) > 1 or len(g.signatures) > 1:
            lines.append("   - surfaced: " + ", ".join(f"{step} ({n})" for step, n in surfaced(g))
                         + (f"; as {len(g.signatures)} signatures: " + "; ".join(g.signatures)
                            if len(g.signatures) > 1 else ""))
        explained = next(((o, m) for o, m in ((o, WHY.search(o.excerpt)) for o in [g.first] + g.occurrences) if m),
                         None)
        if explained:  # the first occurrence that explains itself (a threaded case may not)
            o, why = explained
            other = (o.signature.headline or o.source).removeprefix("zmcheck: ")
            case = "" if o is g.first else f" (of another case: {other})"
            lines.append(f"   - why{case}: {why.group(1)}")
        if g.first.kit or g.kit:
            lines.append(f"   - kit: `{g.first.kit or g.kit}/`")
        lines.append(f"   - replay: `{g.first.replay}`")
    return lines + [""]


def surfaced(g):
    """[(step, count)] of a group: every place it surfaced, with how often."""
    counts = {}
    for o in g.occurrences:
        counts[o.step] = counts.get(o.step, 0) + o.count
    return list(counts.items())


def step_details(occurrences) -> str:
    """A failed step's details: each distinct failure once, with its count, its first
    case as run and its replay command."""
    out = []
    for g in group(occurrences):
        o = g.first
        state = "" if o.status == "confirmed" else f" ({o.status})"
        out += [f"{g.key}{state}: {g.count} occurrence(s)" + (f", first in {o.source}" if o.source else ""),
                f"replay: {o.replay}", "", o.excerpt.rstrip(), ""]
    return "\n".join(out).rstrip()
