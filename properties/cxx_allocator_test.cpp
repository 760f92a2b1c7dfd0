// Standard containers on zm::allocator<T> own every element they hold, and the memory
// they hold shows in used_memory: at least the elements' bytes while they live, back to
// the start when they are gone.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "isolation.h"
#include "sut.h"
#include "zmalloc.hpp"

namespace zmcheck {
namespace {

int64_t used() { return static_cast<int64_t>(sut().zmalloc_used_memory()); }
std::string s(int64_t v) { return std::to_string(v); }

TEST(CxxAllocator, ContainersOwnTheirElementsAndShowInUsedMemory) {
  EXPECT_TRUE(rc::check("vector, list and map on zm::allocator: elements owned and counted", [] {
    size_t n = *rc::gen::inRange<size_t>(0, 2000);
    std::vector<uint64_t> values = *rc::gen::container<std::vector<uint64_t>>(n, rc::gen::arbitrary<uint64_t>());
    check_isolated([&] {
      int64_t before = used();
      {
        std::vector<uint64_t, zm::allocator<uint64_t>> v(values.begin(), values.end());  // ASan: every element owned
        require(used() - before >= static_cast<int64_t>(n * sizeof(uint64_t)), "I1 exactness: a vector of " + s(n) + " elements",
                "at least " + s(n * sizeof(uint64_t)) + " bytes in used_memory", s(used() - before));
        v.push_back(1);
        std::list<uint64_t, zm::allocator<uint64_t>> l(values.begin(), values.end());
        std::map<uint64_t, uint64_t, std::less<>, zm::allocator<std::pair<const uint64_t, uint64_t>>> m;
        for (uint64_t x : values) m[x] = x;
        require(v.size() == n + 1 && l.size() == n, "I3 contents: containers on zm::allocator", "every element kept", "some lost");
      }
      require(used() == before, "I5 teardown: containers gone", "used_memory back at " + s(before), s(used()));
    });
  }));
}

}  // namespace
}  // namespace zmcheck
