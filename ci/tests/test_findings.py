"""Findings a person and a CI can trust: every distinct failure of a run listed once and
most severe first, kits whose input.min shows their own signature, flaky and unconfirmed
crashes kept with their reports, a time bound on confirming, SARIF's required fields,
and --baseline."""
import contextlib
import io
import json
import shutil
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET

from support import fake_target, sample, temp_dir
from zmcheck_cli import distinct, kits, reports, sarif, signatures
from zmcheck_cli.cmake import Target
from zmcheck_cli.commands import steps
from zmcheck_cli.commands.crashes import input_file, within_max_len
from zmcheck_cli.commands.test import KEEP_PASSED_OUTPUT
from zmcheck_cli.errors import UsageError

I1_REALLOC = """==== zmcheck: I1 exactness broken at op 1: s0 = zrealloc(s0, 16)
expected: used_memory - baseline == 24 (A summed over 1 live blocks)
seen:     32 (off by 8)
why:      this op moved used_memory by 16 where the contract moves it by 8: it added n + header
profile:  redis-5.0-prefix
the case as run, one op per line (the last one broke the invariant):
  s0 = zmalloc(8)  # op 0: block A=16 usable=8
  s0 = zrealloc(s0, 16)  # op 1: BROKE I1 exactness
====
"""
I2_ALLOC = """==== zmcheck: I2 size broken at op 0: s0 = zmalloc(1)
expected: zmalloc_size == A(1) == 9
seen:     16
profile:  redis-5.0-prefix
the case as run, one op per line (the last one broke the invariant):
  s0 = zmalloc(1)  # op 0: BROKE I2 size
====
"""


def junit_with(tests):
    """A ctest JUnit file: (name, output or None for a pass)."""
    root = ET.Element("testsuite")
    for name, output in tests:
        tc = ET.SubElement(root, "testcase", name=name, status="fail" if output else "run")
        if output:
            ET.SubElement(tc, "failure", message="Failed")
            ET.SubElement(tc, "system-out").text = output
    return ET.tostring(root, encoding="unicode")


class Distinct(unittest.TestCase):
    def test_two_invariants_in_one_log_are_both_listed(self):
        d = temp_dir(self)
        junit = d / "ctest.xml"
        rc = 'Some of your RapidCheck properties had failures. To reproduce these, run with:\nRC_PARAMS="reproduce=BAD"\n'
        junit.write_text(junit_with([("properties/model_state_test", "noise\n" + I2_ALLOC + "more\n" + I1_REALLOC + rc),
                                     ("properties/metamorphic_test", I2_ALLOC), ("corpus/x", None)]))
        found = distinct.from_ctest(junit, "properties", lambda test, r: f"RC_PARAMS={r} ctest -R {test}")
        self.assertEqual([o.signature.what for o in found],
                         ["I2 size at allocation", "I1 exactness at allocation", "I2 size at allocation"])
        self.assertIn("RC_PARAMS=reproduce=BAD", found[0].replay)
        groups = distinct.group(found)
        self.assertEqual([g.signature.what for g in groups], ["I2 size at allocation", "I1 exactness at allocation"])
        self.assertEqual(groups[0].count, 2)
        details = distinct.step_details(found)
        self.assertIn("zrealloc(s0, 16)", details)  # the second failure's case, not only the first
        self.assertIn("zmalloc(1)", details)

    def test_most_severe_first(self):
        asan = sample("asan_heap_overflow.txt")
        occurrences = [distinct.Occurrence("a", "t", signatures.parse(I2_ALLOC.replace("I2 size", "I4 failure")), "", "r"),
                       distinct.Occurrence("a", "t", signatures.parse(I1_REALLOC), "", "r"),
                       distinct.Occurrence("b", "k", signatures.parse(asan), asan, "r")]
        groups = distinct.group(occurrences)
        self.assertEqual([distinct.SEVERITIES[g.severity] for g in groups], ["memory error", "accounting", "contract"])
        md = "\n".join(distinct.markdown(groups))
        self.assertTrue(md.startswith("## Findings: 3 distinct"))
        self.assertLess(md.index("AddressSanitizer"), md.index("I1 exactness"))

    def test_crashes_not_reproduced_come_after_every_confirmed_finding(self):
        unconfirmed = distinct.Occurrence("fuzz", "a crash file", signatures.parse(sample("asan_heap_overflow.txt")),
                                          "", "r", status="unconfirmed")
        confirmed = distinct.Occurrence("fuzz", "t", signatures.parse(I2_ALLOC.replace("I2 size", "I4 failure")), "", "r")
        groups = distinct.group([unconfirmed, confirmed])
        self.assertEqual([g.flaky_only for g in groups], [False, True])
        md = "\n".join(distinct.markdown(groups))
        self.assertIn("[not reproduced: flaky or unconfirmed]", md)
        self.assertNotIn("memory error", md)  # what an unconfirmed crash is, is not known

    def test_a_group_explains_itself_with_its_first_occurrence_that_can(self):
        threaded = I1_REALLOC.replace("why:      this op moved used_memory by 16 where the contract moves it by 8: "
                                      "it added n + header\n", "")
        occurrences = [distinct.Occurrence("p", "t", signatures.parse(threaded), threaded, "r"),
                       distinct.Occurrence("p", "t", signatures.parse(I1_REALLOC), I1_REALLOC, "r")]
        md = "\n".join(distinct.markdown(distinct.group(occurrences)))
        self.assertIn("   - why (of another case: I1 exactness broken at op 1: s0 = zrealloc(s0, 16)): "
                      "this op moved used_memory by 16", md)
        occurrences.reverse()  # the first explains itself: no other case named
        md = "\n".join(distinct.markdown(distinct.group(occurrences)))
        self.assertIn("   - why: this op moved used_memory by 16", md)

    def test_the_abort_that_ends_a_zmcheck_report_is_not_another_finding(self):
        text = I1_REALLOC + "==42== ERROR: libFuzzer: deadly signal\n    #0 0x1 in abort\nSUMMARY: libFuzzer: deadly signal\n"
        self.assertEqual([sig.what for sig, _ in distinct.reports_in(text)], ["I1 exactness at allocation"])

    def test_a_failed_test_without_a_report_is_still_an_occurrence(self):
        d = temp_dir(self)
        (d / "j.xml").write_text(junit_with([("unit/x", "[  FAILED  ] Something.Broke\n")]))
        found = distinct.from_ctest(d / "j.xml", "unit", lambda t, r: f"ctest -R {t}")
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].signature.kind, "test")

    def test_coverage_lines_say_what_really_ran(self):
        d = temp_dir(self)
        (d / "j.xml").write_text(junit_with([("properties/threads_test", None)]).replace(
            'status="run" />', 'status="run"><system-out>zmcheck coverage: storms of 256 threads\nzmcheck coverage: '
            'storms of 256 threads\n</system-out></testcase>'))
        self.assertEqual(distinct.coverage_lines(d / "j.xml"), ["storms of 256 threads"])

    def test_a_coverage_line_after_a_long_passed_output_reaches_the_junit_file(self):
        if not (shutil.which("cmake") and shutil.which("ctest")):
            self.skipTest("cmake is not installed")
        d = temp_dir(self)
        (d / "CMakeLists.txt").write_text(
            "cmake_minimum_required(VERSION 3.25)\nproject(p NONE)\nenable_testing()\n"
            "add_test(NAME long COMMAND sh -c \"yes 0123456789 | head -n 300; echo 'zmcheck coverage: storms of 256'\")\n")
        subprocess.run(["cmake", "-S", str(d), "-B", str(d / "b")], check=True, capture_output=True)

        def coverage(extra):
            junit = d / "j.xml"
            subprocess.run(["ctest", "--test-dir", str(d / "b"), "--output-junit", str(junit)] + extra,
                           check=True, capture_output=True)
            return distinct.coverage_lines(junit)
        self.assertEqual(coverage([]), [])  # ctest's default: the end of a passed test's output is cut
        self.assertEqual(coverage(KEEP_PASSED_OUTPUT), ["storms of 256"])

    def test_report_md_starts_with_the_findings(self):
        d = temp_dir(self)
        s = steps.Steps(d, "zmcheck external: x", "zmcheck.external", ["a note"], "external")
        junit = d / "j.xml"
        junit.write_text(junit_with([("properties/p", I2_ALLOC + I1_REALLOC)]))
        occ = distinct.from_ctest(junit, "properties", lambda t, r: "replay")
        with contextlib.redirect_stdout(io.StringIO()):
            s.step("properties", "ctest", lambda: (False, "1 failed", "", occ))
        md = (d / "report.md").read_text()
        self.assertLess(md.index("## Findings: 2 distinct"), md.index("a note"))
        self.assertIn("I1 exactness at allocation", md.split("| step |")[0])
        self.assertIn("why: this op moved used_memory by 16", md)
        self.assertTrue((d / "findings.json").exists() and (d / "findings.sarif").exists())


class Sarif(unittest.TestCase):
    def required(self, log):
        """The required fields of SARIF 2.1.0 (sarif-schema-2.1.0.json) on what we write."""
        self.assertEqual(log["version"], "2.1.0")
        self.assertIsInstance(log["runs"], list)
        for run in log["runs"]:
            self.assertTrue(run["tool"]["driver"]["name"])
            for rule in run["tool"]["driver"].get("rules", []):
                self.assertTrue(rule["id"])
            for result in run["results"]:
                self.assertTrue(result["message"]["text"])
                self.assertIn(result.get("level", "warning"), ("none", "note", "warning", "error"))
                for loc in result["locations"] + result.get("relatedLocations", []):
                    self.assertTrue(loc["physicalLocation"]["artifactLocation"]["uri"])
                    if "region" in loc["physicalLocation"]:
                        self.assertGreaterEqual(loc["physicalLocation"]["region"]["startLine"], 1)

    def test_one_result_per_distinct_finding_with_its_location(self):
        asan = sample("asan_heap_overflow.txt")
        occ = [distinct.Occurrence("corpus", "t", signatures.parse(I1_REALLOC), I1_REALLOC, "r1"),
               distinct.Occurrence("fuzz", "k", signatures.parse(I1_REALLOC), I1_REALLOC, "r2", kit="findings/a/b"),
               distinct.Occurrence("fuzz", "k2", signatures.parse(asan), asan, "r3")]
        log = sarif.log(distinct.group(occ), "zmcheck", "zmcheck.gate")
        self.required(log)
        results = log["runs"][0]["results"]
        self.assertEqual(len(results), 2)
        rules = {r["ruleId"] for r in results}
        self.assertIn("I1-exactness", rules)
        self.assertTrue(any(r.startswith("AddressSanitizer/") for r in rules))
        i1 = next(r for r in results if r["ruleId"] == "I1-exactness")
        self.assertEqual(i1["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "harness/executor.cpp")
        self.assertEqual(i1["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "findings/a/b")
        self.assertEqual(i1["properties"]["occurrences"], 2)


class Baseline(unittest.TestCase):
    def test_known_findings_hold_new_ones_fail(self):
        d = temp_dir(self)
        first = distinct.group([distinct.Occurrence("s", "t", signatures.parse(I1_REALLOC), "", "r")])
        (d / "findings.json").write_text(distinct.findings_json("zmcheck.gate", first))
        known = distinct.baseline_keys(d / "findings.json")
        s = steps.Steps(d / "r", "t", "zmcheck.gate", [], "gate", known)
        same = [distinct.Occurrence("s", "t", signatures.parse(I1_REALLOC), "", "r")]
        new = [distinct.Occurrence("s", "t", signatures.parse(I2_ALLOC), "", "r")]
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertTrue(s.step("rerun", "x", lambda: (False, "1 failed", "", same)))
            self.assertFalse(s.step("new", "x", lambda: (False, "1 failed", "", new)))
        data = json.loads((d / "r" / "findings.json").read_text())
        self.assertEqual({f["signature"]: f["known"] for f in data["findings"]},
                         {same[0].key: True, new[0].key: False})


RULES = '''
if data.startswith(b"slow"):
    time.sleep(2)
if data.startswith(b"boom") and len(data) > 5:
    sys.stderr.write("==== zmcheck: I1 exactness broken at op 1: s1 = zmalloc(3)\\n====\\n")
    sys.exit(77)
if data.startswith(b"boom"):  # what minimisation leaves crashes otherwise
    sys.stderr.write("==== zmcheck: I5 teardown broken at op 3: zfree(s1)\\n====\\n")
    sys.exit(77)
if data.startswith(b"slow"):
    sys.stderr.write("==== zmcheck: I4 failure broken at op 1: s1 = zmalloc(3)\\n====\\n")
    sys.exit(77)
'''


class Kits(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        binary = fake_target(self.dir, RULES, keep=5)
        self.target = Target("fuzz_fake_model", str(binary), "", "", "", "")
        self.artifacts = self.dir / "artifacts"
        self.artifacts.mkdir()

    def process(self, **kw):
        with contextlib.redirect_stdout(io.StringIO()):
            return kits.process(self.target, self.artifacts, "fuzz", "", root=self.dir / "findings", **kw)

    def test_a_min_input_that_shows_another_crash_is_not_the_kit_s(self):
        (self.artifacts / "fuzz_fake_model-crash-a").write_bytes(b"boom-and-more")
        (finding,) = self.process()
        self.assertEqual((finding.folder / "input.min").read_bytes(), b"boom-and-more")
        info = json.loads((finding.folder / "finding.json").read_text())
        self.assertIn("another crash", info["minimized"])
        self.assertIn("I5 teardown", info["minimized"])

    def test_flaky_keeps_its_report_from_the_fuzzing_log(self):
        (self.artifacts / "fuzz_fake_model-crash-f").write_bytes(b"fine now")
        log = self.dir / "fuzz.log"
        log.write_text("==== zmcheck: I1 exactness broken at op 2: zfree(s1)\n====\n"
                       "Test unit written to artifacts/fuzz_fake_model-crash-f\n")
        (finding,) = self.process(log=log)
        self.assertTrue(finding.flaky)
        self.assertIn("I1 exactness broken", (finding.folder / "report.txt").read_text())
        self.assertIn("ci/zmcheck reproduce", finding.reproduce)

    def test_past_the_deadline_crashes_are_kept_unconfirmed(self):
        for i in range(4):
            (self.artifacts / f"fuzz_fake_model-crash-s{i}").write_bytes(b"slow%d" % i)
        start = time.monotonic()
        found = self.process(deadline=time.monotonic() + 5)
        self.assertLess(time.monotonic() - start, 12)
        self.assertEqual(len(found), 4)
        self.assertTrue(any(f.unconfirmed for f in found))
        for f in found:
            self.assertTrue((f.folder / "input").exists())


class Inputs(unittest.TestCase):
    def test_a_folder_and_a_missing_file_are_named(self):
        d = temp_dir(self)
        with self.assertRaisesRegex(UsageError, "is a folder"):
            input_file(d)
        with self.assertRaisesRegex(UsageError, "no such file"):
            input_file(d / "nope")

    def test_an_input_longer_than_max_len_is_cut_with_a_line(self):
        d = temp_dir(self)
        (d / "t.options").write_text("[libfuzzer]\nmax_len = 16\n")
        big = d / "big"
        big.write_bytes(bytes(range(256)) * 4)
        t = Target("fuzz_x_model", "", "ops", "", "", str(d / "t.options"))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cut = within_max_len(t, big)
        self.assertEqual(cut.read_bytes(), bytes(range(16)))
        self.assertIn("reads at most 16", out.getvalue())
        small = d / "small"
        small.write_bytes(b"abc")
        self.assertEqual(within_max_len(t, small), small)


if __name__ == "__main__":
    unittest.main()
