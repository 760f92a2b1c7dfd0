"""SARIF 2.1.0 beside report.md: one result per distinct finding, with its rule (the
invariant, or the sanitizer's error), its message, where it is (the harness check that
fired, or the first frame of the library or harness that the sanitizer names) and the
path of its kit, so that code scanning shows each finding once."""
import hashlib
import json
import re
from pathlib import Path

from . import distinct, paths, signatures

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {0: "error", 1: "error", 2: "warning"}


def rule_id(sig) -> str:
    """"I1-exactness", "AddressSanitizer/heap-buffer-overflow", "test/failed"."""
    if sig.kind == "zmcheck":
        return re.sub(r"[^A-Za-z0-9]+", "-", sig.what.split(" at ")[0].split(":")[0]).strip("-")
    if sig.kind == "test":
        return "test/failed"
    return f"{sig.kind}/" + re.sub(r"[^A-Za-z0-9]+", "-", sig.what).strip("-")


def check_location(invariant: str):
    """(file, line) of the harness check that reports an invariant: the first
    fail("<invariant>" in harness/executor.cpp, else the file's first line."""
    source = paths.root() / "harness" / "executor.cpp"
    if source.exists():
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            if f'fail("{invariant}"' in line or f'"{invariant} broken' in line:
                return str(source), number
    return str(source), 1


def location_of(group):
    """Where a finding is: a sanitizer's first project frame, or the check that fired."""
    for o in group.occurrences:
        where = signatures.first_location(o.excerpt)
        if where:
            return where
    invariant = group.signature.what.split(" at ")[0]
    return check_location(invariant)


def uri(path: str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(paths.root().resolve()))
    except (ValueError, OSError):
        return p.resolve().as_uri() if p.is_absolute() else str(p)


def log(groups, tool_name: str, command: str) -> dict:
    """The SARIF log of a run's distinct findings."""
    rules, results = {}, []
    for g in groups:
        rid = rule_id(g.signature)
        rules.setdefault(rid, {"id": rid, "name": rid, "shortDescription": {"text": g.signature.what},
                               "properties": {"severity": distinct.SEVERITIES[g.severity]}})
        file, line = location_of(g)
        text = f"{g.key}: {g.signature.headline or g.first.source}"
        if g.known:
            text += " (known from the baseline)"
        result = {
            "ruleId": rid,
            "level": "note" if g.known else LEVEL[g.severity],
            "message": {"text": text + f". Replay: {g.first.replay}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(file)},
                                                "region": {"startLine": max(1, int(line))}}}],
            "partialFingerprints": {"zmcheckSignature/v1": hashlib.sha1(g.key.encode()).hexdigest()},
            "properties": {"occurrences": g.count, "steps": g.steps, "kit": g.first.kit or g.kit,
                           "status": "flaky or unconfirmed" if g.flaky_only else "confirmed", "known": g.known},
        }
        if g.first.kit or g.kit:
            result["relatedLocations"] = [{"id": 1, "message": {"text": "the finding's kit: input, input.min, "
                                                                         "report, trace, reproduce command"},
                                           "physicalLocation": {"artifactLocation": {"uri": uri(g.first.kit or g.kit)}}}]
        results.append(result)
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": tool_name, "rules": list(rules.values())}},
        "automationDetails": {"id": command},
        "results": results}]}


def write(directory, groups, tool_name="zmcheck", command="zmcheck") -> Path:
    path = Path(directory) / "findings.sarif"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(log(groups, tool_name, command), indent=2) + "\n", encoding="utf-8")
    return path
