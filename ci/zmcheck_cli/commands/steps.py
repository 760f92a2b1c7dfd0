"""Steps of a proof (gate, external): each one run, timed, judged and written into the
report (report.md + junit.xml) as soon as it ends. A step that raises, or whose needs did
not hold, never counts as a pass."""
import os
import time
import traceback

from .. import paths, reports
from ..errors import EnvError, NothingChecked, ZmcheckError
from . import fuzzing
from .test import run_ctest


class Steps:
    def __init__(self, report_dir, title, suite, notes, label):
        """label names the proof in the progress lines: "==== zmcheck <label>: <step>"."""
        self.steps, self.report_dir, self.notes = [], report_dir, notes
        self.title, self.suite, self.label = title, suite, label

    def write(self):
        return reports.write(self.report_dir, self.title, self.suite, self.steps, self.notes)

    def step(self, name, replay, fn, needs=()):
        """Runs fn() -> (held, figures[, details]); a step whose needs failed, or that
        raises, did not run or failed: never a pass."""
        s = reports.Step(name, replay=replay)
        missing = [n for n in needs if not any(x.name == n and x.held for x in self.steps)]
        print(f"\n==== zmcheck {self.label}: {name}", flush=True)
        start = time.monotonic()
        if missing:
            s.result, s.figures = reports.NOT_RUN, f"not run: {', '.join(missing)} did not hold"
        else:
            try:
                held, figures, *details = fn()
                s.result, s.figures = (reports.PASS if held else reports.FAIL), figures
                s.details = details[0] if details else ""
            except NothingChecked:
                raise
            except EnvError as e:
                s.result, s.figures = reports.NOT_RUN, f"environment: {e}"
            except ZmcheckError as e:
                s.result, s.figures = reports.FAIL, str(e)
            except Exception:
                s.result, s.figures, s.details = reports.NOT_RUN, "the driver crashed", traceback.format_exc()
                print(s.details)
        s.seconds = time.monotonic() - start
        self.steps.append(s)
        self.write()
        print(f"---- {name}: {s.result} {s.figures} ({s.seconds:.0f} s)", flush=True)
        return s.held

    def abandon(self, cause):
        """Nothing can be checked: the report says so, with its one cause."""
        reports.write_not_checked(self.report_dir, self.title, self.suite, cause, self.notes)

    def held(self, name) -> bool:
        return any(s.name == name and s.held for s in self.steps)

    def summary(self, start):
        """Writes the report and prints the verdict table; True if every step held."""
        md, xml = self.write()
        ok = reports.verdict(self.steps)
        print(f"\n==== zmcheck {self.label}: {'PASS' if ok else 'FAIL'} in {time.monotonic() - start:.0f} s")
        for s in self.steps:
            print(f"  {s.result:<8} {s.name:<40} {s.figures[:90]}")
            if not s.held and s.replay:
                print(f"           replay: {s.replay}")
        print(f"report: {paths.rel(md)}  junit: {paths.rel(xml)}")
        return ok


def ctest_step(preset, label, env=None, name=None, log_prefix="gate", regex=None):
    """ctest -L label (and -R regex) of a preset or build: passed/failed counts; a failure's
    details are the first zmcheck report (the case as run) or the log's tail."""
    def fn():
        extra = ["-R", regex] if regex else []
        code, results, log = run_ctest(preset, label, env=env, log_name=f"{log_prefix}-{name or label}", extra=extra)
        passed = sum(s == "pass" for _, s in results)
        failed = [n for n, s in results if s == "fail"]
        figures = f"{passed} passed, {len(failed)} failed" + (f": {', '.join(failed[:3])}" if failed else "")
        if not results:
            figures = f"no {label} tests ran"
        details = ""
        if failed or code:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            details = ("failed: " + ", ".join(failed[:20]) + f"\nlog: {paths.rel(log)}\n\n"
                       + reports.failure_excerpt(text))
        return code == 0 and bool(results), figures, details
    return fn


def fuzz_step(target, budget, preset="fuzz", findings_root=None):
    """libFuzzer on one target for `budget` seconds, nothing merged into corpus/; each
    finding with its kit, and in the details its report and its trace."""
    def fn():
        runs = fuzzing.fuzz_targets(preset, target, budget, None, None, merge=False, findings_root=findings_root)
        r = runs[0]
        figures = f"{r.executions} execs, {r.exec_per_s} exec/s, cov {r.coverage}, corpus {r.corpus}"
        bad = [f for f in r.findings]
        if bad:
            figures += f"; {len(bad)} finding(s): " + "; ".join(
                (f"flaky {paths.rel(f.folder)}" if f.flaky else f"{f.signature.key} -> {paths.rel(f.folder)}")
                for f in bad)
        if r.error:
            figures += f"; {r.error}"
        return not bad and not r.error, figures, "\n\n".join(finding_details(f) for f in bad)
    return fn


def finding_details(f) -> str:
    """A finding as a person reads it: where its kit is, how to replay it, what broke, and
    the minimised input as a trace."""
    lines = [f"finding: {paths.rel(f.folder)}/"]
    if f.flaky:
        return "\n".join(lines + ["crashed while fuzzing, not when re-run (flaky)", f"reproduce: {f.reproduce}"])
    lines.append(f"reproduce: {f.reproduce}")
    trace = f.folder / "trace.txt"
    if trace.exists():
        lines += ["", "the minimised input (input.min) as a trace:", trace.read_text(encoding="utf-8").rstrip()]
    # The report of the minimised input's run (trace-run.txt) if it has one, else the
    # report of the input as found.
    for name, what in (("trace-run.txt", "input.min"), ("report.txt", "the input as found")):
        path = f.folder / name
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if text and (reports.ZMCHECK_REPORT.search(text) or name == "report.txt"):
            lines += ["", f"what broke, running {what}:", reports.failure_excerpt(text)]
            break
    return "\n".join(lines)


def jobs() -> int:
    return os.cpu_count() or 1
