"""Steps of a proof (gate, external): each one run, timed, judged and written into the
report (report.md + junit.xml) as soon as it ends. A step that raises, or whose needs did
not hold, never counts as a pass."""
import os
import re
import shlex
import time
import traceback

from .. import accepted, distinct, paths, reports
from ..errors import EnvError, NothingChecked, ZmcheckError
from . import fuzzing
from .test import run_ctest


class Steps:
    def __init__(self, report_dir, title, suite, notes, label, baseline=frozenset()):
        """label names the proof in the progress lines: "==== zmcheck <label>: <step>".
        baseline: signatures of known findings (a previous run's findings.json): a step
        whose every finding is known holds, and the report lists them as known."""
        self.steps, self.report_dir, self.notes = [], report_dir, notes
        self.title, self.suite, self.label = title, suite, label
        self.baseline = frozenset(baseline)
        self.accepts = []  # what the profile accepts (its lines in the report), set by the command

    def write(self):
        return reports.write(self.report_dir, self.title, self.suite, self.steps, self.notes, self.baseline,
                             self.accepts)

    def step(self, name, replay, fn, needs=()):
        """Runs fn() -> (held, figures[, details[, occurrences[, accepted[, listing]]]]); a step whose
        needs failed, or that raises, did not run or failed: never a pass. With occurrences
        (distinct.Occurrence), the details list each distinct failure once; accepted: what
        it saw that the profile accepts (accepted.py); listing: what the report lists under
        the step whether or not it held (reports.Step.listing)."""
        s = reports.Step(name, replay=replay)
        missing = [n for n in needs if not any(x.name == n and x.held for x in self.steps)]
        print(f"\n==== zmcheck {self.label}: {name}", flush=True)
        start = time.monotonic()
        if missing:
            s.result, s.figures = reports.NOT_RUN, f"not run: {', '.join(missing)} did not hold"
        else:
            try:
                held, figures, *more = fn()
                s.details = more[0] if more else ""
                s.occurrences = more[1] if len(more) > 1 else []
                s.accepted = more[2] if len(more) > 2 else {}
                s.listing = more[3] if len(more) > 3 else ""
                if s.accepted:
                    figures += "; " + accepted.figure(s.accepted)
                if s.occurrences:
                    s.details = distinct.step_details(s.occurrences)
                    s.known = sorted({o.key for o in s.occurrences if o.key in self.baseline})
                    if not held and all(o.key in self.baseline for o in s.occurrences):
                        held, figures = True, figures + f"; every finding known from the baseline ({len(s.known)})"
                s.result, s.figures = (reports.PASS if held else reports.FAIL), figures
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
    """ctest -L label (and -R regex) of a preset or build: passed/failed counts, and every
    failure of every failed test as an occurrence (distinct.py), with its replay."""
    def fn():
        extra = ["-R", regex] if regex else []
        log_name = f"{log_prefix}-{name or label}"
        code, results, log = run_ctest(preset, label, env=env, log_name=log_name, extra=extra)
        passed = sum(s == "pass" for _, s in results)
        failed = [n for n, s in results if s == "fail"]
        figures = f"{passed} passed, {len(failed)} failed" + (f": {', '.join(failed[:3])}" if failed else "")
        if not results:
            figures = f"no {label} tests ran"

        def replay_of(test, rc_reproduce):
            variables = dict(env or {})
            if rc_reproduce:
                variables["RC_PARAMS"] = rc_reproduce
            assignments = "".join(f"{k}={shlex.quote(str(v))} " for k, v in variables.items())
            return (f"{assignments}ctest --test-dir {paths.rel(paths.build_dir(preset))} "
                    f"-R {shlex.quote('^' + re.escape(test) + '$')} --output-on-failure")

        junit = paths.build_dir(preset) / "zmcheck" / f"{log_name}.xml"
        occurrences = distinct.from_ctest(junit, f"{name or label} ({preset})", replay_of) if failed else []
        coverage = distinct.coverage_lines(junit)
        if coverage:
            figures += "; coverage: " + "; ".join(coverage)
        skipped = distinct.skipped_ops(junit)
        if skipped["ops"]:
            figures += "; " + distinct.skipped_line(skipped)
        seen = accepted.of_junit(junit)
        details = ""
        if (failed or code) and not occurrences:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            details = (("failed: " + ", ".join(failed[:20]) + "\n") if failed else "") + \
                f"log: {paths.rel(log)}\n\n" + reports.failure_excerpt(text)
        # each file's skipped ops: the program this build ran is shorter than the file's
        listing = "".join(f"- `{paths.rel(f)}`: {what}\n" for f, what in sorted(skipped["files"].items()))
        return code == 0 and bool(results), figures, details, occurrences, seen, listing
    return fn


def fuzz_step(target, budget, preset="fuzz", findings_root=None):
    """libFuzzer on one target for `budget` seconds (confirming and minimising its crashes
    within fuzzing.ALLOWANCE more), nothing merged into corpus/; each finding with its
    kit as an occurrence."""
    def fn():
        runs = fuzzing.fuzz_targets(preset, target, budget, None, None, merge=False, findings_root=findings_root)
        r = runs[0]
        figures = f"{r.executions} execs, {r.exec_per_s} exec/s, cov {r.coverage}, corpus {r.corpus}"
        confirmed = [f for f in r.findings if f.confirmed]
        apart = [f for f in r.findings if not f.confirmed]
        if confirmed:
            figures += f"; {len(confirmed)} finding(s): " + "; ".join(f.signature.key for f in confirmed)
        if apart:
            figures += f"; {sum(f.flaky for f in apart)} flaky, {sum(f.unconfirmed for f in apart)} unconfirmed"
        figures += f"; {r.seconds:.0f} s of at most {budget + fuzzing.ALLOWANCE} s"
        if r.error:
            figures += f"; {r.error}"
        occurrences = distinct.from_kits(r.findings, f"fuzz {target}")
        return not r.findings and not r.error, figures, "", occurrences, r.accepted
    return fn


def jobs() -> int:
    return os.cpu_count() or 1
