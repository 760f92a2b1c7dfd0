"""One finding per root cause: occurrences of one bug at several invariants and ops, from
prove, fuzzing and the properties, are one finding, shown with its smallest witness."""
import json
import unittest

from support import ROOT
from zmcheck_cli import distinct, signatures


def report(invariant, op, why=""):
    return (f"==== zmcheck: {invariant} broken at op 1: {op}\nexpected: x\nseen:     y\n"
            + (f"why:      {why}\n" if why else "") + "====\n")


def occurrence(step, text, ops=0, count=1):
    return distinct.Occurrence(step, step, signatures.parse(text), text, f"replay {step}", count, ops=ops)


UNROUNDED_ALLOC = report("I1 exactness", "s0 = zmalloc(1)",
                         "this op moved used_memory by 9 where the contract moves it by 16: it added n + header, "
                         "unrounded (n = 1)")
UNROUNDED_TEARDOWN = report("I5 teardown", "check()",
                            "the teardown's zfree(s0): this op moved used_memory by -9 where the contract moves it "
                            "by -16: it took off n + header, unrounded (n = 1)")
THREADED_ALLOC = report("I1 exactness", "T1: s0 = zmalloc(4294967295)")
OTHER_BUG = report("I7 out-params", "zfree_usable(s0, &u)")


class Causes(unittest.TestCase):
    def test_one_bug_at_several_invariants_is_one_finding_with_its_smallest_witness(self):
        found = [occurrence("fuzz fuzz_threads_model", THREADED_ALLOC, ops=7, count=3),
                 occurrence("fuzz fuzz_ops_model", UNROUNDED_ALLOC, ops=5),
                 occurrence("prove", UNROUNDED_TEARDOWN, ops=2, count=40),
                 occurrence("properties", OTHER_BUG)]
        groups = distinct.group(found)
        self.assertEqual(len(groups), 2)
        bug = next(g for g in groups if g.key == "why: counts n + header unrounded")
        self.assertEqual(len(bug.occurrences), 3)
        self.assertEqual(bug.first.step, "prove")
        self.assertEqual(bug.first.ops, 2)
        self.assertEqual(bug.count, 44)
        self.assertEqual(dict(distinct.surfaced(bug)), {"fuzz fuzz_threads_model": 3, "fuzz fuzz_ops_model": 1,
                                                        "prove": 40})
        lines = "\n".join(distinct.markdown(groups))
        self.assertIn("the smallest witness: 2 ops, from prove", lines)
        self.assertIn("surfaced: ", lines)
        doc = json.loads(distinct.findings_json("run", groups))
        entry = next(f for f in doc["findings"] if f["signature"] == bug.key)
        self.assertEqual(entry["witness_ops"], 2)
        self.assertEqual(set(entry["signatures"]), {"zmcheck: I1 exactness at allocation", "zmcheck: I5 teardown at check"})

    def test_a_threaded_case_without_a_why_stays_apart_when_no_case_of_its_signature_explains_itself(self):
        groups = distinct.group([occurrence("fuzz", THREADED_ALLOC), occurrence("fuzz", OTHER_BUG)])
        self.assertEqual(sorted(g.key for g in groups),
                         ["zmcheck: I1 exactness at allocation", "zmcheck: I7 out-params at free"])

    def test_the_shapes_the_prover_names_are_the_drivers(self):
        # harness/tools/zmcheck_prove.cpp keeps the same table: its causes group no coarser.
        source = (ROOT / "harness" / "tools" / "zmcheck_prove.cpp").read_text(encoding="utf-8")
        for phrase, shape in distinct.SHAPES:
            self.assertIn(f'{{"{phrase}", "{shape}"}}', source)


def property_report(law, why):
    """A property's failure (properties/isolation.cpp's require): no op index, its own law."""
    return f"\n==== zmcheck: {law} broken\nexpected: x\nseen:     y\nwhy:      {why}\n====\n"


ROUNDING_SIZE = "zmalloc_size counts n + header rounded up to sizeof(long) (n = 1)"
HEADERLESS_REALLOC = ("this op moved used_memory by 8 where the contract moves it by 0: it added A(n) for the new "
                      "block (n = 1) and took off n, without the header for the old one (n = 1)")


class PropertiesShareTheCauses(unittest.TestCase):
    def test_a_property_that_explains_its_failure_joins_the_provers_finding(self):
        found = [occurrence("prove", report("I2 size", "s0 = zmalloc(1)", ROUNDING_SIZE), ops=1),
                 occurrence("properties", property_report("I2 size: A(1)", ROUNDING_SIZE)),
                 occurrence("properties", property_report("I1 exactness: free order", ROUNDING_SIZE)),
                 occurrence("prove", report("I1 exactness", "s0 = zrealloc(s0, 1)", HEADERLESS_REALLOC), ops=2),
                 occurrence("properties", property_report("I1 exactness: realloc 1 -> 1 -> 1", HEADERLESS_REALLOC))]
        groups = distinct.group(found)
        self.assertEqual(sorted(len(g.occurrences) for g in groups), [2, 3])
        self.assertTrue(all(g.first.step == "prove" for g in groups))


if __name__ == "__main__":
    unittest.main()
