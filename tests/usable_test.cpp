// The *_usable family: every out-parameter written on every path.
#include "test_support.h"

namespace zm_test {
namespace {

class Usable : public ZmallocTest {};

constexpr size_t kUnwritten = 0xdeadbeefu;

TEST_F(Usable, SuccessWritesTheUsableSizeOfTheResult) {
  size_t u = kUnwritten;
  void *a = zmalloc_usable(10, &u);
  EXPECT_EQ(u, zmalloc_usable_size(a));
  u = kUnwritten;
  void *b = zcalloc_usable(20, &u);
  EXPECT_EQ(u, zmalloc_usable_size(b));
  u = kUnwritten;
  void *c = ztrymalloc_usable(30, &u);
  EXPECT_EQ(u, zmalloc_usable_size(c));
  u = kUnwritten;
  void *d = ztrycalloc_usable(40, &u);
  EXPECT_EQ(u, zmalloc_usable_size(d));
  u = kUnwritten;
  a = zrealloc_usable(a, 100, &u);
  EXPECT_EQ(u, zmalloc_usable_size(a));
  u = kUnwritten;
  b = ztryrealloc_usable(b, 5, &u);
  EXPECT_EQ(u, zmalloc_usable_size(b));
  u = kUnwritten;
  void *e = zrealloc_usable(nullptr, 7, &u);
  EXPECT_EQ(u, zmalloc_usable_size(e));
  for (void *p : {a, b, c, d, e}) {
    size_t expected = zmalloc_usable_size(p);
    u = kUnwritten;
    zfree_usable(p, &u);
    EXPECT_EQ(u, expected);
  }
}

TEST_F(Usable, FailureWritesZero) {
  size_t u = kUnwritten;
  zm_fault_fail_next(4);
  EXPECT_EQ(zmalloc_usable(10, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(zcalloc_usable(10, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(ztrymalloc_usable(10, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(ztrycalloc_usable(10, &u), nullptr);
  EXPECT_EQ(u, 0u);

  void *p = zmalloc(10);
  zm_fault_fail_next(2);
  u = kUnwritten;
  EXPECT_EQ(zrealloc_usable(p, 1000, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(ztryrealloc_usable(p, 1000, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(ztryrealloc_usable(p, SIZE_MAX, &u), nullptr);
  EXPECT_EQ(u, 0u);
  zfree(p);
}

TEST_F(Usable, ReallocToZeroWritesZero) {
  size_t u = kUnwritten;
  EXPECT_EQ(zrealloc_usable(zmalloc(10), 0, &u), nullptr);
  EXPECT_EQ(u, 0u);
  u = kUnwritten;
  EXPECT_EQ(ztryrealloc_usable(zmalloc(10), 0, &u), nullptr);
  EXPECT_EQ(u, 0u);
  EXPECT_EQ(used(), 0);
}

TEST_F(Usable, NullOutParametersAreAllowed) {
  void *p = zmalloc_usable(10, nullptr);
  p = zrealloc_usable(p, 20, nullptr);
  zfree_usable(p, nullptr);
  EXPECT_EQ(used(), 0);
}

}  // namespace
}  // namespace zm_test
