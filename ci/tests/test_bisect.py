"""ci/zmcheck bisect the whole way: a small repository of zmcheck's own example in seven
commits (a tag on the first, one commit that does not build, one that plants a
one-line accounting bug in zfree), a kit made from a trace, then the bisection, built
commit by commit: it must name the bug's commit, report the broken one as skipped, write
bisect.json and the report's section, leave the repository as it was, and on a rerun
build nothing."""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from support import DRIVER, ROOT, driver_env
from test_bisect_parts import commit_file, git_in
from zmcheck_cli import signatures

EXAMPLE = ROOT / "examples" / "oldstyle-zmalloc"
PROFILE = EXAMPLE / "oldstyle.profile"
EXAMPLES_BUILD = ROOT / "build" / "default" / "examples"
TRACE_TOOL = EXAMPLES_BUILD / "example_oldstyle_trace"
BUGGY_REPLAY = EXAMPLES_BUILD / "example_oldstyle-bug_fuzz_ops_model"  # the same one-line bug, built by ctest
REPO_NAME = "oldstyle-history"  # names build/external-bisect-oldstyle-history/, reused by every run of the test
TRACE = "# dialect: ops\ns0 = zmalloc(1)\nzfree(s0)\n"
FREE_LINE = "    count(0, counted(*header_of(p)));\n"
BUGGY_FREE_LINE = "    count(0, *header_of(p) + HEADER);\n"
HEADER_OF = "static size_t *header_of(void *p) { return (size_t *)p - 1; }\n"


def edited(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"expected {old!r} once in the example's zmalloc.c")
    return text.replace(old, new)


@unittest.skipUnless(TRACE_TOOL.exists() and BUGGY_REPLAY.exists(),
                     "needs the default build's examples (cmake --build --preset default)")
class BisectAnExampleHistory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="zmcheck-bisect-test-"))
        cls.repo = cls.dir / REPO_NAME
        cls.repo.mkdir()
        cls.commits = cls.make_history(cls.repo)
        cls.kit = cls.make_kit(cls.dir / "report")
        shutil.rmtree(ROOT / "build" / f"bisect-{REPO_NAME}" / "cache", ignore_errors=True)
        cls.first = cls.bisect()
        cls.second = cls.bisect()
        cls.good_as_bad = cls.bisect("--bad", cls.commits["header"])
        cls.bad_as_good = cls.bisect("--good", cls.commits["bug"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    @staticmethod
    def make_history(repo: Path) -> dict:
        """The example in seven commits, one a day: name -> hash."""
        git_in(repo, "init", "-q")
        source = (EXAMPLE / "zmalloc.c").read_text()
        day = iter(range(1, 10))

        def commit(text, message):
            return commit_file(repo, "zmalloc.c", text, message, f"2024-03-0{next(day)}T12:00:00+00:00")

        (repo / "zmalloc.h").write_text((EXAMPLE / "zmalloc.h").read_text())
        git_in(repo, "add", "zmalloc.h")
        c = {"first": commit(source, "An older-style zmalloc")}
        git_in(repo, "tag", "-a", "-m", "release 1.0", "v1.0", date="2024-03-01T13:00:00+00:00")
        source = edited(source, "static void count(", "/* Every change of the total goes through here. */\n"
                                                     "static void count(")
        c["comment"] = commit(source, "Say what count() is for")
        source = edited(source, "#define HEADER sizeof(size_t)\n", "#define HEADER (sizeof(size_t))\n")
        c["header"] = commit(source, "Parenthesise HEADER")
        c["broken"] = commit(edited(source, HEADER_OF, HEADER_OF.replace("- 1; }", "- 1 }")),
                             "Shorten header_of (does not build)")
        c["fixed"] = commit(source, "Fix the build of header_of")
        source = edited(source, FREE_LINE, BUGGY_FREE_LINE)
        c["bug"] = commit(source, "Take the header off in zfree")
        c["last"] = commit(source + "/* end of zmalloc.c */\n", "Mark the end of the file")
        return c

    @classmethod
    def make_kit(cls, report: Path) -> Path:
        """A kit as ci/zmcheck external keeps one: the input of the trace, the signature
        the bug's build reports for it, the system under test."""
        trace = cls.dir / "free.trace"
        trace.write_text(TRACE)
        data = cls.dir / "input"
        subprocess.run([str(TRACE_TOOL), "ops", "--encode", str(trace), str(data)], check=True, capture_output=True)
        replay = subprocess.run([str(BUGGY_REPLAY), str(data)], capture_output=True, text=True)
        sig = signatures.parse(replay.stdout + replay.stderr)
        if sig is None:
            raise AssertionError(f"the example's bug did not break an invariant on {TRACE!r}: {replay.stderr}")
        kit = report / "findings" / "fuzz_ops_model" / sig.slug
        kit.mkdir(parents=True)
        shutil.copyfile(data, kit / "input")
        shutil.copyfile(data, kit / "input.min")
        (kit / "report.txt").write_text(replay.stderr)
        (kit / "finding.json").write_text(json.dumps({
            "target": "fuzz_ops_model", "signature": sig.key, "kind": sig.kind, "what": sig.what,
            "preset": "external-oldstyle-zmalloc-bug-fuzz",
            "sut": {"sources": [str(EXAMPLE / "zmalloc.c")], "include_dirs": [str(EXAMPLE)], "definitions": [],
                    "profile": str(PROFILE)}}, indent=2))
        (report / "report.md").write_text("# zmcheck external: oldstyle-zmalloc-bug\n\nverdict: FAIL\n")
        cls.signature = sig.key
        return kit

    @classmethod
    def bisect(cls, *extra):
        start = time.monotonic()
        r = subprocess.run([sys.executable, str(DRIVER), "bisect", str(cls.kit), "--repo", str(cls.repo), *extra],
                           capture_output=True, text=True, env=driver_env(), timeout=3600)
        r.seconds = time.monotonic() - start
        r.result = json.loads((cls.kit / "bisect.json").read_text()) if (cls.kit / "bisect.json").exists() else {}
        return r

    def explain(self, r):
        return f"exit {r.returncode}\n{r.stdout[-6000:]}\n{r.stderr[-3000:]}"

    def test_the_signature_is_the_bug_in_zfree(self):
        self.assertTrue(self.signature.startswith("zmcheck: I1 exactness"), self.signature)

    def test_it_names_the_commit_of_the_bug(self):
        r = self.first
        self.assertEqual(r.returncode, 0, self.explain(r))
        bug = self.commits["bug"]
        self.assertIn(f"first bad commit: {bug} 2024-03-06T12:00:00+00:00 Take the header off in zfree", r.stdout)
        self.assertEqual((r.result["commit"], r.result["subject"]), (bug, "Take the header off in zfree"))
        self.assertEqual(r.result["signature"], self.signature)

    def test_the_commit_that_does_not_build_is_skipped(self):
        r = self.first
        broken = self.commits["broken"]
        self.assertEqual([s["commit"] for s in r.result["skipped"]], [broken], self.explain(r))
        self.assertIn("does not build", r.result["skipped"][0]["why"])
        self.assertIn(f"skipped: {broken}", r.stdout)

    def test_the_good_end_is_the_tag(self):
        r = self.first
        self.assertEqual((r.result["good"], r.result["good_ref"]), (self.commits["first"], "v1.0"), self.explain(r))
        self.assertEqual(r.result["bad"], self.commits["last"])
        self.assertRegex(r.stdout, r"zmcheck bisect: \[\d+\] tag v1\.0 \w+ 2024-03-01 An older-style zmalloc: good")
        self.assertEqual(set(r.result), {"commit", "date", "subject", "candidates", "skipped", "good", "good_ref",
                                         "bad", "bad_ref", "repo", "tree_path", "target", "signature", "input",
                                         "rc_params", "tested", "command", "seconds"})

    def test_one_line_per_commit_tested_and_every_command_printed(self):
        r = self.first
        lines = re.findall(r"^zmcheck bisect: \[(\d+)\].*: (good|BAD|skip) \(", r.stdout, re.M)
        self.assertEqual([int(n) for n, _ in lines], list(range(1, len(lines) + 1)), self.explain(r))
        self.assertEqual(len(lines), r.result["tested"])
        self.assertIn("+ git -C", r.stdout)
        self.assertRegex(r.stdout, r"\+ \(cd \S+ && cmake --build \S+external-bisect-oldstyle-history --target "
                                   r"fuzz_ops_model")

    def test_a_tree_already_built_is_not_built_again(self):
        # "Fix the build of header_of" restores the files of "Parenthesise HEADER": one tree, one build.
        r = self.first
        fixed = re.findall(rf"^zmcheck bisect: \[\d+\] {self.commits['fixed'][:10]} .*\[(.*)\]$", r.stdout, re.M)
        header = re.findall(rf"^zmcheck bisect: \[\d+\] {self.commits['header'][:10]} .*\[(.*)\]$", r.stdout, re.M)
        self.assertEqual(len(fixed), 1, self.explain(r))
        self.assertEqual(fixed[0], "cached build, nothing built")
        self.assertEqual(len(header), 1, self.explain(r))
        self.assertRegex(header[0], r"^built in \d+ s$")

    def test_the_report_names_the_commit(self):
        text = (self.kit.parent.parent.parent / "report.md").read_text()
        self.assertIn("\n## Bisect\n", text)
        self.assertEqual(text.count(f"- `findings/fuzz_ops_model/{self.kit.name}`: introduced by "
                                    f"`{self.commits['bug'][:10]}`"), 1, text)

    def test_the_users_checkout_is_untouched(self):
        self.assertEqual(git_in(self.repo, "status", "--porcelain"), "")
        self.assertEqual(git_in(self.repo, "rev-parse", "HEAD"), self.commits["last"])
        self.assertEqual(len(git_in(self.repo, "worktree", "list").splitlines()), 1)
        self.assertFalse((ROOT / "build" / f"bisect-{REPO_NAME}" / "worktree").exists())

    def test_a_rerun_builds_nothing(self):
        r = self.second
        self.assertEqual(r.returncode, 0, self.explain(r))
        self.assertEqual(r.result["commit"], self.commits["bug"])
        self.assertNotIn("cmake --build", r.stdout)
        tested = re.findall(r"^zmcheck bisect: \[\d+\].*\[(.*)\]$", r.stdout, re.M)
        self.assertTrue(tested, self.explain(r))
        self.assertEqual(set(tested), {"cached build, nothing built", "cached: does not build"}, self.explain(r))
        self.assertLess(r.seconds, self.first.seconds)

    def test_ends_that_are_not_what_they_must_be_fail_with_a_replay(self):
        r = self.good_as_bad
        self.assertEqual(r.returncode, 1, self.explain(r))
        self.assertRegex(r.stderr, rf"expected the signature '{re.escape(self.signature)}' at --bad "
                                   rf"{self.commits['header']} \({self.commits['header'][:10]}\), saw: good "
                                   r"\(no crash in 3 run\(s\)\); replay: ZMCHECK_EVERY_OP=1 \S+/fuzz_ops_model "
                                   r"\S+input.min")
        r = self.bad_as_good
        self.assertEqual(r.returncode, 1, self.explain(r))
        self.assertRegex(r.stderr, r"expected no crash \(give an older --good\) at --good \w+ \(\w+\), saw: bad "
                                   r"\(zmcheck: I1 exactness")
        self.assertEqual(len(git_in(self.repo, "worktree", "list").splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
