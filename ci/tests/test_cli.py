"""The command line: the registry matches -h; usage errors exit 2 before anything runs."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

from support import DRIVER, driver_env, temp_dir
from zmcheck_cli import main as main_module
from zmcheck_cli import registry


def run(*args, **env):
    return subprocess.run([sys.executable, str(DRIVER), *args], capture_output=True, text=True,
                          env=driver_env(**env), timeout=120)


class Help(unittest.TestCase):
    def test_help_lists_exactly_the_registry(self):
        r = run("-h")
        self.assertEqual(r.returncode, 0)
        listed = re.findall(r"^    (\w+)", r.stdout, re.M)
        self.assertEqual(listed, list(registry.COMMANDS))

    def test_the_issue_s_subcommands_are_registered(self):
        for name in ("list", "build", "test", "fuzz", "reproduce", "minimize", "merge", "promote", "trace",
                     "mutants", "bench", "coverage", "gate"):
            self.assertIn(name, registry.COMMANDS)

    def test_each_subcommand_has_help(self):
        for name in registry.COMMANDS:
            r = run(name, "-h")
            self.assertEqual(r.returncode, 0, name)
            self.assertIn(f"usage: ci/zmcheck {name}", r.stdout)

    def test_parser_built_from_registry(self):
        p = main_module.parser()
        sub = next(a for a in p._actions if a.dest == "command")
        self.assertEqual(list(sub.choices), list(registry.COMMANDS))


class GateSteps(unittest.TestCase):
    def test_the_gates_mutants_step_has_every_option_of_the_mutants_command(self):
        from zmcheck_cli.commands import gate
        args = gate.quick_mutants_args("m.json")
        self.assertEqual((args.quick, args.json, args.preset, args.external, args.only), (True, "m.json", "mutants", None, None))


class UsageErrors(unittest.TestCase):
    def test_no_subcommand(self):
        self.assertEqual(run().returncode, 2)

    def test_unknown_subcommand(self):
        self.assertEqual(run("frobnicate").returncode, 2)

    def test_unknown_option(self):
        self.assertEqual(run("fuzz", "--frob").returncode, 2)

    def test_bad_number(self):
        self.assertEqual(run("fuzz", "--seconds", "soon").returncode, 2)
        r = run("fuzz", "--seconds", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("positive", r.stderr)

    def test_missing_file(self):
        r = run("reproduce", "/nonexistent/crash-1")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no such file", r.stderr)

    def test_promote_bad_name(self):
        with tempfile.NamedTemporaryFile() as f:
            r = run("promote", f.name, "--name", "Bad_Name")
        self.assertEqual(r.returncode, 2)
        self.assertIn("[a-z0-9-]+", r.stderr)

    def test_promote_needs_a_name(self):
        with tempfile.NamedTemporaryFile() as f:
            self.assertEqual(run("promote", f.name).returncode, 2)

    def test_trace_needs_file_or_encode(self):
        self.assertEqual(run("trace").returncode, 2)

    def test_mutants_bad_seeds(self):
        self.assertEqual(run("mutants", "--seeds", "0").returncode, 2)

    def test_unknown_preset(self):
        r = run("build", "--preset", "nosuch")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no preset", r.stderr)

    def test_fuzz_refuses_a_mutant_in_a_build_without_mutants(self):
        r = run("fuzz", "--preset", "fuzz", ZM_MUTANT="no_round")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--preset mutants", r.stderr)

    def test_a_missing_tool_is_named_with_its_package(self):
        bin_dir = str(temp_dir(self))
        os.symlink("/usr/bin/dpkg-query", os.path.join(bin_dir, "dpkg-query"))
        r = run("build", "--preset", "default", PATH=bin_dir)  # no cmake on this PATH
        self.assertEqual(r.returncode, 2)
        self.assertIn("cmake is not installed (apt-get install cmake)", r.stderr)

    def test_merge_refuses_a_mutant(self):
        r = run("merge", ZM_MUTANT="no_round")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
