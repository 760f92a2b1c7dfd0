"""One commit's replays judged as `git bisect run` takes them: good (exit 0, no crash),
bad (1, a crash with the finding's signature) or skip (125: the commit does not build,
the binary cannot check the input, or it crashes another way)."""
from dataclasses import dataclass

from .. import signatures

GOOD, BAD, SKIP = 0, 1, 125
ABORT = 128  # the machine, not the commit, is at fault: `git bisect run` stops
NAMES = {GOOD: "good", BAD: "bad", SKIP: "skip"}
CANNOT_CHECK = 2  # the binary's exit when the allocator lacks what the input needs
# How a report of a zmalloc_size mismatch ends when it was held to the end of the case
# (harness/executor.cpp): every op ran, with every other invariant checked on it.
RAN_WHOLE = "the case went on, and broke nothing else"


@dataclass
class Verdict:
    code: int
    why: str
    seen: str = ""   # the signature key shown, when it crashed

    @property
    def name(self) -> str:
        return NAMES.get(self.code, "abort")


def crash_key(output: str, code: int, what: str = "") -> str:
    """The signature key of a crashed run; without a report, the exit code says it."""
    sig = signatures.parse(output)
    if sig:
        return sig.key
    return f"{what or 'crash'}: exit code {code}, no report"


def last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def judge(runs, expected: str, what: str = "") -> Verdict:
    """The verdict of replays [(exit code, output)]: bad when one shows EXPECTED (any crash
    when EXPECTED is ""), skip when one could not check the input or crashed otherwise,
    good when none crashed, or when the only crash is a mismatch held to the end of a case
that ran whole (the finding was checked for on every op and did not occur). WHAT names a
crash without a report ("property model_state_test")."""
    others, ran_whole = [], []
    for code, output in runs:
        if code == 0:
            continue
        if code == CANNOT_CHECK:
            return Verdict(SKIP, f"the binary cannot check it: {last_line(output)}")
        key = crash_key(output, code, what)
        if not expected or key == expected:
            return Verdict(BAD, f"{key} ({len(runs)} run(s))", key)
        (ran_whole if RAN_WHOLE in output else others).append(key)
    if others:
        return Verdict(SKIP, f"another crash: {others[0]} (expected {expected})", others[0])
    if ran_whole:
        return Verdict(GOOD, f"no {expected}: the case ran whole, and only {ran_whole[0]} was held to its end",
                       ran_whole[0])
    return Verdict(GOOD, f"no crash in {len(runs)} run(s)")
