"""Dependencies: apt-get update, then install what is missing; what cannot be installed
is named with its package (exit code 2)."""
import contextlib
import io
import os
import unittest
from unittest import mock

from support import ROOT  # noqa: F401
from zmcheck_cli import deps, shell
from zmcheck_cli.errors import EnvError, USAGE


class Ensure(unittest.TestCase):
    def setUp(self):
        self.commands = []
        patches = [
            mock.patch.object(shell, "run", side_effect=lambda cmd, **kw: self.commands.append(cmd) or shell.Result(0)),
            mock.patch.object(shell, "which", return_value="/usr/bin/apt-get"),
            mock.patch.object(os, "geteuid", return_value=0),
            mock.patch.dict(os.environ, {}, clear=False),
        ]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)
        os.environ.pop("ZMCHECK_NO_INSTALL", None)

    def ensure(self, answers):
        with mock.patch.object(deps, "missing_packages", side_effect=answers), \
                contextlib.redirect_stdout(io.StringIO()) as out:
            deps.ensure()
        return out.getvalue()

    def test_nothing_missing_runs_nothing(self):
        self.ensure([[]])
        self.assertEqual(self.commands, [])

    def test_update_then_install_and_say_so(self):
        out = self.ensure([["relacy-dev", "llvm"], []])
        self.assertEqual(self.commands[0], ["apt-get", "update"])
        self.assertEqual(self.commands[1][:2], ["apt-get", "install"])
        self.assertEqual(self.commands[1][-2:], ["relacy-dev", "llvm"])
        self.assertIn("installing the missing packages: relacy-dev llvm", out)

    def test_what_cannot_be_installed_is_named(self):
        with self.assertRaises(EnvError) as e:
            self.ensure([["libmimalloc-dev"], ["libmimalloc-dev"]])
        self.assertIn("libmimalloc-dev", str(e.exception))
        self.assertEqual(e.exception.code, USAGE)

    def test_check_only(self):
        os.environ["ZMCHECK_NO_INSTALL"] = "1"
        with self.assertRaises(EnvError) as e:
            self.ensure([["clang"]])
        self.assertIn("apt-get install -y clang", str(e.exception))
        self.assertEqual(self.commands, [])


class Packages(unittest.TestCase):
    def test_the_list_of_the_issue(self):
        for p in ("cmake", "ninja-build", "g++", "clang", "libclang-rt-14-dev", "llvm", "libgtest-dev",
                  "libbenchmark-dev", "librapidcheck-dev", "relacy-dev", "libjemalloc-dev",
                  "libgoogle-perftools-dev", "libmimalloc-dev", "pkg-config", "binutils"):
            self.assertIn(p, deps.PACKAGES)

    def test_a_missing_tool_names_its_package(self):
        self.assertEqual(deps.package_of("llvm-profdata-14"), "llvm")
        self.assertIn("ninja-build", str(shell.missing_tool("ninja")))


if __name__ == "__main__":
    unittest.main()
