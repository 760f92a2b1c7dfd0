"""Where a bisection's result goes: bisect.json in the kit, and, when the kit lives in a
report folder (<report>/findings/<target>/<slug>/ beside <report>/report.md), one line
for the kit in that report's "## Bisect" section."""
import json
from pathlib import Path

SECTION = "## Bisect"


def write_json(folder: Path, result: dict) -> Path:
    path = Path(folder) / "bisect.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def report_of(kit: Path):
    """The report.md of the run that made the kit, or None."""
    kit = Path(kit)
    if kit.parent.parent.name != "findings":
        return None
    report = kit.parent.parent.parent / "report.md"
    return report if report.is_file() else None


def entry(kit_key: str, result: dict) -> str:
    """The kit's line of the section: the commit, or what was found instead."""
    skipped = result.get("skipped", [])
    skip_text = ", ".join(s["commit"][:10] for s in skipped) if skipped else "none"
    span = f"good {result['good_ref']}, bad {result['bad_ref']}, in {result['repo']}; skipped: {skip_text}"
    if result.get("commit"):
        found = f"introduced by `{result['commit'][:10]}` ({result['date'][:10]}) \"{result['subject']}\""
    elif result.get("candidates"):
        found = ("not narrowed to one commit (the commits between were skipped): one of "
                 + ", ".join(f"`{c[:10]}`" for c in result["candidates"]))
    else:
        found = "no first bad commit found"
    return f"- `{kit_key}`: {found} ({span}); replay: `{result['command']}`"


def with_entry(text: str, kit_key: str, line: str) -> str:
    """TEXT with LINE in its "## Bisect" section (added at the end if there is none),
    replacing an earlier line of the same kit."""
    lines = text.rstrip("\n").split("\n") if text.strip() else []
    if SECTION not in lines:
        return "\n".join(lines + ["", SECTION, "", line]) + "\n"
    start = lines.index(SECTION)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    body = [x for x in lines[start + 1:end] if not x.startswith(f"- `{kit_key}`:")]
    while body and not body[-1].strip():
        body.pop()
    body = (body or [""]) + [line]
    return "\n".join(lines[:start + 1] + body + ([""] + lines[end:] if end < len(lines) else [])) + "\n"


def add_to_report(kit: Path, result: dict):
    """The kit's line added to its report's "## Bisect" section; the report, or None."""
    report = report_of(kit)
    if report is None:
        return None
    key = str(Path(kit).relative_to(report.parent))
    report.write_text(with_entry(report.read_text(encoding="utf-8"), key, entry(key, result)), encoding="utf-8")
    return report
