// What the unit tests share: the expected accounted size, an OOM handler that records
// its calls, and a fixture that checks used_memory returns to where a test started.
#ifndef ZM_TESTS_TEST_SUPPORT_H
#define ZM_TESTS_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>

#include "testing/test_backend.h"
#include "zmalloc.h"

namespace zm_test {

constexpr bool kPrefix = ZM_TEST_PREFIX_ACCOUNTING;
constexpr size_t kPrefixSize = sizeof(size_t);

// A(n) in prefix accounting, written from the contract, not from the library.
constexpr size_t prefix_accounted(size_t n) {
  size_t total = n + kPrefixSize;
  return (total + sizeof(long) - 1) / sizeof(long) * sizeof(long);
}

// What a live block of n bytes must account: the formula in prefix mode, the backend's
// usable size of the block in usable mode.
inline size_t expected_accounted(void *p, size_t n) {
  return kPrefix ? prefix_accounted(n) : zm_test_usable_size(p);
}

struct OomRecorder {
  static inline int calls = 0;
  static inline size_t last_size = 0;
  static void handler(size_t n) {
    calls++;
    last_size = n;
  }
};

// Every test starts with a recording, returning OOM handler and no injected failures,
// and ends with used_memory back at its baseline (every test frees what it made).
class ZmallocTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OomRecorder::calls = 0;
    OomRecorder::last_size = 0;
    zmalloc_set_oom_handler(OomRecorder::handler);
    zm_fault_reset();
    baseline_ = zmalloc_used_memory();
  }
  void TearDown() override {
    zm_fault_reset();
    zmalloc_set_oom_handler(nullptr);
    EXPECT_EQ(zmalloc_used_memory(), baseline_) << "the test left accounted memory behind";
  }
  // used_memory relative to the start of the test.
  int64_t used() const {
    return static_cast<int64_t>(zmalloc_used_memory()) - static_cast<int64_t>(baseline_);
  }
  unsigned long long backend_calls() const { return zm_test_backend_get_stats().calls; }

 private:
  size_t baseline_ = 0;
};

}  // namespace zm_test

#endif
