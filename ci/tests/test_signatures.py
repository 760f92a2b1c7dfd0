"""Crash signatures and deduplication, from recorded outputs (samples/)."""
import unittest

from support import sample
from zmcheck_cli import signatures


class ZmcheckReports(unittest.TestCase):
    def test_invariant_and_op_kind(self):
        sig = signatures.parse(sample("zmcheck_no_round.txt"))
        self.assertEqual(sig.kind, "zmcheck")
        self.assertEqual(sig.what, "I1 exactness at allocation")
        self.assertEqual(sig.frames, [])
        self.assertTrue(sig.headline.startswith("zmcheck: I1 exactness broken at op 1"))

    def test_the_op_number_sizes_and_alloc_function_do_not_split_a_finding(self):
        a = "==== zmcheck: I1 exactness broken at op 1: s1 = zcalloc(17)\n"
        b = "==== zmcheck: I1 exactness broken at op 9: T1: s4 = zrealloc(s4, 3) @preempt 1\n"
        c = "==== zmcheck: I1 exactness broken at op 9: s4 = ztrymalloc_usable(3, &u)\n"
        self.assertEqual(signatures.parse(a).key, signatures.parse(b).key)
        self.assertEqual(signatures.parse(a).key, signatures.parse(c).key)

    def test_another_op_kind_or_invariant_is_another_finding(self):
        a = signatures.parse("==== zmcheck: I1 exactness broken at op 1: s1 = zcalloc(17)\n")
        free = signatures.parse("==== zmcheck: I1 exactness broken at op 3: zfree_usable(s1, &u)\n")
        size = signatures.parse("==== zmcheck: I2 size broken at op 3: zmalloc_size(s1)\n")
        i2 = signatures.parse("==== zmcheck: I2 size broken at op 1: s1 = zcalloc(17)\n")
        self.assertEqual(free.what, "I1 exactness at free")
        self.assertEqual(size.what, "I2 size at zmalloc_size")
        self.assertEqual(len({a.key, free.key, size.key, i2.key}), 4)

    def test_a_property_claim_keeps_its_invariant_not_its_numbers(self):
        a = signatures.parse("\n==== zmcheck: I1 exactness: realloc 5 -> 9 -> 5 broken\nexpected: x\n====\n")
        b = signatures.parse("\n==== zmcheck: I1 exactness: realloc 17 -> 3 -> 17 broken\n")
        self.assertEqual(a.key, b.key)
        self.assertEqual(a.what, "I1 exactness: realloc N -> N -> N")
        plan = signatures.parse("==== zmcheck: I5 teardown (free_running(threads=3, sizes=1,2)) broken\n")
        self.assertEqual(plan.what, "I5 teardown")

    def test_parsers_keep_the_check_not_the_numbers(self):
        sig = signatures.parse(sample("proc_stat_spaces.txt"))
        self.assertEqual(sig.what, "I8 parsers: stat rss of a valid line")
        other = "==== zmcheck: I8 parsers broken: stat rss of a valid line: expected 5, parser says 7\n"
        self.assertEqual(signatures.parse(other).key, sig.key)
        smaps = "==== zmcheck: I8 parsers broken: smaps Rss: parser says 0, the reference 4096\n"
        self.assertEqual(signatures.parse(smaps).what, "I8 parsers: smaps Rss")

    def test_scheduler_deadlock(self):
        self.assertEqual(signatures.parse(sample("scheduler_deadlock.txt")).what, "scheduler deadlock")

    def test_the_zmcheck_block_wins_over_the_libfuzzer_deadly_signal(self):
        self.assertEqual(signatures.parse(sample("zmcheck_no_round.txt")).kind, "zmcheck")


class SanitizerReports(unittest.TestCase):
    def test_asan_type_and_top_project_frames(self):
        sig = signatures.parse(sample("asan_heap_overflow.txt"))
        self.assertEqual(sig.kind, "AddressSanitizer")
        self.assertEqual(sig.what, "heap-buffer-overflow")
        # __asan_memset (runtime) and the fuzz/ and libFuzzer frames are skipped.
        self.assertEqual(sig.frames, ["zmcheck::Executor::run", "zmcheck::(anonymous namespace)::run_single",
                                      "zmcheck::run_case"])
        self.assertNotIn("0x", sig.key)

    def test_ubsan(self):
        sig = signatures.parse(sample("ubsan_overflow.txt"))
        self.assertEqual(sig.kind, "UndefinedBehaviorSanitizer")
        self.assertEqual(sig.what, "unsigned integer overflow")
        self.assertEqual(sig.frames[:2], ["zm::(anonymous namespace)::allocate", "ztrymalloc_usable"])

    def test_tsan(self):
        sig = signatures.parse(sample("tsan_race.txt"))
        self.assertEqual((sig.kind, sig.what), ("ThreadSanitizer", "data race"))
        self.assertEqual(sig.frames, ["zm::counter_add", "zmalloc"])

    def test_addresses_do_not_split_a_finding(self):
        text = sample("asan_heap_overflow.txt")
        moved = text.replace("0x619000029897", "0x6190000aaaaa").replace("0x55a50f9", "0x7ffff00")
        self.assertEqual(signatures.parse(moved).key, signatures.parse(text).key)

    def test_other_frames_make_another_finding(self):
        text = sample("asan_heap_overflow.txt").replace("zmcheck::Executor::run(", "zmcheck::Executor::check(", 1)
        self.assertNotEqual(signatures.parse(text).key, signatures.parse(sample("asan_heap_overflow.txt")).key)

    def test_slug_is_a_folder_name(self):
        for name in ("asan_heap_overflow.txt", "zmcheck_no_round.txt", "tsan_race.txt"):
            slug = signatures.parse(sample(name)).slug
            self.assertRegex(slug, r"^[a-z0-9-]+-[0-9a-f]{8}$")


class LibFuzzerReports(unittest.TestCase):
    def test_timeout_and_oom_without_numbers(self):
        t = signatures.parse("==77== ERROR: libFuzzer: timeout after 45 seconds\n")
        self.assertEqual((t.kind, t.what), ("libFuzzer", "timeout"))
        o = signatures.parse("==77== ERROR: libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)\n")
        self.assertEqual(o.what, "out-of-memory")


class NoCrash(unittest.TestCase):
    def test_clean_output(self):
        self.assertIsNone(signatures.parse("INFO: Seed: 1\n#2 INITED cov: 10\nDone 2 runs in 0 second(s)\n"))

    def test_first_message_of_a_gtest_or_rapidcheck_failure(self):
        self.assertEqual(signatures.first_message("x\nFalsifiable after 12 tests and 3 shrinks\n"),
                         "Falsifiable after 12 tests and 3 shrinks")
        self.assertEqual(signatures.first_message("[  FAILED  ] Alloc.Sizes (0 ms)\n"), "[  FAILED  ] Alloc.Sizes (0 ms)")

    def test_function_names_lose_their_parameters(self):
        self.assertEqual(signatures.short_function("zm::f(unsigned long, int) const"), "zm::f")
        self.assertEqual(signatures.short_function("(anonymous namespace)::g(int)"), "(anonymous namespace)::g")


if __name__ == "__main__":
    unittest.main()
