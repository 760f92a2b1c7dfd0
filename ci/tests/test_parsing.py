"""What the driver reads from other programs: .options files, libFuzzer status lines,
the manifest, the benchmark's ratio table, zmcheck-mutants."""
import contextlib
import io
import unittest

from support import ROOT, sample, temp_dir
from zmcheck_cli import cmake, libfuzzer, mutants
from zmcheck_cli.commands import bench, test as test_command


class Options(unittest.TestCase):
    def test_libfuzzer_section_as_flags_without_dict(self):
        path = temp_dir(self) / "t.options"
        path.write_text("[libfuzzer]\nmax_len = 4096\ndict = t.dict\n# c\n[other]\nmax_len = 1\n")
        self.assertEqual(libfuzzer.options_flags(path), ["-max_len=4096"])

    def test_the_project_options_parse(self):
        for p in (ROOT / "fuzz").glob("*.options"):
            flags = libfuzzer.options_flags(p)
            self.assertTrue(flags, p)
            self.assertTrue(all(f.startswith("-") and "=" in f for f in flags))


STAT = 2241  # stat::number_of_executed_units of samples/asan_heap_overflow.txt


class Progress(unittest.TestCase):
    def test_fork_mode_lines(self):
        p = libfuzzer.Progress()
        p.feed("#51234: cov: 812 ft: 2000 corp: 45 exec/s 5400 oom/timeout/crash: 0/1/3 time: 20s job: 4 dft_time: 0")
        self.assertEqual((p.executions, p.coverage, p.corpus, p.exec_per_s, p.crashes), (51234, 812, 45, 5400, 4))

    def test_single_process_lines_and_final_stats(self):
        p = libfuzzer.Progress()
        p.feed("#65536\tpulse  cov: 137 ft: 210 corp: 57/217b lim: 6 exec/s: 3276 rss: 42Mb")
        self.assertEqual((p.executions, p.coverage, p.corpus, p.exec_per_s), (65536, 137, 57, 3276))
        p.feed("stat::number_of_executed_units: 70001")
        self.assertEqual(p.executions, 70001)

    def test_executions_of_a_crashed_run(self):
        self.assertEqual(libfuzzer.executions_of(sample("asan_heap_overflow.txt")), STAT)
        self.assertEqual(libfuzzer.executions_of("#5 NEW cov: 1\nstat::number_of_executed_units: 9\n"), 9)


class Manifest(unittest.TestCase):
    TEXT = ('{"libfuzzer": true, "mutants": false, "targets": [\n'
            '{"name": "fuzz_ops_model", "binary": "/b/fuzz_ops_model", "dialect": "ops", "corpus": "/c", '
            '"dict": "/d", "options": "/o"},\n'
            '{"name": "fuzz_proc_reference", "binary": "/b/p", "dialect": "", "corpus": "/c2", '
            '"dict": "/d2", "options": "/o2"}]}')

    def test_targets_and_kinds(self):
        m = cmake.parse_manifest(self.TEXT, "fuzz")
        self.assertTrue(m.libfuzzer)
        self.assertFalse(m.mutants)
        self.assertEqual(m.names(), ["fuzz_ops_model", "fuzz_proc_reference"])
        self.assertTrue(m.target("fuzz_ops_model").ops)
        self.assertFalse(m.target("fuzz_proc_reference").ops)
        self.assertEqual(len(m.select(None)), 2)


class Bench(unittest.TestCase):
    OUT = ("mixed/zmalloc/threads:1_median 40 ns\n\nbackend libc; median time per operation over 5 repetitions\n"
           "threads      zmalloc ns       raw ns    ratio\n1                 41.20        39.00    1.056\n"
           "2                 22.00        19.00    1.158\nzmalloc_used_memory(): 3.10 ns\n")

    def test_ratio_table(self):
        rows, read = bench.parse(self.OUT)
        self.assertEqual([(r[0], r[3]) for r in rows], [(1, 1.056), (2, 1.158)])
        self.assertEqual(read, 3.10)
        self.assertGreater(max(r[3] for r in rows), bench.BOUND)

    def test_no_table(self):
        self.assertEqual(bench.parse("Segmentation fault\n"), ([], None))


class CtestGroups(unittest.TestCase):
    def test_groups(self):
        self.assertEqual(test_command.group_of("fuzz/fuzz_ops_model/generated-files"), "generated-files")
        self.assertEqual(test_command.group_of("corpus/fuzz_ops_model/seed-every-op"), "corpus")
        self.assertEqual(test_command.group_of("unit/libc/prefix"), "unit")


class Mutants(unittest.TestCase):
    def test_catalogue(self):
        self.assertEqual(mutants.parse_catalogue("no_round\taccounts n\nstrdup_short\tshort\n"),
                         [("no_round", "accounts n"), ("strdup_short", "short")])

    def test_verdicts_and_medians(self):
        O = mutants.Outcome
        v1 = mutants.Verdict("a", "", [O("fuzz:t", True, executions=10, seed=1), O("fuzz:t", True, executions=30, seed=2),
                                       O("fuzz:t", False, executions=300000, seed=3), O("unit", True, message="m")])
        v2 = mutants.Verdict("b", "", [O("unit", True, message="only unit"), O("fuzz:t", False, executions=5, seed=1)])
        v3 = mutants.Verdict("c", "", [O("property:p", False, seed=1), O("unit", False)])
        v4 = mutants.Verdict("d", "", [O("property:p", True, cases=7, seed=1, message="Falsifiable after 7 tests")])
        doc = mutants.summarize([v1, v2, v3, v4], 3)
        self.assertEqual(doc["mutants"]["a"]["detectors"]["fuzz:t"]["kills"], "2/3")
        self.assertEqual(doc["mutants"]["a"]["median_executions"], 20)
        self.assertTrue(doc["mutants"]["b"]["only_unit"])
        self.assertTrue(doc["mutants"]["c"]["survived"])
        self.assertEqual(doc["mutants"]["d"]["cases"], 7)
        self.assertEqual(doc["overall"]["survived"], ["c"])
        self.assertEqual(doc["overall"]["only_unit"], ["b"])
        self.assertEqual(doc["overall"]["killed"], 3)
        self.assertIn("SURVIVED", mutants.table(doc))

    def test_executions_to_the_kill_over_the_catalogue(self):
        O = mutants.Outcome
        verdicts = [mutants.Verdict(name, "", [O("fuzz:t", True, executions=e, seed=1), O("fuzz:u", True, executions=e * 3, seed=1)])
                    for name, e in (("a", 10), ("b", 400), ("c", 90000))]
        verdicts.append(mutants.Verdict("d", "", [O("corpus:t", True, executions=2)]))  # no fuzz run: not counted
        o = mutants.summarize(verdicts, 1)["overall"]
        self.assertEqual((o["fuzz_killed"], o["median_executions"], o["max_executions"]), (3, 400, 90000))
        self.assertEqual(mutants.executions_to_kill(o),
                         "executions to the kill by fuzzing over 3 mutants: median 400, maximum 90000")
        self.assertEqual(mutants.executions_to_kill(mutants.summarize(verdicts[3:], 1)["overall"]),
                         "no mutant killed by a fuzz run")

    def test_more_seeds_only_where_seed_one_killed(self):
        class FakeDetectors:
            def __init__(self):
                self.calls = []

            def run(self, detector, mutant, seed):
                self.calls.append((mutant, detector, seed))
                return mutants.Outcome(detector, detector == "fuzz:kills", executions=seed, seed=seed)

        det = FakeDetectors()
        names = ["fuzz:kills", "fuzz:misses", "property:misses", "unit"]
        with contextlib.redirect_stdout(io.StringIO()):  # its progress lines
            verdicts = mutants.run_all([("m", "")], det, 3, False, 2, names=names)
        self.assertEqual(sorted(c for c in det.calls if c[2] > 1), [("m", "fuzz:kills", 2), ("m", "fuzz:kills", 3)])
        self.assertEqual(len(det.calls), len(names) + 2)
        self.assertEqual(len(verdicts[0].outcomes), len(names) + 2)

    def test_quick_runs_with_no_mutant_on_only_the_detectors_that_kill(self):
        class FakeDetectors:
            def __init__(self):
                self.calls = []

            def run(self, detector, mutant, seed):
                self.calls.append((mutant, detector))
                broken = detector == "corpus:broken"          # fails with or without a mutant
                kills = mutant and detector in ("corpus:broken", "property:kills")
                return mutants.Outcome(detector, broken or bool(kills), seed=seed)

        det = FakeDetectors()
        clean = mutants.CleanRuns(det)
        names = ["corpus:misses", "corpus:broken", "property:kills", "property:never-run", "unit"]
        with contextlib.redirect_stdout(io.StringIO()):
            verdicts = mutants.run_all([("m1", ""), ("m2", "")], det, 1, True, 2, clean, names=names)
        for v in verdicts:
            self.assertEqual(v.killers(), ["property:kills"])
        clean_runs = sorted(d for m, d in det.calls if m == "")
        self.assertEqual(clean_runs, ["corpus:broken", "property:kills"])   # once each, only those that killed
        self.assertNotIn("property:never-run", [d for _, d in det.calls])
        self.assertEqual(list(clean.broken()), ["corpus:broken"])


if __name__ == "__main__":
    unittest.main()
