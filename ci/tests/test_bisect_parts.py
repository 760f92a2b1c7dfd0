"""ci/zmcheck bisect without a build: its command line (every mistake exits 2 before
anything is built), stepping back through tags, what `git bisect run` prints, the
verdict on a commit's replays, how each commit is built, and the report's section.
The whole way, builds included, is test_bisect.py."""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import unittest
from pathlib import Path
from unittest import mock

from support import DRIVER, ROOT, driver_env, sample, temp_dir
from zmcheck_cli import signatures
from zmcheck_cli.bisection import builds, git, good, probe, record, session
from zmcheck_cli.bisection.verdict import BAD, GOOD, SKIP, Verdict, judge
from zmcheck_cli.errors import UsageError

EXAMPLE = ROOT / "examples" / "oldstyle-zmalloc"
PROFILE = EXAMPLE / "oldstyle.profile"
IDENTITY = ["-c", "user.name=zmcheck test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
            "-c", "tag.gpgsign=false"]


def bisect(*args):
    return subprocess.run([sys.executable, str(DRIVER), "bisect", *map(str, args)], capture_output=True, text=True,
                          env=driver_env(), timeout=120)


def git_in(repo, *args, date=None):
    env = dict(os.environ)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    r = subprocess.run(["git", "-C", str(repo), *IDENTITY, *args], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {r.stderr}")
    return r.stdout.strip()


def commit_file(repo, name, text, message, date):
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(text)
    git_in(repo, "add", name)
    git_in(repo, "commit", "-q", "-m", message, date=date)
    return git_in(repo, "rev-parse", "HEAD")


def namespace(**kw):
    values = dict(finding=None, repo=".", good=None, bad="HEAD", tree_path=".", profile=None, mode=None, target=None,
                  runs=session.DEFAULT_RUNS, property=None, rc_params=None, trace=None)
    values.update(kw)
    return argparse.Namespace(**values)


class CommandLine(unittest.TestCase):
    """Every usage error exits 2 with one line that says what was expected, before a build."""

    def setUp(self):
        self.dir = temp_dir(self)
        self.repo = self.dir / "impl"
        self.repo.mkdir()
        git_in(self.repo, "init", "-q")
        commit_file(self.repo, "src/zmalloc.c", (EXAMPLE / "zmalloc.c").read_text(), "first", "2024-01-01T12:00:00")
        self.input = self.dir / "input"
        self.input.write_bytes(b"\x00\x00\x01\x1d\x00")

    def assertUsage(self, r, text):
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(text, r.stderr)
        self.assertNotIn("+ cmake", r.stdout)
        self.assertFalse((ROOT / "build" / "bisect-impl" / "worktree").exists())

    def kit(self, info):
        kit = self.dir / "findings" / "fuzz_ops_model" / "some-finding"
        kit.mkdir(parents=True)
        (kit / "input").write_bytes(self.input.read_bytes())
        (kit / "finding.json").write_text(json.dumps(info))
        return kit

    def test_the_repository_must_be_a_git_repository(self):
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.dir), "not a git repository")
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.dir / "nowhere"),
                         "no such folder")

    def test_the_tree_path_must_hold_zmalloc_c(self):
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.repo, "--tree-path", "lib"),
                         "no zmalloc.c there or in its src/")

    def test_a_kit_must_name_its_target(self):
        kit = self.kit({"signature": "zmcheck: I1 exactness at free"})
        self.assertUsage(bisect(kit, "--repo", self.repo), 'names no "target": give --target')

    def test_a_bare_input_needs_a_target_that_exists(self):
        self.assertUsage(bisect(self.input, "--repo", self.repo), "give its fuzz target with --target")
        self.assertUsage(bisect(self.input, "--repo", self.repo, "--target", "fuzz_nothing"), "no such fuzz target")

    def test_revisions_and_runs(self):
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.repo, "--bad", "v9"),
                         "--bad v9: no such commit")
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.repo, "--good", "HEAD"),
                         "are the same commit")
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.repo, "--runs", "0"),
                         "at least 1 replay")

    def test_a_property_needs_its_rc_params(self):
        self.assertUsage(bisect("--property", "model_state_test", "--repo", self.repo), "needs --rc-params")
        self.assertUsage(bisect("--repo", self.repo), "give a FINDING")

    def test_the_profile_must_describe_the_mode(self):
        self.assertUsage(bisect(self.input, "--target", "fuzz_ops_model", "--repo", self.repo, "--profile",
                                PROFILE, "--mode", "usable"), "describes prefix accounting")

    def test_a_kit_gives_its_input_signature_and_build(self):
        kit = self.kit({"target": "fuzz_ops_model", "signature": "zmcheck: I1 exactness at free",
                        "sut": {"definitions": ["A=1"], "profile": str(PROFILE)}})
        (kit / "input.min").write_bytes(b"\x00")
        s = session.make(namespace(finding=str(kit)), self.repo)
        self.assertEqual((s.target, s.signature, s.input), ("fuzz_ops_model", "zmcheck: I1 exactness at free",
                                                            str(kit / "input.min")))
        self.assertEqual((s.definitions, s.profile, s.profile_from), (["A=1"], str(PROFILE), "the kit"))
        self.assertEqual(s.build_name, "external-bisect-impl")
        s = session.make(namespace(finding=str(kit), profile="redis-5.0-prefix", mode="prefix"), self.repo)
        self.assertEqual((Path(s.profile).name, s.profile_from, s.mode), ("redis-5.0-prefix.profile", "--profile",
                                                                          "prefix"))

    def test_a_kit_replays_the_ops_its_trace_ran(self):
        kit = self.kit({"target": "fuzz_ops_model", "signature": "zmcheck: I1 exactness at free"})
        (kit / "input.min").write_bytes(b"\x00")
        (kit / "trace.txt").write_text("# zmcheck trace; dialect: ops\ns0 = zmalloc(8)\n"
                                       "zfree_usable(s0, &u)  # skipped: no zfree_usable()\nzfree(s0)\n")
        s = session.make(namespace(finding=str(kit)), self.repo)
        self.assertEqual(s.trace, "# zmcheck trace; dialect: ops\ns0 = zmalloc(8)\nzfree(s0)\n")
        self.assertEqual(s.trace_from, str(kit / "trace.txt"))

    def test_a_trace_names_its_target_by_its_dialect(self):
        s = session.make(namespace(trace="# dialect: failures\\ns0 = zmalloc(8)"), self.repo)
        self.assertEqual((s.target, s.trace_from), ("fuzz_failures_model", "--trace"))
        self.assertIn("s0 = zmalloc(8)\n", s.trace)
        self.assertUsage(bisect("--trace", "s0 = zmalloc(8)", "--repo", self.repo), "names no dialect")
        self.assertUsage(bisect("--trace", "s0 = zmalloc(8)", self.input, "--target", "fuzz_ops_model",
                                "--repo", self.repo), "give a FINDING")


class Tags(unittest.TestCase):
    def test_stepping_back_stops_at_the_first_good_tag(self):
        verdicts = {"v3": BAD, "v2": SKIP, "v1": GOOD, "v0": GOOD}
        tried = []

        def test(tag, commit):
            tried.append(tag)
            return Verdict(verdicts[tag], "")

        tags = [(t, f"c-{t}") for t in ("v3", "v2", "v1", "v0")]
        self.assertEqual(good.first_good_tag(tags, test), ("v1", "c-v1"))
        self.assertEqual(tried, ["v3", "v2", "v1"])

    def test_no_good_tag_within_the_limit(self):
        tags = [(f"v{i}", f"c{i}") for i in range(5)]
        self.assertIsNone(good.first_good_tag(tags, lambda t, c: Verdict(BAD, ""), limit=3))
        self.assertIsNone(good.first_good_tag([], lambda t, c: Verdict(GOOD, "")))

    def test_annotated_tags_name_their_commit_once(self):
        text = "v2.0 1111 aaaa\nv2.0-again aaaa\nv1.0 2222\n"
        self.assertEqual(git.parse_tags(text), [("v2.0", "aaaa"), ("v1.0", "2222")])

    def test_tags_of_the_bad_commits_history_newest_first(self):
        repo = temp_dir(self)
        git_in(repo, "init", "-q")
        first = commit_file(repo, "f", "1", "one", "2024-01-01T12:00:00")
        git_in(repo, "tag", "v1.0")
        second = commit_file(repo, "f", "2", "two", "2024-01-02T12:00:00")
        git_in(repo, "tag", "-a", "-m", "release 1.1", "v1.1", date="2024-01-02T13:00:00")
        bad = commit_file(repo, "f", "3", "three", "2024-01-03T12:00:00")
        git_in(repo, "tag", "v1.2-bad")
        git_in(repo, "checkout", "-q", "-b", "side", first)
        commit_file(repo, "f", "side", "side", "2024-01-04T12:00:00")
        git_in(repo, "tag", "v-side")
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            self.assertEqual(git.tags_newest_first(repo, bad), [("v1.1", second), ("v1.0", first)])
        self.assertIn("+ git -C", printed.getvalue())


class BisectOutput(unittest.TestCase):
    def test_the_first_bad_commit(self):
        out = git.parse_run_output(sample("git_bisect_run_found.txt"))
        self.assertEqual(out.first_bad, "4f14742b02af7170a48b64ef2ef647ff0030a312")
        self.assertEqual(out.candidates, [])

    def test_only_skipped_commits_left(self):
        out = git.parse_run_output(sample("git_bisect_run_only_skipped.txt"))
        self.assertEqual(out.first_bad, "")
        self.assertEqual(out.candidates, ["0453a29e89a462a00671aa7b936aece9bfbab29c",
                                          "403a6536ed81e987c32ac0f6679824947c8f848c",
                                          "4f14742b02af7170a48b64ef2ef647ff0030a312"])

    def test_a_run_that_stopped(self):
        out = git.parse_run_output("running  'step'\nbisect run failed:\nexit code 128 from 'step' is < 0 or >= 128\n")
        self.assertEqual((out.first_bad, out.candidates), ("", []))

    def test_the_skipped_commits_of_the_log(self):
        self.assertEqual(git.skipped_in_log(sample("git_bisect_log.txt")),
                         ["403a6536ed81e987c32ac0f6679824947c8f848c"])


class Verdicts(unittest.TestCase):
    REPORT = sample("zmcheck_no_round.txt")

    def setUp(self):
        self.key = signatures.parse(self.REPORT).key

    def test_the_same_signature_is_bad(self):
        v = judge([(0, "clean"), (-6, self.REPORT)], self.key)
        self.assertEqual((v.code, v.seen), (BAD, self.key))

    def test_no_crash_is_good(self):
        self.assertEqual(judge([(0, "")] * 3, self.key).code, GOOD)

    def test_another_signature_is_skipped(self):
        v = judge([(-6, self.REPORT.replace("I1 exactness", "I5 teardown"))], self.key)
        self.assertEqual(v.code, SKIP)
        self.assertIn("another crash: zmcheck: I5 teardown", v.why)

    def test_a_mismatch_held_to_the_end_of_a_whole_case_is_good(self):
        held = ("==== zmcheck: I2 size broken at op 1: s1 = zcalloc(17)\nexpected: zmalloc_size == A(17) == 25\n"
                "seen:     32 (at op 1; the case went on, and broke nothing else, with the total checked against "
                "the contract's A)\n====\n")
        v = judge([(-6, held)], self.key)
        self.assertEqual(v.code, GOOD)
        self.assertIn("no " + self.key, v.why)
        self.assertEqual(judge([(-6, held.split("(at op")[0] + "\n====\n")], self.key).code, SKIP)

    def test_a_binary_that_cannot_check_is_skipped(self):
        v = judge([(2, "zmcheck: nothing can be checked: the allocator under test has no zfree()\n")], self.key)
        self.assertEqual(v.code, SKIP)
        self.assertIn("no zfree()", v.why)

    def test_without_a_signature_any_crash_is_bad(self):
        v = judge([(1, "[  FAILED  ] Model.Holds\n")], "", "property model_state_test")
        self.assertEqual((v.code, v.seen), (BAD, "property model_state_test: exit code 1, no report"))


LEGACY_REPLAY = ROOT / "build" / "default" / "examples" / "example_legacy_fuzz_ops_model"  # lacks zmalloc_size
TRACE_TOOL = ROOT / "build" / "default" / "harness" / "zmcheck-trace"


@unittest.skipUnless(LEGACY_REPLAY.exists() and TRACE_TOOL.exists(),
                     "needs the default build's examples (cmake --build --preset default)")
class AnOpTheCommitCannotRun(unittest.TestCase):
    """A commit whose build lacks a function the input calls is skipped, and says which op."""

    def replay(self, trace):
        d = temp_dir(self)
        (d / "t.trace").write_text(trace)
        subprocess.run([str(TRACE_TOOL), "ops", "--encode", str(d / "t.trace"), str(d / "input")], check=True,
                       capture_output=True)
        s = argparse.Namespace(property_test="", input=str(d / "input"), target="fuzz_ops_model", runs=1)
        return probe.replays(s, LEGACY_REPLAY, "")

    def test_the_commit_is_skipped_naming_the_op(self):
        v = self.replay("s0 = zmalloc(8)\nzmalloc_size(s0)\nzfree(s0)\n")
        self.assertEqual(v.code, SKIP, v.why)
        self.assertIn("cannot run op 1 of the input, zmalloc_size(s0): no zmalloc_size()", v.why)

    def test_an_input_of_ops_it_has_is_checked(self):
        self.assertEqual(self.replay("s0 = zmalloc(8)\nzfree(s0)\ncheck()\n").code, GOOD)


class CommitBuilds(unittest.TestCase):
    """What each commit is built with, read off the tree checked out."""

    def test_a_tree_with_a_profile(self):
        tree = temp_dir(self)
        (tree / "zmalloc.c").write_text("")
        s = session.Session("r", "r", profile=str(PROFILE), profile_from="--profile", definitions=["X=1"])
        v, note = builds.sut_variables(s, tree)
        self.assertEqual(v["ZM_SUT_SOURCES"], f"{tree / 'zmalloc.c'};{ROOT / 'harness' / 'sut' / 'server_hooks.c'}")
        self.assertEqual((v["ZM_SUT_INCLUDE_DIRS"], v["ZM_SUT_DEFINITIONS"], v["ZM_PROFILE"]),
                         (str(tree), "X=1", str(PROFILE)))
        self.assertIn("the kit's definitions", note)

    def test_a_redis_tree_in_prefix_mode(self):
        tree = temp_dir(self)
        (tree / "src").mkdir()
        (tree / "src" / "zmalloc.c").write_text("")
        (tree / "src" / "zmalloc.h").write_text("#define HAVE_MALLOC_SIZE 1\n")
        (tree / "src" / "version.h").write_text('#define REDIS_VERSION "4.9.104"\n')
        v, _ = builds.sut_variables(session.Session("r", "r", mode="prefix"), tree)
        self.assertEqual(v["ZM_SUT_DEFINITIONS"], "ZMCHECK_HIDE_GLIBC")
        self.assertEqual(Path(v["ZM_PROFILE"]).name, "redis-5.0-prefix.profile")

    def test_a_commit_that_cannot_be_built_so(self):
        tree = temp_dir(self)
        with self.assertRaisesRegex(UsageError, "no zmalloc.c in lib"):
            builds.sut_variables(session.Session("r", "r", tree_path="lib", profile=str(PROFILE)), tree)
        (tree / "zmalloc.c").write_text("")
        with self.assertRaisesRegex(UsageError, "--mode prefix needs the tree's version"):
            builds.sut_variables(session.Session("r", "r", mode="prefix"), tree)

    def test_the_cache_key_follows_the_profile_and_target(self):
        v = {"ZM_SUT_SOURCES": "a.c", "ZM_PROFILE": str(PROFILE)}
        key = builds.cache_key(v, "fuzz_ops_model", "h")
        self.assertEqual(key, builds.cache_key(dict(v), "fuzz_ops_model", "h"))
        self.assertNotEqual(key, builds.cache_key(v, "fuzz_failures_model", "h"))
        self.assertNotEqual(key, builds.cache_key(dict(v, ZM_SUT_DEFINITIONS="A"), "fuzz_ops_model", "h"))

    def test_the_harness_digest_follows_the_files_that_build_the_binary(self):
        root = temp_dir(self)
        presets = {"configurePresets": [{"name": "base", "hidden": True, "generator": "Ninja"},
                                        {"name": "default", "inherits": "base"}, {"name": "fuzz", "inherits": "base"}]}
        (root / "CMakePresets.json").write_text(json.dumps(presets))
        (root / "harness").mkdir()
        (root / "harness" / "executor.cpp").write_text("int x;")
        with mock.patch.dict(os.environ, {"ZMCHECK_ROOT": str(root)}):
            self.assertEqual([p["name"] for p in builds.preset_chain()], ["default", "base"])
            before = builds.harness_digest()
            presets["configurePresets"][2]["cacheVariables"] = {"ZM_FUZZ": "ON"}
            (root / "CMakePresets.json").write_text(json.dumps(presets))
            self.assertEqual(builds.harness_digest(), before)
            (root / "harness" / "executor.cpp").write_text("int y;")
            self.assertNotEqual(builds.harness_digest(), before)


class Report(unittest.TestCase):
    RESULT = {"commit": "c6" * 20, "date": "2024-01-06T12:00:00+00:00", "subject": "Take the header off in zfree",
              "candidates": [], "skipped": [{"commit": "c4" * 20}], "good_ref": "v1.0", "bad_ref": "HEAD",
              "repo": "/tmp/r", "command": "ci/zmcheck bisect kit --repo /tmp/r"}

    def test_a_section_is_added_once_per_kit(self):
        line = record.entry("findings/t/a", self.RESULT)
        self.assertIn("introduced by `c6c6c6c6c6` (2024-01-06) \"Take the header off in zfree\"", line)
        self.assertIn("skipped: c4c4c4c4c4", line)
        text = record.with_entry("# report\n\nbody\n", "findings/t/a", line)
        self.assertTrue(text.endswith(f"\n## Bisect\n\n{line}\n"))
        again = record.with_entry(text, "findings/t/a", line.replace("v1.0", "v0.9"))
        self.assertEqual(again.count("findings/t/a"), 1)
        self.assertIn("v0.9", again)
        both = record.with_entry(again, "findings/t/b", record.entry("findings/t/b", self.RESULT))
        self.assertEqual(both.count("## Bisect"), 1)
        self.assertEqual(both.count("- `findings/t/"), 2)

    def test_a_kit_in_a_report_folder(self):
        root = temp_dir(self)
        kit = root / "findings" / "fuzz_ops_model" / "x"
        kit.mkdir(parents=True)
        self.assertIsNone(record.add_to_report(kit, self.RESULT))
        (root / "report.md").write_text("# zmcheck external: x\n")
        self.assertEqual(record.add_to_report(kit, self.RESULT), root / "report.md")
        self.assertIn("- `findings/fuzz_ops_model/x`: introduced by", (root / "report.md").read_text())

    def test_not_narrowed_to_one_commit(self):
        line = record.entry("k", dict(self.RESULT, commit="", candidates=["a" * 40, "b" * 40]))
        self.assertIn("one of `aaaaaaaaaa`, `bbbbbbbbbb`", line)


if __name__ == "__main__":
    unittest.main()
