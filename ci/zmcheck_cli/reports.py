"""Report writers: a Markdown verdict table and JUnit XML, one row/testcase per step."""
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

PASS, FAIL, NOT_RUN = "pass", "FAIL", "NOT RUN"


@dataclass
class Step:
    name: str
    result: str = NOT_RUN      # PASS, FAIL or NOT_RUN (which counts as a failure)
    figures: str = ""
    replay: str = ""
    seconds: float = 0.0
    details: str = ""          # the failure's output (tail), for JUnit
    occurrences: list = field(default_factory=list)   # distinct.Occurrence: what it found
    known: list = field(default_factory=list)         # signatures it found that the baseline knows
    accepted: dict = field(default_factory=dict)      # what it saw that the profile accepts (accepted.py)
    listing: str = ""          # Markdown listed under the step, held or not (a corpus replay's skipped ops)

    @property
    def held(self) -> bool:
        return self.result == PASS


def verdict(steps) -> bool:
    """The gate holds only if there were steps and every one ran and held."""
    return bool(steps) and all(s.held for s in steps)


ZMCHECK_REPORT = re.compile(r"^\s*(?:\d+: )?==== zmcheck[: ].*?^\s*(?:\d+: )?====\s*$", re.M | re.S)


# A GoogleTest failure: from the "[ RUN ]" of the first failing test to its "[  FAILED  ]".
GTEST_FAILURE = re.compile(r"^\s*(?:\d+: )?\[ RUN      \] (\S+)$(?:(?!^\s*(?:\d+: )?\[ RUN ).)*?"
                           r"^\s*(?:\d+: )?\[  FAILED  \] \1\b.*?$", re.M | re.S)


def failure_excerpt(text: str, max_lines: int = 80) -> str:
    """What a person needs of a failed run's output: its first "==== zmcheck" report
    (what broke, expected, seen, the case as run, how to replay it; at most max_lines
    lines), else its first failing GoogleTest test, else the last max_lines lines."""
    m = ZMCHECK_REPORT.search(text) or GTEST_FAILURE.search(text)
    lines = (m.group(0) if m else text).strip("\n").splitlines()
    if len(lines) <= max_lines:
        return "\n".join(lines)
    if m:  # the head says what broke, the end is the broken op and the replay line
        return "\n".join(lines[:8] + [f"  ... {len(lines) - max_lines} lines ..."] + lines[8 - max_lines:])
    return "\n".join(lines[-max_lines:])


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(title: str, steps, notes=(), groups=None, accepts=()) -> str:
    """report.md: the verdict, the distinct findings of the whole run (most severe first),
    what the profile accepted, the notes, one row per step, and under each failed step
    what broke."""
    from . import accepted, distinct

    ok = verdict(steps)
    lines = [f"# {title}", "", f"**Verdict: {'PASS' if ok else 'FAIL'}** "
             f"({sum(s.held for s in steps)}/{len(steps)} steps held)", ""]
    if groups is not None:
        lines += distinct.markdown(groups)
    lines += accepted.markdown(steps, list(accepts))
    lines += [f"- {n}" for n in notes]
    if notes:
        lines.append("")
    lines += ["| step | result | figures | time | replay |", "|---|---|---|---|---|"]
    for s in steps:
        replay = f"`{cell(s.replay)}`" if s.replay else ""
        lines.append(f"| {cell(s.name)} | {s.result} | {cell(s.figures)} | {s.seconds:.0f} s | {replay} |")
    for s in steps:
        if s.listing:
            lines += ["", f"## {s.name}: the ops each file skipped (this build cannot run them)", "",
                      s.listing.rstrip()]
    failed = [s for s in steps if not s.held and s.details]
    for s in failed:
        lines += ["", f"## {s.name}: {s.result}", "", "```", s.details.rstrip()[-8000:], "```"]
    return "\n".join(lines) + "\n"


def junit(suite: str, steps) -> str:
    failures = sum(s.result == FAIL for s in steps)
    errors = sum(s.result == NOT_RUN for s in steps)
    root = ET.Element("testsuites")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(steps)), failures=str(failures),
                       errors=str(errors), time=f"{sum(s.seconds for s in steps):.1f}")
    for s in steps:
        tc = ET.SubElement(ts, "testcase", classname=suite, name=s.name, time=f"{s.seconds:.1f}")
        text = "\n".join(x for x in (s.figures, f"replay: {s.replay}" if s.replay else "", s.details) if x)
        if s.result == FAIL:
            ET.SubElement(tc, "failure", message=s.figures or "failed").text = text
        elif s.result == NOT_RUN:
            ET.SubElement(tc, "error", message=s.figures or "did not run").text = text
        elif text:
            ET.SubElement(tc, "system-out").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(directory, title, suite, steps, notes=(), baseline=frozenset(), accepts=()):
    """report.md, junit.xml, findings.sarif and findings.json of a run's steps."""
    from pathlib import Path

    from . import accepted, distinct, sarif

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    groups = distinct.group([o for s in steps for o in s.occurrences], baseline)
    (d / "report.md").write_text(markdown(title, steps, notes, groups, accepts), encoding="utf-8")
    (d / "junit.xml").write_text(junit(suite, steps), encoding="utf-8")
    sarif.write(d, groups, "zmcheck", suite)
    (d / "findings.json").write_text(distinct.findings_json(suite, groups, accepted.json_rows(steps)),
                                     encoding="utf-8")
    return d / "report.md", d / "junit.xml"


def write_not_checked(directory, title, suite, cause, notes=()):
    """The report of a run that could check nothing: the one cause, no steps."""
    from pathlib import Path

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    lines = [f"# {title}", "", f"**Verdict: NOT CHECKED**: {cause}", ""] + [f"- {n}" for n in notes]
    (d / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    root = ET.Element("testsuites")
    ts = ET.SubElement(root, "testsuite", name=suite, tests="1", failures="0", errors="1", time="0")
    tc = ET.SubElement(ts, "testcase", classname=suite, name="the allocator under test", time="0")
    ET.SubElement(tc, "error", message="nothing can be checked").text = cause
    ET.indent(root)
    (d / "junit.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
                                 + "\n", encoding="utf-8")
    return d / "report.md"
