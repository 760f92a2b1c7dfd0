"""The corpus only grows: promote naming and refusal, merges that never delete."""
import unittest

from support import temp_dir
from zmcheck_cli import corpus
from zmcheck_cli.errors import UsageError


class Promote(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.corpus = self.dir / "corpus" / "fuzz_ops_model"
        self.crash = self.dir / "crash.min"
        self.crash.write_bytes(b"\x01\x02")

    def test_names_are_lowercase_words(self):
        for good in ("realloc-fail", "a", "issue-12"):
            self.assertEqual(corpus.check_name(good), good)
        for bad in ("Realloc", "a_b", "", "a b", "../x", "x/y", "é"):
            with self.assertRaises(UsageError):
                corpus.check_name(bad)

    def test_promote_writes_regress_file(self):
        dest = corpus.promote(self.crash, self.corpus, "two-bytes")
        self.assertEqual(dest, self.corpus / "regress-two-bytes")
        self.assertEqual(dest.read_bytes(), b"\x01\x02")

    def test_promote_refuses_an_existing_name_and_keeps_the_file(self):
        self.corpus.mkdir(parents=True)
        (self.corpus / "regress-old").write_bytes(b"old")
        with self.assertRaises(UsageError):
            corpus.promote(self.crash, self.corpus, "old")
        self.assertEqual((self.corpus / "regress-old").read_bytes(), b"old")


class Merge(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.corpus = self.dir / "corpus"
        self.corpus.mkdir()
        (self.corpus / "seed-a").write_bytes(b"a")
        (self.corpus / "regress-b").write_bytes(b"b")
        self.new = self.dir / "staging"
        self.new.mkdir()

    def candidates(self, **files):
        for name, data in files.items():
            (self.new / name).write_bytes(data)
        return sorted(self.new.iterdir())

    def test_adds_new_contents_as_fuzz_sha1_and_deletes_nothing(self):
        before = {p.name: p.read_bytes() for p in self.corpus.iterdir()}
        added = corpus.add_new_inputs(self.corpus, self.candidates(x=b"a", y=b"new", z=b"new"), lambda f: [])
        after = {p.name: p.read_bytes() for p in self.corpus.iterdir()}
        for name, data in before.items():
            self.assertEqual(after[name], data)
        self.assertEqual(len(added), 1)  # b"a" is there already, b"new" twice is once
        self.assertEqual(added[0].name, "fuzz-" + corpus.sha1(self.new / "y"))
        self.assertEqual(len(after), len(before) + 1)

    def test_never_adds_an_input_that_crashes(self):
        files = self.candidates(ok=b"fine", bad=b"boom")
        added = corpus.add_new_inputs(self.corpus, files, lambda fs: [f for f in fs if f.read_bytes() == b"boom"])
        self.assertEqual([a.read_bytes() for a in added], [b"fine"])

    def test_never_overwrites(self):
        target = self.corpus / "fuzz-x"
        target.write_bytes(b"kept")
        self.assertFalse(corpus.add_exclusive(self.candidates(n=b"other")[0], target))
        self.assertEqual(target.read_bytes(), b"kept")


if __name__ == "__main__":
    unittest.main()
