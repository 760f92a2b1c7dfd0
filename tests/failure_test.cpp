// Failures: huge sizes, calloc overflow, injected backend failures, the OOM handler.
#include <cstdio>
#include <cstdlib>

#include "test_support.h"

namespace zm_test {
namespace {

class Failure : public ZmallocTest {};

const size_t kHugeSizes[] = {SIZE_MAX / 2,     SIZE_MAX / 2 + 1, SIZE_MAX - kPrefixSize - 1,
                             SIZE_MAX - kPrefixSize, SIZE_MAX - 1, SIZE_MAX};

TEST_F(Failure, HugeSizesFailWithoutReachingTheBackend) {
  unsigned long long calls = backend_calls();
  for (size_t n : kHugeSizes) {
    EXPECT_EQ(ztrymalloc(n), nullptr) << n;
    EXPECT_EQ(ztrycalloc(n), nullptr) << n;
    EXPECT_EQ(zmalloc(n), nullptr) << n;
    EXPECT_EQ(OomRecorder::last_size, n);
    EXPECT_EQ(zcalloc(n), nullptr) << n;
    EXPECT_EQ(OomRecorder::last_size, n);
  }
  EXPECT_EQ(OomRecorder::calls, 2 * static_cast<int>(std::size(kHugeSizes)));
  EXPECT_EQ(backend_calls(), calls);
  EXPECT_EQ(used(), 0);
}

TEST_F(Failure, CallocNumOverflowIsAFailureReportedAsSizeMax) {
  unsigned long long calls = backend_calls();
  EXPECT_EQ(zcalloc_num(SIZE_MAX / 2 + 1, 2), nullptr);
  EXPECT_EQ(zcalloc_num(size_t{1} << 33, size_t{1} << 33), nullptr);
  EXPECT_EQ(OomRecorder::calls, 2);
  EXPECT_EQ(OomRecorder::last_size, SIZE_MAX);
  EXPECT_EQ(backend_calls(), calls);
  EXPECT_EQ(used(), 0);
}

TEST_F(Failure, BackendFailureCallsTheHandlerWithTheRequestedSize) {
  zm_fault_fail_next(2);
  EXPECT_EQ(zmalloc(123), nullptr);
  EXPECT_EQ(OomRecorder::last_size, 123u);
  EXPECT_EQ(zcalloc(77), nullptr);
  EXPECT_EQ(OomRecorder::last_size, 77u);
  EXPECT_EQ(OomRecorder::calls, 2);
  EXPECT_EQ(used(), 0);
  void *p = zmalloc(5);  // the injected failures are used up
  EXPECT_NE(p, nullptr);
  zfree(p);
}

TEST_F(Failure, TryVariantsNeverCallTheHandler) {
  zm_fault_fail_next(3);
  EXPECT_EQ(ztrymalloc(10), nullptr);
  EXPECT_EQ(ztrycalloc(10), nullptr);
  size_t usable = 99;
  EXPECT_EQ(ztrymalloc_usable(10, &usable), nullptr);
  EXPECT_EQ(usable, 0u);
  EXPECT_EQ(ztrymalloc(SIZE_MAX), nullptr);
  EXPECT_EQ(OomRecorder::calls, 0);
  EXPECT_EQ(used(), 0);
}

TEST_F(Failure, FailNthFailsExactlyThatCall) {
  zm_fault_fail_nth(3);
  void *a = zmalloc(1);
  void *b = zmalloc(2);
  void *c = ztrymalloc(3);
  void *d = zmalloc(4);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(b, nullptr);
  EXPECT_EQ(c, nullptr);
  EXPECT_NE(d, nullptr);
  zfree(a);
  zfree(b);
  zfree(d);
}

TEST_F(Failure, PredicateFailsTheCallsItPicks) {
  zm_fault_set_predicate(
      [](const zm_backend_call *call, void *) { return call->kind == ZM_CALL_CALLOC ? 1 : 0; },
      nullptr);
  void *a = ztrymalloc(10);
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(ztrycalloc(10), nullptr);
  zm_fault_reset();
  void *b = ztrycalloc(10);
  EXPECT_NE(b, nullptr);
  zfree(a);
  zfree(b);
}

TEST_F(Failure, RequestsOverTheBackendLimitFailAsOutOfMemory) {
  size_t old = zm_test_backend_set_limit(1 << 20);
  EXPECT_EQ(ztrymalloc(2 << 20), nullptr);
  void *p = ztrymalloc(1000);
  EXPECT_NE(p, nullptr);
  zm_test_backend_set_limit(old);
  zfree(p);
}

TEST_F(Failure, AReturningHandlerGivesNull) {
  zm_fault_fail_next(1);
  EXPECT_EQ(zstrdup("hello"), nullptr);
  EXPECT_EQ(OomRecorder::calls, 1);
  EXPECT_EQ(OomRecorder::last_size, 6u);
}

using FailureDeathTest = Failure;

TEST_F(FailureDeathTest, TheDefaultHandlerPrintsTheSizeAndAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  zmalloc_set_oom_handler(nullptr);
  EXPECT_DEATH(
      {
        zm_fault_fail_next(1);
        zmalloc(4321);
      },
      "zmalloc: Out of memory trying to allocate 4321 bytes");
}

}  // namespace
}  // namespace zm_test
