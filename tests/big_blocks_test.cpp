// The exact test backend's big blocks (more than 64 KiB: mappings, under ASan recycled
// from a queue of freed ones): a calloc reads as zeros even from a mapping a block wrote
// all over, and a use after free is still caught, by ASan's poison or by the fault of
// the unmapped page.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "testing/test_backend.h"

namespace {

const size_t kSizes[] = {(size_t{1} << 16) + 1, size_t{1} << 20, (size_t{1} << 24) + 1};

bool all_zero(const unsigned char *p, size_t n) {
  static const unsigned char zeros[4096] = {};
  for (size_t at = 0; at < n; at += sizeof zeros)
    if (std::memcmp(p + at, zeros, std::min(sizeof zeros, n - at)) != 0) return false;
  return true;
}

TEST(BigBlocks, ACallocReadsAsZerosAfterBlocksOfItsLengthWroteEveryByte) {
  if (!zm_test_backend_is_exact()) GTEST_SKIP() << "big blocks are mappings only in exact builds";
  for (size_t n : kSizes) {
    std::vector<void *> dirty;
    for (int i = 0; i < 4; i++) {  // several, so that whichever the queue gives back was written
      void *p = zm_test_malloc(n);
      ASSERT_NE(p, nullptr);
      std::memset(p, 0xab, n);
      dirty.push_back(p);
    }
    for (void *p : dirty) zm_test_free(p);
    for (int i = 0; i < 4; i++) {
      auto *q = static_cast<unsigned char *>(zm_test_calloc(1, n));
      ASSERT_NE(q, nullptr);
      EXPECT_TRUE(all_zero(q, n)) << "a calloc of " << n << " bytes";
      dirty[static_cast<size_t>(i)] = q;
    }
    for (void *q : dirty) zm_test_free(q);
  }
}

TEST(BigBlocks, AMallocOfARecycledLengthIsAWholeWritableBlock) {
  if (!zm_test_backend_is_exact()) GTEST_SKIP() << "big blocks are mappings only in exact builds";
  for (size_t n : kSizes) {
    void *p = zm_test_malloc(n);
    ASSERT_NE(p, nullptr);
    zm_test_free(p);
    auto *q = static_cast<unsigned char *>(zm_test_malloc(n));
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(zm_test_usable_size(q), n);
    q[0] = 1;
    q[n - 1] = 2;
    zm_test_free(q);  // the canary after the block, checked here, is whole
  }
}

void read_after_free(size_t n, size_t at) {
  auto *p = static_cast<volatile unsigned char *>(zm_test_malloc(n));
  p[at] = 7;
  zm_test_free(const_cast<unsigned char *>(p));
  unsigned char seen = p[at];
  std::fprintf(stderr, "read %u after the free\n", seen);
}

TEST(BigBlocksDeathTest, AReadAfterTheFreeOfABigBlockIsCaught) {
  if (!zm_test_backend_is_exact()) GTEST_SKIP() << "big blocks are mappings only in exact builds";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (size_t n : kSizes) {
    EXPECT_DEATH(read_after_free(n, 0), "") << "its first byte, " << n;
    EXPECT_DEATH(read_after_free(n, n - 1), "") << "its last byte, " << n;
  }
}

}  // namespace
