"""What a profile accepts is counted and reported under "accepted by the profile", never
dropped: the harness's "zmcheck accepted:" lines, summed over a step."""
import json
import tempfile
import unittest
from pathlib import Path

from support import ROOT  # noqa: F401 (puts ci/ on the path)
from zmcheck_cli import accepted, reports

LINES = ("zmcheck accepted: wrapped_reads = transient: 3 wrapped reads of used_memory, the largest "
         "18446744073709551608\n"
         "noise\n"
         "zmcheck accepted: wrapped_reads = transient: 2 wrapped reads of used_memory, the largest "
         "18446744073709551612\n"
         "zmcheck accepted: counter_reads = racy: 4 ThreadSanitizer reports suppressed (race:zmalloc_used_memory)\n")


class Accepted(unittest.TestCase):
    def test_lines_add_up_and_keep_the_largest(self):
        found = accepted.tally(LINES)
        wrapped = found["wrapped reads of used_memory (wrapped_reads = transient)"]
        self.assertEqual(wrapped, {"count": 5, "largest": 18446744073709551612})
        races = found["ThreadSanitizer reports suppressed, race:zmalloc_used_memory (counter_reads = racy)"]
        self.assertEqual(races["count"], 4)

    def test_a_file_of_many_processes_and_a_missing_one(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "accepted.txt"
            self.assertEqual(accepted.of_file(path), {})
            path.write_text(LINES + LINES)
            self.assertEqual(accepted.of_file(path)[
                "wrapped reads of used_memory (wrapped_reads = transient)"]["count"], 10)

    def test_the_report_lists_what_each_step_saw_and_findings_json_holds_it(self):
        seen = reports.Step("fuzz fuzz_threads_model", reports.PASS, accepted=accepted.tally(LINES))
        quiet = reports.Step("prove", reports.PASS)
        with tempfile.TemporaryDirectory() as d:
            md, _ = reports.write(d, "t", "s", [seen, quiet], accepts=["wrapped_reads = transient: ..."])
            text = md.read_text()
            self.assertIn("## Accepted by the profile", text)
            self.assertIn("- fuzz fuzz_threads_model: 5 wrapped reads of used_memory (wrapped_reads = transient), "
                          "the largest 18446744073709551612 (-4 as signed)", text)
            self.assertIn("4 ThreadSanitizer reports suppressed", text)
            rows = json.loads((Path(d) / "findings.json").read_text())["accepted"]
            self.assertEqual(sorted((r["step"], r["count"]) for r in rows),
                             [("fuzz fuzz_threads_model", 4), ("fuzz fuzz_threads_model", 5)])

    def test_a_profile_that_accepts_something_says_so_when_nothing_was_seen(self):
        with tempfile.TemporaryDirectory() as d:
            md, _ = reports.write(d, "t", "s", [reports.Step("prove", reports.PASS)],
                                  accepts=["counter_reads = racy: ..."])
            self.assertIn("- seen: none in any step", md.read_text())
            md, _ = reports.write(d, "t", "s", [reports.Step("prove", reports.PASS)])
            self.assertNotIn("Accepted by the profile", md.read_text())


if __name__ == "__main__":
    unittest.main()
