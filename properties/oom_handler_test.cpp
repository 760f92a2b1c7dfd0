// The OOM handler's own rules, each case in a child process that must end as the
// profile says: the default handler prints its message (oom_message, with the size
// asked for) and aborts; zmalloc_set_oom_handler(NULL) restores it (where the profile
// says so: Redis stores the NULL); a handler that returns gets NULL back from the
// failed call, which changed nothing (oom = returns).
#include <gtest/gtest.h>

#include <cstring>

#include "isolation.h"
#include "op_generators.h"
#include "profile.h"
#include "sut.h"
#include "testing/test_backend.h"

namespace zmcheck {
namespace {

std::string s(uint64_t v) { return std::to_string(v); }

// A failing call of the non-try family, and the size its failure reports.
struct FailingCall {
  const char *text;
  uint64_t reported;
  std::function<void *()> call;
};

FailingCall failing_call(int which, uint64_t n) {
  const Sut &z = sut();
  if (which == 1 && z.zcalloc != nullptr) return {"zcalloc", n, [&z, n] { return z.zcalloc(n); }};
  if (which == 2 && z.zrealloc != nullptr) {
    return {"zrealloc of a block", n + 100, [&z, n] {
              zm_fault_reset();
              void *p = z.zmalloc(16);  // made before the failure is injected
              zm_fault_fail_next(1);
              return z.zrealloc(p, n + 100);
            }};
  }
  return {"zmalloc", n, [&z, n] { return z.zmalloc(n); }};
}

// Runs the failing call in a child process: it must print `message` and abort.
void require_default_handler_death(const FailingCall &f, const std::function<void()> &before) {
  CaseOutcome outcome = run_isolated([&] {
    before();
    zm_fault_fail_next(1);
    f.call();
    std::printf("the failed %s returned\n", f.text);
  });
  std::string expected = built_in_profile().oom_message_for(f.reported);
  bool aborted = outcome.report.find("killed by signal 6]") != std::string::npos;
  bool printed = outcome.report.find(expected) != std::string::npos;
  if (aborted && printed) return;
  RC_FAIL("\n==== zmcheck: I4 failure broken: the default OOM handler, on a failed " + std::string(f.text) + "\n" +
          "expected: \"" + expected + "\" printed, then SIGABRT\nseen:     " +
          (printed ? "the message" : "no such message") + ", " + (aborted ? "SIGABRT" : "no SIGABRT") +
          "; the child's output:\n" + outcome.report + "\n====\n");
}

TEST(OomHandler, TheDefaultHandlerPrintsTheSizeAndAborts) {
  EXPECT_TRUE(rc::check("a failed call with the default handler prints the size asked for and aborts", [] {
    uint64_t n = *rc::gen::inRange<uint64_t>(1, 100000);
    require_default_handler_death(failing_call(*rc::gen::inRange(0, 3), n), [] {});
  }));
}

TEST(OomHandler, SettingNullRestoresTheDefaultHandler) {
  const Sut &z = sut();
  if (z.zmalloc_set_oom_handler == nullptr) GTEST_SKIP() << "no zmalloc_set_oom_handler()";
  if (!built_in_profile().null_handler_restores_default)
    GTEST_SKIP() << "profile: null_handler = unchecked (the implementation stores the NULL)";
  EXPECT_TRUE(rc::check("after zmalloc_set_oom_handler(NULL), a failed call prints the size and aborts", [&] {
    uint64_t n = *rc::gen::inRange<uint64_t>(1, 100000);
    require_default_handler_death(failing_call(*rc::gen::inRange(0, 3), n), [&z] {
      z.zmalloc_set_oom_handler([](size_t) {});
      z.zmalloc_set_oom_handler(nullptr);
    });
  }));
}

size_t handler_calls = 0, handler_size = 0;

TEST(OomHandler, AReturningHandlerGetsNullBackAndNothingChanges) {
  const Sut &z = sut();
  if (z.zmalloc_set_oom_handler == nullptr) GTEST_SKIP() << "no zmalloc_set_oom_handler()";
  if (built_in_profile().oom_fatal) GTEST_SKIP() << "profile: oom = fatal (the handler must not return)";
  EXPECT_TRUE(rc::check("a failed call returns NULL after a returning handler, and changes nothing", [&] {
    uint64_t n = *rc::gen::inRange<uint64_t>(1, 100000);
    bool realloc = *rc::gen::arbitrary<bool>() && z.zrealloc != nullptr;
    check_isolated([&] {
      z.zmalloc_set_oom_handler([](size_t size) { handler_calls++, handler_size = size; });
      char *block = static_cast<char *>(z.zmalloc(32));
      std::memset(block, 'q', 32);
      size_t before = z.zmalloc_used_memory();
      zm_fault_fail_next(1);
      void *p = realloc ? z.zrealloc(block, n + 100) : z.zmalloc(n);
      uint64_t asked = realloc ? n + 100 : n;
      require(p == nullptr, "I4 failure", "NULL from the failed call", "a block");
      require(handler_calls == 1 && handler_size == asked, "I4 failure", "the handler called once with " + s(asked),
              s(handler_calls) + " calls, the last with " + s(handler_size));
      require(z.zmalloc_used_memory() == before, "I3 contents", "the total unchanged by the failed call",
              s(z.zmalloc_used_memory()) + " where it was " + s(before));
      for (int i = 0; i < 32; i++) require(block[i] == 'q', "I3 contents", "the block intact", "a byte changed");
      z.zfree(block);
    });
  }));
}

}  // namespace
}  // namespace zmcheck
