"""ci/zmcheck external: its command line, the profiles it reads, the plan it builds and
what its report says. (The builds themselves are the acceptance runs of the README; the
examples' corpus replays are ctests of zmcheck's own build.)"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

from support import DRIVER, ROOT, driver_env, sample, temp_dir
from zmcheck_cli import cmake, distinct, profiles, reports
from zmcheck_cli.commands import external, steps
from zmcheck_cli.errors import UsageError

EXAMPLE = ROOT / "examples" / "oldstyle-zmalloc"
BUG = ROOT / "examples" / "oldstyle-zmalloc-bug"


def run(*args, **env):
    return subprocess.run([sys.executable, str(DRIVER), "external", *args], capture_output=True, text=True,
                          env=driver_env(**env), timeout=120)


def namespace(sources, **kw):
    values = dict(sources=[str(s) for s in sources], include=[], define=[], profile=None,
                  seconds=external.DEFAULT_SECONDS, name=None, report=None, no_tsan=False)
    values.update(kw)
    return argparse.Namespace(**values)


class CommandLine(unittest.TestCase):
    """Every usage error exits 2 before anything is built."""

    def assertUsage(self, r, text):
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(text, r.stderr)
        self.assertNotIn("+ cmake", r.stdout)

    def test_needs_sources(self):
        self.assertEqual(run().returncode, 2)

    def test_a_missing_source(self):
        self.assertUsage(run("/nonexistent/zmalloc.c"), "no such source file")

    def test_not_a_source(self):
        self.assertUsage(run(str(EXAMPLE / "oldstyle.profile")), "not a C or C++ source")

    def test_a_missing_include_folder(self):
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--include", "/nonexistent"), "no such folder")

    def test_a_bad_definition(self):
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--define", "1BAD=2"), "expected NAME or NAME=VALUE")

    def test_a_bad_profile_names_its_line(self):
        d = temp_dir(self)
        (d / "bad.profile").write_text("name = x\naccounting = both\n")
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--profile", str(d / "bad.profile")),
                         "bad.profile line 2: accounting is prefix or usable")

    def test_a_missing_profile(self):
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--profile", "/nonexistent.profile"), "no such file")

    def test_bad_seconds_and_name(self):
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--seconds", "0"), "positive")
        self.assertUsage(run(str(EXAMPLE / "zmalloc.c"), "--name", "a/b"), "letters, digits")


class Plan(unittest.TestCase):
    def test_paths_are_absolute_and_cmake_lists(self):
        plan = external.make_plan(namespace([EXAMPLE / "zmalloc.c", ROOT / "src" / "zmalloc.cpp"],
                                            include=[str(EXAMPLE), "src"], define=["A=1", 'H="x.h"'],
                                            profile=str(EXAMPLE / "oldstyle.profile"), name="two"))
        v = plan.cache_variables()
        self.assertEqual(v["ZM_SUT_SOURCES"], f"{EXAMPLE / 'zmalloc.c'};{ROOT / 'src' / 'zmalloc.cpp'}")
        self.assertEqual(v["ZM_SUT_INCLUDE_DIRS"], f"{EXAMPLE};{Path('src').resolve()}")
        self.assertEqual(v["ZM_SUT_DEFINITIONS"], 'A=1;H="x.h"')
        self.assertEqual(v["ZM_PROFILE"], str(EXAMPLE / "oldstyle.profile"))
        self.assertEqual(plan.build("fuzz"), "external-two-fuzz")
        self.assertEqual(plan.profile["name"], "oldstyle-example")

    def test_defaults(self):
        plan = external.make_plan(namespace([BUG / "zmalloc.c"]))
        self.assertEqual(plan.name, "oldstyle-zmalloc-bug")  # the sources' folder
        self.assertEqual(plan.profile.path, str(profiles.default_path()))  # zmcheck's own contract
        self.assertEqual(plan.report_dir.name, "external-oldstyle-zmalloc-bug-report")
        self.assertTrue(plan.tsan)

    def test_sources_of_several_folders_are_named_after_the_first(self):
        self.assertEqual(external.default_name([str(EXAMPLE / "zmalloc.c"), str(ROOT / "src" / "zmalloc.cpp")]),
                         "zmalloc")

    def test_a_semicolon_cannot_reach_cmake(self):
        with self.assertRaises(UsageError):
            external.make_plan(namespace([EXAMPLE / "zmalloc.c"], define=["A=1;B=2"]))


class Profiles(unittest.TestCase):
    def test_every_shipped_profile_parses(self):
        files = sorted((ROOT / "profiles").glob("*.profile")) + sorted((ROOT / "examples").glob("*/*.profile"))
        self.assertGreaterEqual(len(files), 5)
        for f in files:
            with self.subTest(f.name):
                p = profiles.load(f)
                self.assertTrue(p["name"])
                self.assertTrue(p.describe())

    def test_the_keys_are_the_harness_s(self):
        """The reader knows the keys harness/profile.h documents, and the words profile.cpp takes."""
        header = (ROOT / "harness" / "profile.h").read_text()
        documented = re.findall(r"^//   (\w+)\s", header, re.M)
        self.assertEqual(sorted(documented), sorted(profiles.KEYS))
        source = (ROOT / "harness" / "profile.cpp").read_text()
        for key, (kind, _) in profiles.KEYS.items():
            if isinstance(kind, tuple):  # a key of words: {"key", {{"word", [](Profile &p) ...}, ...}}
                entry = re.search(r'\{"' + key + r'", \{(.*?)\}\}\},?\n', source, re.S)
                self.assertIsNotNone(entry, key)
                self.assertEqual(re.findall(r'\{"(\w+)", \[\]', entry.group(1)), list(kind), key)
            else:
                self.assertIn(f'key == "{key}"', source)

    def test_defaults_are_zmcheck_s_contract(self):
        own = profiles.load(ROOT / "profiles" / "zmcheck-prefix.profile")
        self.assertEqual(own.values, profiles.parse("name = zmcheck-prefix\n").values)

    def test_errors_name_the_line(self):
        for text, why in (("header = eight", "line 1: header is a number"),
                          ("# c\nrealloc_zero = keeps", "line 2: realloc_zero is frees or resizes or oom"),
                          ("colour = blue", "unknown key 'colour'"),
                          ("exclude = malloc, zmalloc", "no op is named 'zmalloc'"),
                          ("just words", "expected key = value")):
            with self.subTest(text):
                with self.assertRaises(UsageError) as e:
                    profiles.parse(text)
                self.assertIn(why, str(e.exception))

    def test_exclude_takes_op_names_of_the_catalogue(self):
        p = profiles.parse("exclude = try_malloc, try_calloc\nexclude = free_usable")
        self.assertEqual(p["exclude"], ("try_malloc", "try_calloc", "free_usable"))
        self.assertIn("calloc_num", profiles.op_names())

    def test_describe_says_what_is_checked(self):
        text = profiles.load(EXAMPLE / "oldstyle.profile").describe()
        self.assertIn("A(n) = round_up(n + 8, 8)", text)
        self.assertIn("the backend asked for n + 8", text)
        self.assertIn("zrealloc(p, 0) resizes", text)
        self.assertIn("huge sizes not checked", text)
        usable = profiles.parse("accounting = usable\nhuge_realloc = frees\ncalloc_num_zero_size = fails").describe()
        self.assertIn("usable-size accounting", usable)
        self.assertIn("a huge realloc frees the block", usable)
        self.assertIn("zcalloc_num(n, 0) fails", usable)


SUT_OLDSTYLE = {"profile": "oldstyle-example", "accounting": "prefix",
                "functions": {"zmalloc": True, "zcalloc_num": False, "ztrymalloc": False, "zfree": True,
                              "zm_test_set_preempt_hook": False},
                "size_from_backend": False, "preemptible": False,
                "left_out": {"calloc_num": "no zcalloc_num()", "try_malloc": "no ztrymalloc()"},
                "huge_sizes": "skipped (profile: huge = skip)"}


class Report(unittest.TestCase):
    def test_notes_say_what_the_allocator_lacks_and_how_threads_ran(self):
        notes = "\n".join(external.sut_notes(SUT_OLDSTYLE, tsan=True))
        self.assertIn("it lacks: zcalloc_num, ztrymalloc", notes)
        self.assertNotIn("zm_test", notes)  # zmcheck's own seams are not zmalloc.h's
        self.assertIn("calloc_num (no zcalloc_num())", notes)
        self.assertIn("no preemption points", notes)
        self.assertIn("free-running threads", notes)
        self.assertIn("under ThreadSanitizer", notes)
        self.assertIn("huge sizes: not run", notes)
        self.assertIn("ThreadSanitizer not run: --no-tsan", "\n".join(external.sut_notes(SUT_OLDSTYLE, tsan=False)))
        own = dict(SUT_OLDSTYLE, preemptible=True, left_out={}, functions={"zmalloc": True})
        self.assertIn("parks ops at the allocator's preemption points", "\n".join(external.sut_notes(own, True)))
        macro = dict(SUT_OLDSTYLE, size_from_backend=True)
        self.assertIn("a macro of malloc_usable_size", "\n".join(external.sut_notes(macro, True)))

    def test_a_finding_shows_its_trace_and_what_broke(self):
        d = temp_dir(self)
        folder = d / "findings" / "fuzz_ops_model" / "i1-exactness"
        folder.mkdir(parents=True)
        (folder / "reproduce.txt").write_text("ci/zmcheck reproduce x --preset external-a-fuzz\n")
        (folder / "trace.txt").write_text("# zmcheck trace; dialect: ops\ns1 = zcalloc(17)\n")
        (folder / "report.txt").write_text("the input as found\n" + sample("zmcheck_no_round.txt"))
        (folder / "trace-run.txt").write_text("INFO: noise\n" + sample("zmcheck_no_round.txt"))
        text = distinct.kit_excerpt(folder)
        self.assertIn("s1 = zcalloc(17)", text)
        self.assertIn("==== zmcheck: I1 exactness broken at op 1", text)
        self.assertIn("replay:", text)
        self.assertNotIn("INFO: noise", text)
        self.assertNotIn("libFuzzer: deadly signal", text)  # the zmcheck report, not the stack under it

    def test_excerpt_of_a_log_without_a_zmcheck_report_is_its_tail(self):
        log = "\n".join(f"line {i}" for i in range(200))
        self.assertEqual(reports.failure_excerpt(log, max_lines=3), "line 197\nline 198\nline 199")

    def test_the_report_holds_the_notes_and_the_details(self):
        d = temp_dir(self)
        s = steps.Steps(d, "zmcheck external: x", "zmcheck.external", ["profile: p"], "external")
        s.step("corpus (default)", "ctest", lambda: (False, "1 failed", "==== zmcheck: I5 teardown broken at op 2"))
        s.step("fuzz", "ci/zmcheck fuzz", lambda: (True, "ok"), needs=["build fuzz"])
        md = (d / "report.md").read_text()
        self.assertIn("# zmcheck external: x", md)
        self.assertIn("**Verdict: FAIL**", md)
        self.assertIn("- profile: p", md)
        self.assertIn("I5 teardown broken at op 2", md)
        self.assertIn("not run: build fuzz did not hold", md)
        self.assertTrue((d / "junit.xml").exists())


class Builds(unittest.TestCase):
    def test_a_configured_external_build_is_a_preset_name(self):
        root = temp_dir(self)
        shutil.copy(ROOT / "CMakePresets.json", root)
        os.environ["ZMCHECK_ROOT"] = str(root)
        self.addCleanup(os.environ.pop, "ZMCHECK_ROOT")
        with self.assertRaises(UsageError) as e:
            cmake.check_preset("external-a-fuzz")
        self.assertIn("no build of ci/zmcheck external", str(e.exception))
        (root / "build" / "external-a-fuzz").mkdir(parents=True)
        (root / "build" / "external-a-fuzz" / "CMakeCache.txt").write_text("")
        cmake.check_preset("external-a-fuzz")
        self.assertTrue(cmake.is_external("external-a-fuzz"))
        self.assertFalse(cmake.is_external("fuzz"))
        with self.assertRaises(UsageError):
            cmake.configure_external("mine-fuzz", "fuzz", {})


class Example(unittest.TestCase):
    def test_the_planted_bug_is_one_line(self):
        good = (EXAMPLE / "zmalloc.c").read_text().splitlines()
        bad = (BUG / "zmalloc.c").read_text().splitlines()
        changed = [l for l in difflib.unified_diff(good, bad, lineterm="", n=0)
                   if l[:1] in "+-" and not l.startswith(("+++", "---"))]
        self.assertEqual(len(changed), 2, changed)  # one line out, one in
        self.assertEqual((EXAMPLE / "zmalloc.h").read_text(), (BUG / "zmalloc.h").read_text())
        readme = (BUG / "README.md").read_text()
        self.assertIn(changed[1][1:].strip(), readme)  # the README shows the line

    def test_the_example_lacks_what_its_profile_says(self):
        header = (EXAMPLE / "zmalloc.h").read_text()
        for absent in ("ztrymalloc", "zmalloc_usable", "zcalloc_num", "zmalloc_usable_size"):
            self.assertNotIn(absent + "(", header)
        self.assertIn("zmalloc_enable_thread_safeness(void)", header)


if __name__ == "__main__":
    unittest.main()
