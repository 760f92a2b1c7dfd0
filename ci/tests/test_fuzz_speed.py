"""bench --fuzz: libFuzzer's final stats read, the medians, the table against the ceiling
and a baseline."""
import unittest
from pathlib import Path
from unittest import mock

from support import ROOT, temp_dir
from zmcheck_cli import fuzz_speed, shell
from zmcheck_cli.commands import bench

FINAL = """#123456 DONE   cov: 188 ft: 909 corp: 311/11581b lim: 88 exec/s: 9159 rss: 114Mb
stat::number_of_executed_units: 82438
stat::average_exec_per_sec:     9159
stat::new_units_added:          120
"""


class FuzzSpeed(unittest.TestCase):
    def test_the_final_stats_give_the_rate(self):
        self.assertEqual(fuzz_speed.exec_per_second(FINAL), 9159)
        self.assertEqual(fuzz_speed.exec_per_second("#5 INITED exec/s: 0\n"), 0)
        self.assertEqual(fuzz_speed.coverage(FINAL), (188, 909))
        self.assertEqual(fuzz_speed.coverage("#5 INITED cov: 3 ft: 4\n"), (0, 0))

    def test_median_and_table(self):
        B = fuzz_speed.Binary
        ops = B("this build", "fuzz_ops_model", "", [], "", runs=[9000, 7000, 12000],
                coverage=[(200, 1000), (210, 1300), (190, 1200)])
        ceiling = B("this build", "fuzz_empty_ceiling", "", [], "", runs=[900000, 1000000, 1100000])
        old = B("abc1234567", "fuzz_ops_model", "", [], "", runs=[4500, 4400, 4600])
        self.assertEqual(ops.median, 9000)
        self.assertEqual(ops.median_coverage, (200, 1200))
        rows = fuzz_speed.table([ops, ceiling, old], ceiling, "abc1234567")
        self.assertIn("| fuzz_ops_model | 9,000 | 9,000, 7,000, 12,000 | 0.90 % | 200 / 1,200 | 4,500 | 2.00 | - |",
                      rows)
        self.assertTrue(rows[-1].startswith("| fuzz_empty_ceiling (the ceiling) | 1,000,000 |"))
        self.assertEqual(len([r for r in rows if "fuzz_ops_model" in r]), 1)  # the baseline's is a column

    def test_a_target_the_baseline_lacks(self):
        B = fuzz_speed.Binary
        new = B("this build", "fuzz_new_model", "", [], "", runs=[10])
        rows = fuzz_speed.table([new], None, "abc")
        self.assertIn("| fuzz_new_model | 10 | 10 | - | - | - | - | - |", rows)

    def test_perf_rows_lose_their_padding(self):
        text = ("# Overhead  Shared Object  Symbol\n"
                "    14.80%  fuzz_ops_model     [.] __asan::Allocator::Allocate                    \n"
                "     8.50%  [kernel.kallsyms]  [k] pvm_irq_enable   \n")
        self.assertEqual(fuzz_speed.perf_rows(text), [(14.8, "fuzz_ops_model", "__asan::Allocator::Allocate"),
                                                      (8.5, "[kernel.kallsyms]", "pvm_irq_enable")])


class BaselineBuilds(unittest.TestCase):
    def test_each_preset_measured_has_a_build_folder_of_its_own(self):
        """A cache keeps the variables of an earlier configure: a baseline built for an
        external preset must not be the one zmcheck's own preset is measured against."""
        d = temp_dir(self)
        (d / "CMakePresets.json").write_text((ROOT / "CMakePresets.json").read_text())
        commands = []

        def run(cmd, **kw):
            commands.append([str(c) for c in cmd])
            if cmd[:2] == ["cmake", "--preset"]:
                folder = Path(cmd[cmd.index("-B") + 1])
                folder.mkdir(parents=True, exist_ok=True)
                (folder / "fuzz-targets.json").write_text('{"targets": []}')
            return shell.Result(0, "")

        external = {"ZM_SUT_SOURCES": "z.c", "ZM_SUT_INCLUDE_DIRS": "", "ZM_SUT_DEFINITIONS": "", "ZM_PROFILE": "p"}
        with mock.patch.object(bench.paths, "root", return_value=d), \
                mock.patch.object(bench.gitrepo, "commit_of", return_value="a" * 40), \
                mock.patch.object(bench.gitrepo, "git"), \
                mock.patch.object(bench.shell, "run", side_effect=run), \
                mock.patch.object(bench.cmake, "parse_manifest", return_value=None), \
                mock.patch.object(bench.kits, "configured_as", side_effect=[external, {}]):
            bench.baseline_manifest("HEAD~1", "external-r-fuzz")
            bench.baseline_manifest("HEAD~1", "fuzz")
        configures = [c for c in commands if c[:2] == ["cmake", "--preset"]]
        folders = [c[c.index("-B") + 1] for c in configures]
        self.assertEqual([Path(f).name for f in folders], ["external-r-fuzz", "fuzz"])
        self.assertIn("-DZM_SUT_SOURCES=z.c", configures[0])
        self.assertFalse(any(a.startswith("-DZM_SUT") for a in configures[1]))
        self.assertTrue(all("--fresh" in c for c in configures))  # nothing an earlier configure set is kept


if __name__ == "__main__":
    unittest.main()
