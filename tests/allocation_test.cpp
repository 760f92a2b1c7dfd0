// zmalloc, zcalloc, zcalloc_num, zstrdup, zfree: blocks, sizes and the total.
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "test_support.h"

namespace zm_test {
namespace {

class Allocation : public ZmallocTest {};

const size_t kSizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 100, 255, 256, 257, 4095, 4096, 65537};

TEST_F(Allocation, ZmallocGivesOwnedUsableBytesAndAccountsThem) {
  for (size_t n : kSizes) {
    SCOPED_TRACE("n = " + std::to_string(n));
    void *p = zmalloc(n);
    ASSERT_NE(p, nullptr);
    size_t usable = zmalloc_usable_size(p);
    EXPECT_GE(usable, n);
    EXPECT_EQ(zmalloc_size(p), expected_accounted(p, n));
    if (kPrefix) {
      EXPECT_EQ(usable, prefix_accounted(n) - kPrefixSize);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
    }
    EXPECT_EQ(used(), static_cast<int64_t>(zmalloc_size(p)));
    std::memset(p, 0x5a, usable);  // every usable byte is the caller's (ASan checks)
    zfree(p);
    EXPECT_EQ(used(), 0);
  }
}

TEST_F(Allocation, PrefixAccountingRoundsToLongAsTheSeedDoes) {
  if (!kPrefix) GTEST_SKIP() << "prefix accounting only";
  EXPECT_EQ(prefix_accounted(0), 8u);
  EXPECT_EQ(prefix_accounted(1), 16u);
  EXPECT_EQ(prefix_accounted(8), 16u);
  EXPECT_EQ(prefix_accounted(9), 24u);
  for (size_t n : kSizes) {
    void *p = zmalloc(n);
    EXPECT_EQ(zmalloc_size(p), prefix_accounted(n)) << "n = " << n;
    zfree(p);
  }
}

TEST_F(Allocation, ZeroSizeBlocksAreUniqueAndAccounted) {
  std::set<void *> seen;
  std::vector<void *> blocks;
  int64_t expected = 0;
  for (int i = 0; i < 64; i++) {
    void *p = zmalloc(0);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(seen.insert(p).second) << "zmalloc(0) gave a pointer that is still live";
    expected += static_cast<int64_t>(zmalloc_size(p));
    blocks.push_back(p);
  }
  EXPECT_EQ(used(), expected);
  for (void *p : blocks) zfree(p);
}

TEST_F(Allocation, ZcallocZeroesTheRequestedBytes) {
  // Dirty the memory first so that a non-zeroing calloc would show.
  for (size_t n : kSizes) {
    void *dirty = zmalloc(n);
    std::memset(dirty, 0xff, zmalloc_usable_size(dirty));
    zfree(dirty);
    auto *p = static_cast<unsigned char *>(zcalloc(n));
    ASSERT_NE(p, nullptr);
    for (size_t i = 0; i < n; i++) ASSERT_EQ(p[i], 0) << "byte " << i << " of zcalloc(" << n << ")";
    EXPECT_EQ(used(), static_cast<int64_t>(expected_accounted(p, n)));
    zfree(p);
  }
}

TEST_F(Allocation, ZcallocNumGivesAZeroedProduct) {
  auto *p = static_cast<unsigned char *>(zcalloc_num(7, 13));
  ASSERT_NE(p, nullptr);
  EXPECT_GE(zmalloc_usable_size(p), 91u);
  for (size_t i = 0; i < 91; i++) ASSERT_EQ(p[i], 0);
  EXPECT_EQ(used(), static_cast<int64_t>(expected_accounted(p, 91)));
  zfree(p);
}

TEST_F(Allocation, ZcallocNumOfAZeroProductIsAUniqueBlock) {
  void *a = zcalloc_num(0, 100);
  void *b = zcalloc_num(100, 0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(OomRecorder::calls, 0);
  zfree(a);
  zfree(b);
}

TEST_F(Allocation, ZstrdupCopiesIntoABlockOfLengthPlusOne) {
  for (std::string s : {std::string(""), std::string("a"), std::string(7, 'x'), std::string(8, 'y'),
                        std::string(15, 'z'), std::string(16, 'q'), std::string(1000, 'r')}) {
    char *copy = zstrdup(s.c_str());
    ASSERT_NE(copy, nullptr);
    EXPECT_STREQ(copy, s.c_str());
    EXPECT_GE(zmalloc_usable_size(copy), s.size() + 1);
    EXPECT_EQ(zmalloc_size(copy), expected_accounted(copy, s.size() + 1));
    EXPECT_EQ(used(), static_cast<int64_t>(zmalloc_size(copy)));
    zfree(copy);
  }
}

TEST_F(Allocation, ZfreeOfNullDoesNothing) {
  unsigned long long calls = backend_calls();
  zfree(nullptr);
  size_t usable = 12345;
  zfree_usable(nullptr, &usable);
  EXPECT_EQ(usable, 0u);
  EXPECT_EQ(used(), 0);
  EXPECT_EQ(backend_calls(), calls);
}

TEST_F(Allocation, UsedMemoryIsTheSumOverLiveBlocks) {
  std::vector<void *> blocks;
  int64_t expected = 0;
  for (size_t i = 0; i < 200; i++) {
    size_t n = (i * 37) % 300;
    void *p = (i % 3 == 0) ? zcalloc(n) : zmalloc(n);
    expected += static_cast<int64_t>(expected_accounted(p, n));
    blocks.push_back(p);
    ASSERT_EQ(used(), expected);
  }
  for (size_t i = 0; i < blocks.size(); i += 2) {
    expected -= static_cast<int64_t>(zmalloc_size(blocks[i]));
    zfree(blocks[i]);
    ASSERT_EQ(used(), expected);
  }
  for (size_t i = 1; i < blocks.size(); i += 2) zfree(blocks[i]);
}

TEST_F(Allocation, ZmallocLibNamesTheBackend) {
  std::string name = ZMALLOC_LIB;
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(name + (zm_test_backend_is_exact() ? "+exact" : ""), zm_test_backend_name());
}

TEST_F(Allocation, EnableThreadSafenessIsHarmless) {
  zmalloc_enable_thread_safeness();
  void *p = zmalloc(10);
  EXPECT_EQ(used(), static_cast<int64_t>(zmalloc_size(p)));
  zfree(p);
}

}  // namespace
}  // namespace zm_test
