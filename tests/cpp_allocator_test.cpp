// zm::allocator<T>: standard containers whose memory shows in used_memory.
#include <list>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "test_support.h"
#include "zmalloc.hpp"

namespace zm_test {
namespace {

class CppAllocator : public ZmallocTest {};

TEST_F(CppAllocator, AVectorShowsUpInUsedMemory) {
  {
    std::vector<int, zm::allocator<int>> v(1000, 7);
    EXPECT_GE(used(), static_cast<int64_t>(1000 * sizeof(int)));
    EXPECT_EQ(zm::used_memory(), zmalloc_used_memory());
    v.resize(5000);
    EXPECT_GE(used(), static_cast<int64_t>(5000 * sizeof(int)));
  }
  EXPECT_EQ(used(), 0);
}

TEST_F(CppAllocator, NodeContainersAreCountedPerNode) {
  {
    std::map<int, std::string, std::less<>, zm::allocator<std::pair<const int, std::string>>> m;
    for (int i = 0; i < 100; i++) m[i] = "x";
    EXPECT_GE(used(), static_cast<int64_t>(100 * sizeof(std::pair<const int, std::string>)));
    std::list<long, zm::allocator<long>> l(50, 1);
    EXPECT_GT(used(), 0);
  }
  EXPECT_EQ(used(), 0);
}

TEST_F(CppAllocator, OverflowAndFailureThrowWithoutTheHandler) {
  zm::allocator<long> a;
  EXPECT_THROW((void)a.allocate(SIZE_MAX / 4), std::bad_array_new_length);
  zm_fault_fail_next(1);
  EXPECT_THROW((void)a.allocate(10), std::bad_alloc);
  EXPECT_EQ(OomRecorder::calls, 0);
}

TEST_F(CppAllocator, AllInstancesAreEqual) {
  EXPECT_TRUE(zm::allocator<int>() == zm::allocator<double>());
}

}  // namespace
}  // namespace zm_test
