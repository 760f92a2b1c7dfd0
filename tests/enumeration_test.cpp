// The bounded proof's enumeration (harness/enumeration.h): complete, and canonical.
#include <gtest/gtest.h>

#include <set>

#include "enumeration.h"

namespace zmcheck {
namespace {

// A tiny alphabet: three letters that take a slot, one that does not; no injected failures.
Alphabet tiny() {
  Alphabet a;
  a.letters = {Op{.kind = OpKind::malloc, .size = 1}, Op{.kind = OpKind::malloc, .size = 2},
               Op{.kind = OpKind::free}, Op{.kind = OpKind::check}};
  return a;
}

std::vector<Program> enumerate(const Alphabet &a, int length) {
  std::vector<Program> out;
  each_sequential(a, Profile{}, uint64_t{1} << 36, length, {}, [&](const Candidate &c) {
    out.push_back(c.runnable());
    return true;
  });
  return out;
}

// Every program over the letters with any slot names s0..s(length-1).
void all_namings(const Alphabet &a, int length, Program &prefix, std::vector<Program> *out) {
  if (static_cast<int>(prefix.size()) == length) return out->push_back(prefix);
  for (const Op &letter : a.letters) {
    int names = info(letter.kind).has_slot ? length : 1;
    for (int s = 0; s < names; s++) {
      Op op = letter;
      op.slot = static_cast<uint8_t>(s);
      prefix.push_back(op);
      all_namings(a, length, prefix, out);
      prefix.pop_back();
    }
  }
}

TEST(Enumeration, CountMatchesTheClosedFormForATinyAlphabet) {
  for (int length = 1; length <= 5; length++)
    EXPECT_EQ(enumerate(tiny(), length).size(), closed_form_count(3, 1, length)) << "length " << length;
}

TEST(Enumeration, ClosedFormCountsSlotsAsSetPartitions) {
  EXPECT_EQ(closed_form_count(1, 0, 3), 5u);   // Bell(3)
  EXPECT_EQ(closed_form_count(1, 0, 4), 15u);  // Bell(4)
  EXPECT_EQ(closed_form_count(0, 2, 3), 8u);   // no slots: 2^3
  EXPECT_EQ(closed_form_count(2, 1, 2), 1u + 2 * 2 * 1 + 4 * 2);  // C(2,j) a^j b^(2-j) Bell(j)
}

TEST(Enumeration, CanonicalSlotNamingRemovesExactlyTheRenamings) {
  for (int length = 1; length <= 4; length++) {
    std::vector<Program> every;
    Program prefix;
    all_namings(tiny(), length, prefix, &every);
    std::set<std::vector<std::tuple<int, int, uint64_t>>> classes;
    auto shape = [](const Program &p) {
      std::vector<std::tuple<int, int, uint64_t>> v;
      for (const Op &op : p) v.emplace_back(static_cast<int>(op.kind), op.slot, op.size);
      return v;
    };
    for (const Program &p : every) classes.insert(shape(canonical_slots(p)));
    std::set<std::vector<std::tuple<int, int, uint64_t>>> enumerated;
    for (const Program &p : enumerate(tiny(), length)) {
      EXPECT_EQ(shape(canonical_slots(p)), shape(p)) << "an enumerated program is canonical";
      EXPECT_TRUE(enumerated.insert(shape(p)).second) << "each program once";
    }
    EXPECT_EQ(enumerated, classes) << "one program per class of renamings, length " << length;
  }
}

TEST(Enumeration, AnInjectedFailureIsTriedAtEachCallThatCanFail) {
  Alphabet a;
  a.letters = {Op{.kind = OpKind::malloc, .size = 1}, Op{.kind = OpKind::malloc, .size = UINT64_MAX}};
  a.inject_failures = true;
  // zmalloc(1) reaches the backend (plain, and failing); zmalloc(SIZE_MAX) fails before it.
  std::vector<Program> one = enumerate(a, 1);
  ASSERT_EQ(one.size(), 3u);
  EXPECT_EQ(one[1].size(), 2u);
  EXPECT_EQ(one[1][0].kind, OpKind::fail_next);
  EXPECT_EQ(witness_length(one[1]), 1);
}

TEST(Enumeration, BlocksOnlyAllocatesIntoFreshSlotsAndNamesLiveBlocksOrNull) {
  Alphabet a = tiny();
  a.blocks_only = true;
  for (const Program &p : enumerate(a, 4)) {
    std::set<int> made, live;
    for (const Op &op : p) {
      if (op.kind == OpKind::malloc) {
        EXPECT_FALSE(made.count(op.slot)) << "an allocation goes into a fresh slot";
        made.insert(op.slot);
        live.insert(op.slot);
      } else if (op.kind == OpKind::free) {
        EXPECT_TRUE(live.count(op.slot) || !made.count(op.slot)) << "zfree of a live block, or of NULL";
        live.erase(op.slot);
      }
    }
  }
  // Still every call sequence: zmalloc or zfree(NULL) or check first, ..., with the frees of
  // each live block: fewer programs than the canonical renaming, more than none.
  EXPECT_LT(enumerate(a, 3).size(), enumerate(tiny(), 3).size());
}

TEST(Enumeration, SizeDomainHoldsEveryResidueAndTheHugeThresholds) {
  Profile p;
  std::vector<uint64_t> d = size_domain(p);
  for (uint64_t n = 0; n <= p.granule; n++) EXPECT_NE(std::find(d.begin(), d.end(), n), d.end()) << n;
  for (uint64_t n : {UINT64_MAX / 2 - 1, UINT64_MAX / 2, UINT64_MAX - p.header + 1, UINT64_MAX})
    EXPECT_NE(std::find(d.begin(), d.end(), n), d.end()) << size_text(n);
  std::vector<uint64_t> e = edge_size_domain(p);
  EXPECT_LT(e.size(), d.size());
  for (uint64_t n : e) EXPECT_NE(std::find(d.begin(), d.end(), n), d.end()) << "the edges are part of the domain";
}

TEST(Enumeration, ThreadedSchedulesInterleaveBothThreadsAndBoundPreemptions) {
  Alphabet a;
  a.letters = {Op{.kind = OpKind::malloc, .size = 1}};
  int schedules = 0;
  each_threaded(a, 1, 1, 1, [&](const Program &p) {
    schedules++;
    EXPECT_EQ(p.front().kind, OpKind::spawn);
    int parked = 0;
    for (const Op &op : p) parked += op.preempt != 0;
    EXPECT_LE(parked, 1);
    return true;
  });
  // T0's op and T1's op then T1's exit: 3 interleavings; slots: T0 and T1 share s0 or not
  // (2 namings); T1's op parked or not (x2): 3 * 2 * 2.
  EXPECT_EQ(schedules, 12);
}

}  // namespace
}  // namespace zmcheck
