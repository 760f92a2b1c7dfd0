// zrealloc and ztryrealloc: from NULL, to 0, grow, shrink, same size, and failure.
#include <algorithm>
#include <cstring>
#include <string>

#include "test_support.h"

namespace zm_test {
namespace {

class Realloc : public ZmallocTest {};

void fill(void *p, size_t n, unsigned char seed) {
  auto *bytes = static_cast<unsigned char *>(p);
  for (size_t i = 0; i < n; i++) bytes[i] = static_cast<unsigned char>(seed + i * 7);
}

void expect_filled(const void *p, size_t n, unsigned char seed) {
  auto *bytes = static_cast<const unsigned char *>(p);
  for (size_t i = 0; i < n; i++)
    ASSERT_EQ(bytes[i], static_cast<unsigned char>(seed + i * 7)) << "byte " << i << " of " << n;
}

TEST_F(Realloc, FromNullIsZmalloc) {
  void *p = zrealloc(nullptr, 40);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(zmalloc_usable_size(p), 40u);
  EXPECT_EQ(used(), static_cast<int64_t>(expected_accounted(p, 40)));
  zfree(p);
}

TEST_F(Realloc, ToZeroFreesAndReturnsNullWithoutTheHandler) {
  void *p = zmalloc(100);
  EXPECT_EQ(zrealloc(p, 0), nullptr);
  EXPECT_EQ(used(), 0);
  EXPECT_EQ(OomRecorder::calls, 0);
  p = zmalloc(100);
  EXPECT_EQ(ztryrealloc(p, 0), nullptr);
  EXPECT_EQ(used(), 0);
  EXPECT_EQ(zm_test_backend_get_stats().live_blocks, 0);
}

TEST_F(Realloc, KeepsTheSmallerOfOldAndNewSizes) {
  const size_t sizes[] = {1, 7, 8, 9, 16, 17, 100, 1000, 4096, 10000, 3, 5};
  size_t old_n = 12;
  void *p = zmalloc(old_n);
  fill(p, old_n, 3);
  for (size_t n : sizes) {
    SCOPED_TRACE("from " + std::to_string(old_n) + " to " + std::to_string(n));
    void *q = zrealloc(p, n);
    ASSERT_NE(q, nullptr);
    expect_filled(q, std::min(old_n, n), 3);
    EXPECT_GE(zmalloc_usable_size(q), n);
    EXPECT_EQ(zmalloc_size(q), expected_accounted(q, n));
    EXPECT_EQ(used(), static_cast<int64_t>(zmalloc_size(q)));
    fill(q, n, 3);
    p = q;
    old_n = n;
  }
  zfree(p);
}

TEST_F(Realloc, ToTheSameSizeKeepsContentsAndTotal) {
  void *p = zmalloc(33);
  fill(p, 33, 9);
  int64_t before = used();
  void *q = zrealloc(p, 33);
  ASSERT_NE(q, nullptr);
  expect_filled(q, 33, 9);
  EXPECT_EQ(used(), before);
  zfree(q);
}

TEST_F(Realloc, AFailedReallocLeavesTheBlockLiveIntactAndAccounted) {
  void *p = zmalloc(50);
  fill(p, 50, 1);
  int64_t before = used();
  zm_fault_fail_next(1);
  EXPECT_EQ(zrealloc(p, 5000), nullptr);
  EXPECT_EQ(OomRecorder::calls, 1);
  EXPECT_EQ(OomRecorder::last_size, 5000u);
  EXPECT_EQ(used(), before);
  expect_filled(p, 50, 1);
  EXPECT_EQ(zmalloc_size(p), expected_accounted(p, 50));

  zm_fault_fail_next(1);
  EXPECT_EQ(ztryrealloc(p, 5000), nullptr);
  EXPECT_EQ(OomRecorder::calls, 1) << "ztryrealloc called the OOM handler";
  EXPECT_EQ(used(), before);
  expect_filled(p, 50, 1);
  zfree(p);
}

TEST_F(Realloc, ToAHugeSizeFailsWithoutTouchingTheBlock) {
  void *p = zmalloc(50);
  fill(p, 50, 4);
  int64_t before = used();
  unsigned long long calls = backend_calls();
  for (size_t n : {SIZE_MAX / 2, SIZE_MAX - 8, SIZE_MAX - 1, SIZE_MAX}) {
    EXPECT_EQ(ztryrealloc(p, n), nullptr);
    EXPECT_EQ(zrealloc(p, n), nullptr);
    EXPECT_EQ(OomRecorder::last_size, n);
  }
  EXPECT_EQ(backend_calls(), calls) << "a huge size reached the backend";
  EXPECT_EQ(used(), before);
  expect_filled(p, 50, 4);
  zfree(p);
}

}  // namespace
}  // namespace zm_test
