// Pure properties of A(n) in prefix accounting, read off the allocator (zmalloc_size, or
// the contract's A where it has none): the accounted size of a block of n bytes is the
// smallest multiple of the profile's granule that holds the header and the bytes (0 bytes
// stored as zero_size; at least the minimum block), its usable size is what the backend
// was asked for less the header, and A is monotone in the stored size. zmcheck's own
// library also keeps n in the header.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

#include "isolation.h"
#include "miscount.h"
#include "op_generators.h"
#include "profile.h"
#include "sut.h"

namespace zmcheck {
namespace {

std::string s(uint64_t v) { return std::to_string(v); }

bool prefix_accounting() { return built_in_profile().accounting == Profile::Accounting::prefix; }

struct NewBlock {
  uint64_t accounted;
  bool has_usable;
  uint64_t usable;
  uint64_t header;  // the size_t before the block
};

NewBlock new_block(uint64_t n) {
  const Sut &z = sut();
  void *p = z.zmalloc(n);
  NewBlock b{accounted_size(p, n), z.zmalloc_usable_size != nullptr, 0, static_cast<size_t *>(p)[-1]};
  if (b.has_usable) b.usable = z.zmalloc_usable_size(p);
  z.zfree(p);
  return b;
}

TEST(AccountedSize, IsTheSmallestMultipleOfTheGranuleThatHoldsTheHeaderAndTheBytes) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  const Profile &profile = built_in_profile();
  const uint64_t header = profile.header, granule = profile.granule;
  EXPECT_TRUE(rc::check("A(n) >= n + header, a multiple of the granule, < n + header + granule, >= min_block", [&] {
    uint64_t n = *gen_block_size();
    check_isolated([&] {
      NewBlock b = new_block(n);
      uint64_t a = b.accounted;
      const uint64_t m = profile.stored_size(n);  // a 0-byte request may be stored as more (zero_size)
      const std::string why = explain_size(profile, n, a);
      require(a >= m + header, "I2 size: A(" + s(n) + ")", ">= " + s(m) + " + " + s(header), s(a), why);
      require(a >= profile.min_block, "I2 size: A(" + s(n) + ")", ">= the minimum block, " + s(profile.min_block), s(a),
              why);
      require(a % granule == 0 || a == profile.min_block, "I2 size: A(" + s(n) + ")", "a multiple of " + s(granule), s(a),
              why);
      require(a < m + header + granule || a == profile.min_block, "I2 size: A(" + s(n) + ")",
              "< " + s(m) + " + " + s(header) + " + " + s(granule), s(a), why);
      if (b.has_usable)
        require(b.usable == profile.prefix_usable(n), "I2 size: the usable size of a block of " + s(n),
                s(profile.prefix_usable(n)), s(b.usable));
    });
  }));
}

#ifdef ZMCHECK_OWN_SUT
TEST(AccountedSize, ThePrefixHeaderHoldsTheRequestedSize) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  EXPECT_TRUE(rc::check("the size_t before a block of n holds n", [] {
    uint64_t n = *gen_block_size();
    check_isolated([&] {
      NewBlock b = new_block(n);
      require(b.header == n, "I2 size: the prefix header of a block of " + s(n), s(n), s(b.header));
    });
  }));
}
#endif

// A is monotone in the size a request is stored as. A 0-byte request stored as zero_size
// bytes (MALLOC_MIN_SIZE) is ordered as zero_size, not as 0: A(0) = zero_size + header
// may exceed A(1) = 1 + header, as the profile says it does.
bool stored_before(uint64_t n, uint64_t m) {
  const Profile &profile = built_in_profile();
  return profile.stored_size(n) < profile.stored_size(m);
}

void require_monotone(uint64_t n, uint64_t m) {
  uint64_t an = new_block(n).accounted;
  uint64_t am = new_block(m).accounted;
  require(an <= am, "I2 size: A(" + s(n) + ") <= A(" + s(m) + ")", "monotone in the stored size",
          s(an) + " > " + s(am));
}

TEST(AccountedSize, IsMonotoneInTheStoredSize) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  EXPECT_TRUE(rc::check("stored(n) <= stored(m) implies A(n) <= A(m)", [] {
    uint64_t n = *gen_block_size();
    uint64_t m = n + *rc::gen::inRange<uint64_t>(0, 64);
    if (stored_before(m, n)) std::swap(n, m);
    check_isolated([&] { require_monotone(n, m); });
  }));
}

// Every size up to 256 in the order of its stored size, so that each run crosses the
// zero-size edge, which random sizes reach about once in a thousand cases.
TEST(AccountedSize, IsMonotoneOverTheSmallSizesAndZero) {
  if (!prefix_accounting()) GTEST_SKIP() << "prefix accounting only";
  std::vector<uint64_t> sizes(257);
  std::iota(sizes.begin(), sizes.end(), 0);
  std::stable_sort(sizes.begin(), sizes.end(), stored_before);
  CaseOutcome outcome = run_isolated([&] {
    for (size_t i = 1; i < sizes.size(); ++i) require_monotone(sizes[i - 1], sizes[i]);
  });
  EXPECT_TRUE(outcome.passed) << outcome.report;
}

}  // namespace
}  // namespace zmcheck
