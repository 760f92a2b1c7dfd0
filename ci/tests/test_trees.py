"""external --tree: the release line read off a tree's version, the profile and shape it
picks, the defines of each shape; and what makes a run check nothing (exit 2)."""
import unittest

from support import ROOT, temp_dir
from zmcheck_cli import mutants, profiles, trees
from zmcheck_cli.commands import external
from zmcheck_cli.commands.mutants import groups
from zmcheck_cli.errors import UsageError


def tree(d, version_h, header=""):
    src = d / "src"
    src.mkdir(parents=True)
    (src / "zmalloc.c").write_text("/* a zmalloc */\n")
    (src / "zmalloc.h").write_text(header)
    (src / "version.h").write_text(version_h)
    return d


class Lines(unittest.TestCase):
    def test_versions_name_their_line(self):
        cases = {("redis", (2, 2, 15)): "2.2", ("redis", (4, 0, 14)): "4.0", ("redis", (3, 9, 103)): "4.0",
                 ("redis", (4, 9, 104)): "5.0", ("redis", (6, 1, 240)): "6.2", ("redis", (7, 9, 224)): "8.0",
                 ("redis", (255, 255, 255)): "8.0", ("redis", (999, 999, 999)): "8.0", ("redis", (2, 6, 0)): "2.6",
                 ("valkey", (8, 0, 1)): "8.0", ("valkey", (7, 9, 240)): "8.0", ("valkey", (255, 255, 255)): "8.1"}
        for (project, version), line in cases.items():
            with self.subTest(project=project, version=version):
                self.assertEqual(trees.line_of(project, version)[0], line)

    def test_older_than_every_line_is_refused(self):
        with self.assertRaises(UsageError):
            trees.line_of("redis", (2, 0, 4))

    def test_every_line_has_its_profiles(self):
        shipped = set(profiles.shipped())
        for project, lines in trees.LINES.items():
            for line in lines:
                t = trees.Tree(None, project, line + ".0", line, "")
                for mode in ("prefix", "usable") if t.has_usable_shape() else ("prefix",):
                    with self.subTest(project=project, line=line, mode=mode):
                        self.assertIn(t.profile_name(mode), shipped)
                        self.assertEqual(profiles.load(t.profile_name(mode))["accounting"], mode)


class Shapes(unittest.TestCase):
    def test_a_redis_tree_read_off_its_version_h(self):
        d = tree(temp_dir(self), '#define REDIS_VERSION "5.0.14"\n', "#ifdef __GLIBC__\n#endif\n")
        t = trees.read(d)
        self.assertEqual((t.project, t.line, t.default_mode()), ("redis", "5.0", "usable"))
        self.assertEqual(t.definitions("usable"), [])
        self.assertEqual(t.definitions("prefix"), [trees.HIDE_GLIBC_DEFINE])  # no define of its own selects it

    def test_a_tree_with_no_malloc_usable_size_uses_its_own_define(self):
        d = tree(temp_dir(self), '#define REDIS_VERSION "7.2.6"\n', "#if !defined(NO_MALLOC_USABLE_SIZE)\n")
        self.assertEqual(trees.read(d).definitions("prefix"), [trees.PREFIX_DEFINE])

    def test_valkey_is_told_by_its_own_version(self):
        d = tree(temp_dir(self), '#define VALKEY_VERSION "8.0.1"\n#define REDIS_VERSION "7.2.4"\n')
        self.assertEqual((trees.read(d).project, trees.read(d).line), ("valkey", "8.0"))

    def test_old_lines_have_no_usable_shape(self):
        d = tree(temp_dir(self), '#define REDIS_VERSION "4.0.14"\n')
        t = trees.read(d)
        self.assertEqual(t.default_mode(), "prefix")
        self.assertEqual(t.profile_name("prefix"), "redis-4.0")
        with self.assertRaisesRegex(UsageError, "no usable-size shape"):
            t.definitions("usable")

    def test_not_a_tree(self):
        with self.assertRaisesRegex(UsageError, "no zmalloc.c"):
            trees.read(temp_dir(self))


class NothingChecked(unittest.TestCase):
    def test_a_prefix_profile_on_a_build_without_a_header(self):
        why = external.contradiction({"macros": ["zmalloc_size"], "functions": {"zmalloc_set_oom_handler": True}},
                                     profiles.load("redis-6.2-prefix"))
        self.assertIn("makes zmalloc_size() a macro", why)

    def test_failures_that_return_need_a_handler_setter(self):
        why = external.contradiction({"macros": [], "functions": {}}, profiles.load("redis-6.2"))
        self.assertIn("no zmalloc_set_oom_handler", why)
        self.assertEqual(external.contradiction({"macros": [], "functions": {}}, profiles.load("redis-2.2")), "")

    def test_profiles_by_name_and_by_path(self):
        self.assertEqual(profiles.load("redis-5.0-prefix").path, profiles.load(ROOT / "profiles" /
                                                                              "redis-5.0-prefix.profile").path)
        with self.assertRaisesRegex(UsageError, "the names:"):
            profiles.load("redis-1.0")


class MutantGroups(unittest.TestCase):
    def test_the_usable_layout_s_mutants_run_in_their_own_build(self):
        text = "no_round\talloc accounts\t\nusable_charges_request\tcharges\tusable\n"
        chosen = mutants.parse_catalogue(text)
        self.assertEqual(mutants.usable_mutants(text), {"usable_charges_request"})
        self.assertEqual([(p, [n for n, _ in ms]) for p, ms in groups("mutants", chosen, text)],
                         [("mutants", ["no_round"]), ("mutants-usable", ["usable_charges_request"])])


if __name__ == "__main__":
    unittest.main()
