"""Crashes of a fuzzing run: confirmed, deduplicated, kept with a kit; flaky ones kept
and reported. A stand-in target (a script) plays libFuzzer's command line."""
import contextlib
import io
import json
import os
import sys
import unittest

from support import fake_target, temp_dir
from zmcheck_cli import kits
from zmcheck_cli.cmake import Target

RULES = '''
if data.startswith(b"boom-alloc"):
    sys.stderr.write("==== zmcheck: I1 exactness broken at op %d: s1 = zmalloc(%d)\\n====\\n" % (len(data), len(data)))
    sys.exit(77)
if data.startswith(b"boom-free"):
    sys.stderr.write("==== zmcheck: I5 teardown broken at op 3: zfree(s1)\\n====\\n")
    sys.exit(77)
'''


class Process(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        binary = fake_target(self.dir, RULES, keep=12)
        self.target = Target("fuzz_fake_model", str(binary), "", str(self.dir / "corpus"), "", "")
        self.artifacts = self.dir / "artifacts"
        self.artifacts.mkdir()
        self.findings = self.dir / "findings"
        for name, data in [("a1", b"boom-alloc-1"), ("a2", b"boom-alloc-22222"), ("f", b"boom-free"),
                           ("gone", b"fine now")]:
            (self.artifacts / f"fuzz_fake_model-crash-{name}").write_bytes(data)

    def run_process(self, preset="fuzz", mutant=""):
        with contextlib.redirect_stdout(io.StringIO()):  # the commands it prints
            return kits.process(self.target, self.artifacts, preset, mutant, root=self.findings)

    def test_dedup_kits_and_flaky(self):
        found = self.run_process()
        confirmed = [f for f in found if not f.flaky]
        flaky = [f for f in found if f.flaky]
        self.assertEqual(sorted(f.signature.what for f in confirmed),
                         ["I1 exactness at allocation", "I5 teardown at free"])
        alloc = next(f for f in confirmed if "I1" in f.signature.what)
        self.assertEqual(len(alloc.inputs), 2)  # two sizes, one finding
        for name in ("input", "input.min", "report.txt", "trace.txt", "reproduce.txt", "finding.json"):
            self.assertTrue((alloc.folder / name).exists(), name)
        self.assertLessEqual((alloc.folder / "input.min").stat().st_size, 12)
        self.assertIn("ci/zmcheck reproduce", alloc.reproduce)
        self.assertIn("--target fuzz_fake_model", alloc.reproduce)
        info = json.loads((alloc.folder / "finding.json").read_text())
        self.assertEqual(info["duplicates"], 1)
        self.assertEqual(len(flaky), 1)
        self.assertTrue(flaky[0].folder.name.startswith("flaky-"))
        self.assertEqual((flaky[0].folder / "input").read_bytes(), b"fine now")
        self.assertTrue((flaky[0].folder / "trace.txt").exists())  # every kit holds its trace

    def test_a_second_run_finds_the_known_finding(self):
        self.run_process()
        again = [f for f in self.run_process() if not f.flaky]
        self.assertTrue(all(f.known for f in again))
        alloc = next(f for f in again if "I1" in f.signature.what)
        info = json.loads((alloc.folder / "finding.json").read_text())
        self.assertEqual(info["seen"], 2)
        self.assertEqual(info["duplicates"], 3)
        self.assertEqual(len(os.listdir(self.findings / "fuzz_fake_model")), 3)  # 2 findings + 1 flaky

    def test_mutant_findings_are_kept_apart(self):
        found = self.run_process("mutants", "no_round")
        confirmed = [f for f in found if not f.flaky]
        self.assertTrue(all(f.folder.name.startswith("mutant-no_round-") for f in confirmed))
        self.assertTrue(all("ZM_MUTANT=no_round" in f.reproduce and "--preset mutants" in f.reproduce
                            for f in confirmed))


if __name__ == "__main__":
    unittest.main()
