// Pure properties of A(n) and of the prefix layout, read off the library: the
// accounted size of a block of n bytes, its usable size and its header.
#include <gtest/gtest.h>

#include "isolation.h"
#include "op_generators.h"
#include "profile.h"
#include "sut.h"

namespace zmcheck {
namespace {

constexpr uint64_t kPrefix = sizeof(size_t);
std::string s(uint64_t v) { return std::to_string(v); }

bool prefix_accounting() { return built_in_profile().accounting == Profile::Accounting::prefix; }

uint64_t accounted_of_new_block(uint64_t n, uint64_t *usable, uint64_t *header) {
  const Sut &z = sut();
  void *p = z.zmalloc(n);
  uint64_t a = z.zmalloc_size(p);
  *usable = z.zmalloc_usable_size(p);
  *header = static_cast<size_t *>(p)[-1];
  z.zfree(p);
  return a;
}

TEST(AccountedSize, IsTheSmallestMultipleOfLongThatHoldsTheHeaderAndTheBytes) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  EXPECT_TRUE(rc::check("A(n) >= n + 8, a multiple of sizeof(long), < n + 8 + sizeof(long)", [] {
    uint64_t n = *gen_block_size();
    check_isolated([&] {
      uint64_t usable, header;
      uint64_t a = accounted_of_new_block(n, &usable, &header);
      require(a >= n + kPrefix, "A(" + s(n) + ")", ">= n + 8", s(a));
      require(a % sizeof(long) == 0, "A(" + s(n) + ")", "a multiple of sizeof(long)", s(a));
      require(a < n + kPrefix + sizeof(long), "A(" + s(n) + ")", "< n + 8 + sizeof(long)", s(a));
      require(usable == a - kPrefix, "the usable size of a block of " + s(n), s(a - kPrefix), s(usable));
      require(header == n, "the prefix header of a block of " + s(n), s(n), s(header));
    });
  }));
}

TEST(AccountedSize, IsMonotone) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  EXPECT_TRUE(rc::check("n <= m implies A(n) <= A(m)", [] {
    uint64_t n = *gen_block_size();
    uint64_t m = n + *rc::gen::inRange<uint64_t>(0, 64);
    check_isolated([&] {
      uint64_t u, h;
      uint64_t an = accounted_of_new_block(n, &u, &h);
      uint64_t am = accounted_of_new_block(m, &u, &h);
      require(an <= am, "A(" + s(n) + ") <= A(" + s(m) + ")", "monotone", s(an) + " > " + s(am));
    });
  }));
}

}  // namespace
}  // namespace zmcheck
