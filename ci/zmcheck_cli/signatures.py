"""Crash signatures: what kind of crash a report shows and where, so that crashes can be
deduplicated. A "==== zmcheck" report: the invariant and the failing op's kind. A
sanitizer report: the error type and the top 3 frames in the project's src/ or harness/
(libFuzzer, sanitizer runtime and libc frames skipped)."""
import hashlib
import re
from dataclasses import dataclass, field

ZMCHECK = re.compile(r"^==== zmcheck: (?P<invariant>.+?) broken at op (?P<index>\d+): (?P<op>.*)$", re.M)
PARSERS = re.compile(r"^==== zmcheck: (?P<invariant>I8 parsers) broken: (?P<what>.*)$", re.M)
SCHEDULER = re.compile(r"^==== zmcheck scheduler: (?P<text>.*)$", re.M)
# A property's require(): "==== zmcheck: I1 exactness: alloc then free broken".
CLAIM = re.compile(r"^==== zmcheck: (?P<what>.+?) broken$", re.M)
SANITIZER = re.compile(r"^(?:==\d+==)?\s*(?:ERROR|WARNING): (?P<tool>\w+Sanitizer): (?P<kind>[\w-]+(?: [\w-]+)*)", re.M)
LIBFUZZER = re.compile(r"^==\d+== ERROR: libFuzzer: (?P<kind>[\w-]+(?: [\w-]+)*)", re.M)
UBSAN = re.compile(r"^(?P<where>\S+:\d+:\d+): runtime error: (?P<text>.*)$", re.M)
SUMMARY = re.compile(r"^SUMMARY: .*$", re.M)
# A stack frame, ASan's "#1 0x55 in func file:line:col" or TSan's "#1 func file:line:col (module+0x12)".
FRAME = re.compile(r"^\s*#(?P<n>\d+) (?:0x[0-9a-f]+ in )?(?P<func>.+?) (?P<file>\S+?)(?::(?P<line>\d+))?(?::\d+)?"
                   r"(?: \((?:BuildId: [0-9a-f]+|\S+\+0x[0-9a-f]+)\))?$")
OP_KIND = re.compile(r"([a-z_][a-z0-9_]*)\(")
PROJECT_DIRS = ("src/", "harness/")


@dataclass
class Signature:
    kind: str                     # "zmcheck", or the sanitizer/libFuzzer error kind
    what: str                     # invariant + op kind, or error type
    frames: list = field(default_factory=list)   # top project frames (function names)
    headline: str = ""            # the first failure message, as printed

    @property
    def key(self) -> str:
        """Two crashes with the same key are one finding."""
        text = f"{self.kind}: {self.what}"
        if self.frames:
            text += " in " + " < ".join(self.frames)
        return text

    @property
    def slug(self) -> str:
        """A folder name for the finding: readable, and unique per key."""
        words = re.sub(r"[^A-Za-z0-9]+", "-", self.what).strip("-").lower()[:48]
        digest = hashlib.sha1(self.key.encode()).hexdigest()[:8]
        return f"{words}-{digest}"


def op_kind(op_text: str) -> str:
    """The kind of the op that broke an invariant, as findings are grouped: "allocation"
    for every op that makes a block into a slot (the malloc, calloc, realloc and strdup
    families, try and usable variants alike), "free" for zfree and zfree_usable, else
    the function: "s1 = zrealloc(s1, 24) @preempt 1" -> "allocation", "zmalloc_size(s2)"
    -> "zmalloc_size". One bug in the accounting of blocks breaks at any allocation op;
    it is one finding, not one per function."""
    text = re.sub(r"^T\d+:\s*", "", op_text.strip())
    if re.match(r"^s\d+\s*=", text):
        return "allocation"
    m = OP_KIND.search(text)
    name = m.group(1) if m else (text.split()[0] if text.split() else "?")
    return "free" if name in ("zfree", "zfree_usable") else name


def parser_what(what: str) -> str:
    """The part of an I8 message that names the check, without its numbers."""
    m = re.match(r"^(.*?)(?::? parser says|: expected)", what)
    text = m.group(1) if m else what
    return re.sub(r"\d+", "N", text).strip(": ")


def claim_what(what: str) -> str:
    """A property claim's invariant and subject, without its numbers or quoted text:
    "I1 exactness: realloc 5 -> 9 -> 5" -> "I1 exactness: realloc N -> N -> N"."""
    what = re.sub(r'"[^"]*"', '"..."', what)
    what = re.split(r" \(", what, 1)[0]
    invariant = re.match(r"I\d+ ", what)
    head = invariant.group(0) if invariant else ""
    return (head + re.sub(r"\d+", "N", what[len(head):])).strip()


def short_function(func: str) -> str:
    """A frame's function without its parameters: "zm::f(int) const" -> "zm::f"."""
    close = func.rfind(")")
    if close < 0:
        return func.strip()
    depth = 0
    for i in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(func[i], 0)
        if depth == 0:
            return func[:i].strip() or func.strip()
    return func.strip()


def in_project(path: str) -> bool:
    """A source file of the project's src/ or harness/ (not a system or runtime file)."""
    if path.startswith(("/usr/", "(")) or "compiler-rt" in path:
        return False
    return any(path.startswith(d) or f"/{d}" in path for d in PROJECT_DIRS)


def project_frames(text: str, limit: int = 3, start: int = 0):
    """The top `limit` frames of the first stack after `start` that are in src/ or harness/."""
    frames, seen_stack = [], False
    for line in text[start:].splitlines():
        m = FRAME.match(line)
        if not m:
            if seen_stack and frames:
                break  # the first stack is over
            continue
        seen_stack = True
        if in_project(m.group("file")):
            frames.append(short_function(m.group("func")))
            if len(frames) == limit:
                break
    return frames


def first_location(text: str):
    """(file, line) of the first frame in src/ or harness/ of the first stack, or None."""
    for line in text.splitlines():
        m = FRAME.match(line)
        if m and in_project(m.group("file")) and m.group("line"):
            return m.group("file"), int(m.group("line"))
    m = UBSAN.search(text)
    if m:
        file, line, _ = m.group("where").rsplit(":", 2)
        return file, int(line)
    return None


def parse(text: str):
    """The signature of a crash report, or None when the text shows no crash."""
    m = ZMCHECK.search(text)
    if m:
        what = f"{m.group('invariant')} at {op_kind(m.group('op'))}"
        return Signature("zmcheck", what, [], m.group(0).lstrip("= ").strip())
    m = PARSERS.search(text)
    if m:
        return Signature("zmcheck", f"I8 parsers: {parser_what(m.group('what'))}", [], m.group(0).lstrip("= ").strip())
    m = CLAIM.search(text)
    if m:
        return Signature("zmcheck", claim_what(m.group("what")), [], m.group(0).lstrip("= ").strip())
    m = SCHEDULER.search(text)
    if m:
        what = "scheduler deadlock" if "deadlock" in m.group("text") else "scheduler"
        return Signature("zmcheck", what, [], m.group(0).lstrip("= ").strip())
    m = SANITIZER.search(text)
    u = UBSAN.search(text)
    if u and (not m or u.start() < m.start()):
        kind = re.split(r"[:0-9'\"]", u.group("text"))[0].strip()
        frames = project_frames(text, start=u.end()) or [u.group("where").rsplit(":", 2)[0].split("/")[-1]]
        return Signature("UndefinedBehaviorSanitizer", kind, frames, u.group(0).strip())
    if m:
        kind = error_kind(m.group("kind"))
        return Signature(m.group("tool"), kind, project_frames(text, start=m.end()), line_at(text, m.start()))
    m = LIBFUZZER.search(text)
    if m:
        return Signature("libFuzzer", error_kind(m.group("kind")), project_frames(text, start=m.end()),
                         line_at(text, m.start()))
    return None


def error_kind(text: str) -> str:
    """The kind of a sanitizer error without its addresses: "heap-buffer-overflow on
    address 0x6190 at pc ..." -> "heap-buffer-overflow"; "data race" stays."""
    words = []
    for w in text.split():
        if w in ("on", "at", "in", "for", "after") or w.startswith(("0x", "(")) or any(c.isdigit() for c in w):
            break
        words.append(w)
    return " ".join(words) or text


def line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos:end if end >= 0 else len(text)].strip()


def first_message(text: str) -> str:
    """The first failure message of any output: a zmcheck headline, a sanitizer's
    ERROR or SUMMARY line, a gtest failure, or a RapidCheck falsification."""
    sig = parse(text)
    if sig:
        return sig.headline
    for pattern in (r"^.*Falsifiable after \d+ tests.*$", r"^\[  FAILED  \] .*$", r"^.*: Failure$", SUMMARY.pattern):
        m = re.search(pattern, text, re.M)
        if m:
            return m.group(0).strip()
    return ""
