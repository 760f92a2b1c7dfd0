"""Traces as inputs (traces.py): what is a trace, the target of its dialect, the ops that
ran in a kit's trace, and the skipped ops a corpus replay reports (distinct.py)."""
import unittest
import xml.etree.ElementTree as ET

from support import temp_dir
from zmcheck_cli import distinct, traces
from zmcheck_cli.errors import UsageError

NAMES = ["fuzz_ops_model", "fuzz_failures_model", "fuzz_threads_model", "fuzz_proc_reference"]


class WhatIsATrace(unittest.TestCase):
    def test_by_name_or_by_its_first_line(self):
        d = temp_dir(self)
        (d / "drift.trace").write_text("s0 = zmalloc(8)\n")
        (d / "trace.txt").write_text("# zmcheck trace; dialect: ops\ns0 = zmalloc(8)\n")
        (d / "input").write_bytes(b"\x00\x01\x02")
        (d / "notes.txt").write_text("# zmcheck\n")
        self.assertEqual([traces.is_trace(d / n) for n in ("drift.trace", "trace.txt", "input", "notes.txt")],
                         [True, True, False, False])

    def test_the_target_of_a_dialect(self):
        self.assertEqual(traces.target_of("# zmcheck trace; dialect: threads\nspawn()\n", NAMES),
                         "fuzz_threads_model")
        self.assertEqual(traces.target_of("s0 = zmalloc(8)\n", NAMES, "fuzz_ops_model"), "fuzz_ops_model")
        with self.assertRaisesRegex(UsageError, "names no dialect"):
            traces.target_of("s0 = zmalloc(8)\n", NAMES)
        with self.assertRaisesRegex(UsageError, "no such fuzz target"):
            traces.target_of("s0 = zmalloc(8)\n", NAMES, "fuzz_nothing")
        with self.assertRaisesRegex(UsageError, "dialect proc has no target"):
            traces.target_of("# dialect: proc\n", NAMES)

    def test_the_ops_that_ran_leave_out_the_skipped(self):
        text = "# zmcheck trace; dialect: ops\ns0 = zmalloc(8)\nzmalloc_size(s0)  # skipped: no zmalloc_size()\n"
        self.assertEqual(traces.ops_that_ran(text), "# zmcheck trace; dialect: ops\ns0 = zmalloc(8)\n")

    def test_trace_text_given_on_the_command_line(self):
        text, f = traces.read_text_or_trace(text="s0 = zmalloc(8)\\nzfree(s0)")
        self.addCleanup(f.unlink)
        self.assertEqual(text, "s0 = zmalloc(8)\nzfree(s0)\n")
        self.assertEqual(f.read_text(), text)
        self.assertEqual(f.suffix, ".trace")


class SkippedOpsOfAReplay(unittest.TestCase):
    def junit(self, outputs):
        d = temp_dir(self)
        suite = ET.Element("testsuite")
        for i, out in enumerate(outputs):
            case = ET.SubElement(suite, "testcase", name=f"corpus/t/{i}")
            ET.SubElement(case, "system-out").text = out
        ET.ElementTree(suite).write(d / "j.xml")
        return d / "j.xml"

    def test_counted_per_file_and_per_op(self):
        junit = self.junit([
            "replay: a\nzmcheck skipped: /c/a: 3 of 25 ops: free_usable x2 (no zfree_usable()), "
            "query x1 (zmalloc_size() has another type than zmalloc.h's)\n",
            "replay: b\nzmcheck skipped: /c/b: 1 of 4 ops: free_usable x1 (no zfree_usable())\n", "replay: c\n"])
        s = distinct.skipped_ops(junit)
        self.assertEqual((s["ops"], s["of"], s["kinds"]), (4, 29, {"free_usable": 3, "query": 1}))
        self.assertEqual(sorted(s["files"]), ["/c/a", "/c/b"])
        self.assertEqual(distinct.skipped_line(s),
                         "4 of 29 ops skipped in 2 file(s), the build lacking them: free_usable x3, query x1")

    def test_nothing_skipped_says_nothing(self):
        self.assertEqual(distinct.skipped_line(distinct.skipped_ops(self.junit(["replay: a\n"]))), "")


if __name__ == "__main__":
    unittest.main()
