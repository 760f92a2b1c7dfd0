/* The preemption hook: where ZM_PREEMPTION_POINT calls the test scheduler. */
#include <atomic>

#include "preemption.h"
#include "testing/zmalloc_testing.h"

namespace zm::testing {
namespace {
std::atomic<zm_preempt_hook> hook{nullptr};
}

void preempt(const char *point) {
  zm_preempt_hook h = hook.load(std::memory_order_acquire);
  if (h != nullptr) h(point);
}

}  // namespace zm::testing

extern "C" void zm_test_set_preempt_hook(zm_preempt_hook h) {
  zm::testing::hook.store(h, std::memory_order_release);
}
