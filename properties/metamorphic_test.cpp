// Metamorphic laws of the total: what one way of doing a thing leaves in used_memory,
// another way must leave too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <utility>

#include "isolation.h"
#include "miscount.h"
#include "op_generators.h"
#include "sut.h"

namespace zmcheck {
namespace {

int64_t used() { return static_cast<int64_t>(sut().zmalloc_used_memory()); }
std::string s(int64_t v) { return std::to_string(v); }

// Prefix accounting: the contract's A(n); else what the allocator reports.
int64_t contract_size(void *p, uint64_t n) {
  const Profile &profile = built_in_profile();
  return static_cast<int64_t>(profile.accounting == Profile::Accounting::prefix ? profile.prefix_accounted(n)
                                                                                 : accounted_size(p, n));
}

// Why a law broke, in the shapes harness/miscount.h names, when it is a zmalloc_size that
// is not the contract's A(n) for the block (else empty: the ops' moves say more).
std::string size_why(void *p, uint64_t n) {
  if (static_cast<int64_t>(accounted_size(p, n)) == contract_size(p, n)) return "";
  return explain_size(built_in_profile(), n, accounted_size(p, n));
}

TEST(Metamorphic, AllocThenFreeIsTheIdentityOnUsedMemory) {
  // The families this allocator runs (older ones lack zmalloc_usable; a profile may
  // exclude some).
  std::vector<int> families{0};
  if (runnable(OpKind::calloc)) families.push_back(1);
  if (runnable(OpKind::malloc_usable)) families.push_back(2);
  if (runnable(OpKind::strdup)) families.push_back(3);
  EXPECT_TRUE(rc::check("alloc then free is the identity on used_memory", [&] {
    uint64_t n = *gen_block_size();
    int family = *rc::gen::elementOf(families);
    check_isolated([&] {
      const Sut &z = sut();
      int64_t before = used();
      size_t u = 0;
      void *p = family == 0 ? z.zmalloc(n) : family == 1 ? z.zcalloc(n)
                : family == 2 ? z.zmalloc_usable(n, &u) : z.zstrdup(std::string(n, 'x').c_str());
      require(p != nullptr, "I4 failure: an allocation", "a block", "NULL");
      z.zfree(p);
      require(used() == before, "I1 exactness: alloc then free", "used_memory back at " + s(before), s(used()));
    });
  }));
}

TEST(Metamorphic, FreeOrderDoesNotMatter) {
  EXPECT_TRUE(rc::check("any free order leaves the total of the blocks still live", [] {
    std::vector<uint64_t> sizes = *rc::gen::container<std::vector<uint64_t>>(gen_block_size());
    unsigned shuffle_seed = *rc::gen::arbitrary<unsigned>();
    check_isolated([&] {
      const Sut &z = sut();
      int64_t base = used();
      std::vector<void *> blocks;
      for (uint64_t n : sizes) blocks.push_back(z.zmalloc(n));
      std::vector<size_t> order(blocks.size());
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), std::mt19937(shuffle_seed));
      int64_t remaining = 0;
      std::string sizes_why;  // the first block whose zmalloc_size is not its A(n), if any
      for (size_t i = 0; i < blocks.size(); i++) {
        remaining += static_cast<int64_t>(accounted_size(blocks[i], sizes[i]));
        if (sizes_why.empty()) sizes_why = size_why(blocks[i], sizes[i]);
      }
      for (size_t i : order) {
        remaining -= static_cast<int64_t>(accounted_size(blocks[i], sizes[i]));
        const int64_t expected_delta = -contract_size(blocks[i], sizes[i]);
        const int64_t before_free = used();
        z.zfree(blocks[i]);
        const int64_t seen_delta = used() - before_free;
        require(used() - base == remaining, "I1 exactness: free order",
                "used_memory - baseline == " + s(remaining) + " (the blocks still live)", s(used() - base),
                seen_delta != expected_delta
                    ? explain_change(built_in_profile(), {true, false, sizes[i], 0}, seen_delta, expected_delta)
                    : sizes_why);
      }
    });
  }));
}

TEST(Metamorphic, ReallocThereAndBackRestoresTheTotal) {
  if (!runnable(OpKind::realloc)) GTEST_SKIP() << "no zrealloc, or the profile excludes it";
  EXPECT_TRUE(rc::check("realloc to another size and back restores the total", [] {
    // Sizes of at least 1: zrealloc(p, 0) frees p, which is another law.
    uint64_t a = 1 + *gen_block_size();
    uint64_t b = 1 + *gen_block_size();
    check_isolated([&] {
      const Sut &z = sut();
      void *p = z.zmalloc(a);
      int64_t before = used();
      const std::string sizes_why = size_why(p, a);
      std::string why;
      for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {  // each realloc's move, against the contract's
        int64_t at = used();
        int64_t expected_delta = -contract_size(p, from);
        p = z.zrealloc(p, to);
        expected_delta += contract_size(p, to);
        if (why.empty() && used() - at != expected_delta)
          why = explain_change(built_in_profile(), {true, true, from, to}, used() - at, expected_delta);
      }
      int64_t after = used();
      z.zfree(p);
      require(after == before, "I1 exactness: realloc " + s(a) + " -> " + s(b) + " -> " + s(a), "the total at " + s(before),
              s(after), why.empty() ? sizes_why : why);
    });
  }));
}

TEST(Metamorphic, CallocAndMallocWithMemsetAccountTheSame) {
  if (!runnable(OpKind::calloc)) GTEST_SKIP() << "no zcalloc, or the profile excludes it";
  EXPECT_TRUE(rc::check("zcalloc(n) and zmalloc(n) + memset account the same", [] {
    uint64_t n = *gen_block_size();
    check_isolated([&] {
      const Sut &z = sut();
      int64_t base = used();
      void *c = z.zcalloc(n);
      int64_t calloc_cost = used() - base;
      void *m = z.zmalloc(n);
      std::memset(m, 0, n);
      int64_t malloc_cost = used() - base - calloc_cost;
      bool same_bytes = std::memcmp(c, m, n) == 0;
      z.zfree(c);
      z.zfree(m);
      require(calloc_cost == malloc_cost, "I1 exactness: calloc and malloc of " + s(n), "the same cost", s(calloc_cost) + " and " + s(malloc_cost));
      require(same_bytes, "I3 contents: calloc of " + s(n), "zeroed bytes", "a non-zero byte");
    });
  }));
}

}  // namespace
}  // namespace zmcheck
