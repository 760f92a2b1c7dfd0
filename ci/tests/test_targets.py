"""Which target an input belongs to."""
import unittest

from support import ROOT  # noqa: F401  (the package on the path)
from zmcheck_cli import targets
from zmcheck_cli.errors import UsageError

NAMES = ["fuzz_ops_model", "fuzz_failures_model", "fuzz_threads_model", "fuzz_proc_reference"]


class Detect(unittest.TestCase):
    def test_corpus_path(self):
        self.assertEqual(targets.detect("corpus/fuzz_threads_model/seed-handoff", NAMES), "fuzz_threads_model")

    def test_findings_path(self):
        path = "/w/findings/fuzz_ops_model/i1-exactness-at-zcalloc-702c0993/input.min"
        self.assertEqual(targets.detect(path, NAMES), "fuzz_ops_model")

    def test_artifact_name(self):
        self.assertEqual(targets.detect("/tmp/x/fuzz_proc_reference-crash-1ca6211a", NAMES), "fuzz_proc_reference")
        self.assertEqual(targets.detect("fuzz_failures_model-leak-00ff", NAMES), "fuzz_failures_model")

    def test_explicit_target_wins_and_is_checked(self):
        self.assertEqual(targets.detect("corpus/fuzz_ops_model/x", NAMES, "fuzz_failures_model"),
                         "fuzz_failures_model")
        with self.assertRaises(UsageError):
            targets.detect("corpus/fuzz_ops_model/x", NAMES, "fuzz_nothing")

    def test_unknown_path_asks_for_target(self):
        with self.assertRaises(UsageError) as e:
            targets.detect("/tmp/crash-1234", NAMES)
        self.assertIn("--target", str(e.exception))

    def test_a_name_that_prefixes_another_is_not_confused(self):
        names = ["fuzz_ops", "fuzz_ops_model"]
        self.assertEqual(targets.detect("fuzz_ops_model-crash-1", names), "fuzz_ops_model")
        self.assertEqual(targets.detect("fuzz_ops-crash-1", names), "fuzz_ops")


if __name__ == "__main__":
    unittest.main()
