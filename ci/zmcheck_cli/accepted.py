"""What a profile accepts, observed all the same: the "zmcheck accepted:" lines the
harness writes (harness/accepted.h: wrapped reads seen under wrapped_reads = transient,
ThreadSanitizer reports suppressed under counter_reads = racy), summed over a step and
listed in the report under "accepted by the profile", never dropped."""
import re
from pathlib import Path

from . import distinct

WRAPPED = re.compile(r"^zmcheck accepted: wrapped_reads = transient: (\d+) wrapped reads of used_memory, "
                     r"the largest (\d+)", re.M)
SUPPRESSED = re.compile(r"^zmcheck accepted: counter_reads = racy: (\d+) ThreadSanitizer reports suppressed "
                        r"\(([^)]*)\)", re.M)


def tally(text: str, into=None) -> dict:
    """{what: {"count": n, "largest": v or None}} of the lines in text, added to `into`."""
    found = into if into is not None else {}
    for m in WRAPPED.finditer(text):
        e = found.setdefault("wrapped reads of used_memory (wrapped_reads = transient)", {"count": 0, "largest": 0})
        e["count"] += int(m.group(1))
        e["largest"] = max(e["largest"], int(m.group(2)))
    for m in SUPPRESSED.finditer(text):
        e = found.setdefault(f"ThreadSanitizer reports suppressed, {m.group(2)} (counter_reads = racy)",
                             {"count": 0, "largest": None})
        e["count"] += int(m.group(1))
    return found


def of_junit(junit) -> dict:
    """What the tests of a ctest run (their JUnit output) accepted."""
    found = {}
    for text in distinct.test_outputs(junit):
        tally(text, found)
    return found


def of_file(path) -> dict:
    """What the processes that wrote `path` (ZMCHECK_ACCEPTED) accepted."""
    p = Path(path)
    return tally(p.read_text(encoding="utf-8", errors="replace")) if p.exists() else {}


def figure(found: dict) -> str:
    """One phrase for a step's figures: "accepted by the profile: 12 wrapped reads ..."."""
    return "accepted by the profile: " + "; ".join(f"{e['count']} {what}" for what, e in found.items())


def markdown(steps, accepts: list) -> list:
    """report.md's section: what each step saw that the profile accepts, or that it saw
    none. accepts: what the profile says it accepts (empty: the section is left out unless
    something was seen)."""
    rows = [(s.name, what, e) for s in steps for what, e in s.accepted.items()]
    if not rows and not accepts:
        return []
    lines = ["## Accepted by the profile", ""]
    lines += [f"- the profile accepts: {a}" for a in accepts]
    if not rows:
        return lines + ["- seen: none in any step", ""]
    for step, what, e in rows:
        largest = f", the largest {e['largest']} ({e['largest'] - (1 << 64)} as signed)" if e["largest"] else ""
        lines.append(f"- {step}: {e['count']} {what}{largest}")
    return lines + [""]


def json_rows(steps) -> list:
    return [{"step": s.name, "what": what, **e} for s in steps for what, e in s.accepted.items()]
