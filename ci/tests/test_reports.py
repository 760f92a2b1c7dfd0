"""The gate's report writers: Markdown verdict table and JUnit XML."""
import unittest
import xml.etree.ElementTree as ET

from support import temp_dir
from zmcheck_cli import reports
from zmcheck_cli.reports import FAIL, NOT_RUN, PASS, Step

STEPS = [
    Step("build default", PASS, "build/default", "cmake --preset default", 12.0),
    Step("fuzz fuzz_ops_model", FAIL, "1 finding: a|b", "ci/zmcheck fuzz --target fuzz_ops_model", 45.0, "boom"),
    Step("properties (tsan)", NOT_RUN, "not run: build tsan did not hold", "ctest --preset tsan -L properties"),
]


class Verdict(unittest.TestCase):
    def test_every_step_must_hold(self):
        self.assertTrue(reports.verdict(STEPS[:1]))
        self.assertFalse(reports.verdict(STEPS[:2]))
        self.assertFalse(reports.verdict([STEPS[0], STEPS[2]]))  # a step that did not run is a failure

    def test_no_steps_is_no_pass(self):
        self.assertFalse(reports.verdict([]))


class Markdown(unittest.TestCase):
    def test_table_rows_and_verdict(self):
        text = reports.markdown("gate", STEPS, ["random seed 7"])
        self.assertIn("**Verdict: FAIL** (1/3 steps held)", text)
        self.assertIn("- random seed 7", text)
        rows = [l for l in text.splitlines() if l.startswith("| ") and "---" not in l]
        self.assertEqual(len(rows), 1 + len(STEPS))
        self.assertIn("1 finding: a\\|b", text)  # a pipe does not break the table
        self.assertIn("`ci/zmcheck fuzz --target fuzz_ops_model`", text)
        self.assertIn("## fuzz fuzz_ops_model: FAIL", text)

    def test_pass(self):
        self.assertIn("**Verdict: PASS**", reports.markdown("gate", STEPS[:1]))

    def test_a_held_step_still_lists_what_it_skipped(self):
        step = Step("corpus (default)", PASS, "14 passed, 0 failed; 3 of 9 ops skipped in 1 file(s)",
                    listing="- `corpus/fuzz_ops_model/seed-every-op`: 3 of 9 ops: query x3 (no zmalloc_size())\n")
        text = reports.markdown("external", [step])
        self.assertIn("**Verdict: PASS**", text)
        self.assertIn("## corpus (default): the ops each file skipped (this build cannot run them)\n\n"
                      "- `corpus/fuzz_ops_model/seed-every-op`: 3 of 9 ops: query x3 (no zmalloc_size())", text)
        self.assertNotIn("the ops each file skipped", reports.markdown("gate", STEPS))


class JUnit(unittest.TestCase):
    def test_one_testcase_per_step(self):
        root = ET.fromstring(reports.junit("zmcheck.gate", STEPS))
        suite = root.find("testsuite")
        self.assertEqual(suite.get("tests"), "3")
        self.assertEqual(suite.get("failures"), "1")
        self.assertEqual(suite.get("errors"), "1")
        cases = suite.findall("testcase")
        self.assertEqual([c.get("name") for c in cases], [s.name for s in STEPS])
        self.assertIsNone(cases[0].find("failure"))
        self.assertIsNotNone(cases[1].find("failure"))
        self.assertIn("replay: ci/zmcheck fuzz", cases[1].find("failure").text)
        self.assertIsNotNone(cases[2].find("error"))

    def test_write_both_files(self):
        d = temp_dir(self)
        md, xml = reports.write(d / "r", "gate", "zmcheck.gate", STEPS)
        self.assertTrue(md.read_text().startswith("# gate"))
        ET.parse(xml)


class Excerpt(unittest.TestCase):
    def test_a_gtest_log_shows_its_first_failing_test(self):
        log = "\n".join(["[ RUN      ] A.Passes", "[       OK ] A.Passes (0 ms)",
                         "[ RUN      ] A.Fails", "a_test.cpp:9: Failure", "Expected equality", "  used: 48",
                         "[  FAILED  ] A.Fails (1 ms)", "[ RUN      ] A.Later", "[       OK ] A.Later (0 ms)",
                         "[  FAILED  ] A.Fails", "1 FAILED TEST"])
        excerpt = reports.failure_excerpt(log)
        self.assertTrue(excerpt.startswith("[ RUN      ] A.Fails"), excerpt)
        self.assertIn("a_test.cpp:9: Failure", excerpt)
        self.assertTrue(excerpt.endswith("[  FAILED  ] A.Fails (1 ms)"), excerpt)


if __name__ == "__main__":
    unittest.main()
