// Baton: a binary semaphore that sleeps in the kernel at once (a futex), for handing
// control from one thread to another when exactly one of them runs. std::binary_semaphore
// first spins and calls sched_yield a dozen times; here the thread waited for is always
// asleep already, and on 2 cores those yields cost more than the handoff itself.
#ifndef ZMCHECK_BATON_H
#define ZMCHECK_BATON_H

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

namespace zmcheck {

class Baton {
 public:
  // Hands the baton over: wakes the thread waiting for it, or lets its next take() return.
  void give() {
    if (state_.exchange(kGiven, std::memory_order_release) == kWaiting) futex(FUTEX_WAKE_PRIVATE, 1, nullptr);
  }
  // Waits until the baton is given, and takes it.
  void take() { (void)take_by(nullptr); }
  // The same, for at most `limit`: false if it was not given in that time.
  bool take_for(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    return take_by(&deadline);
  }

 private:
  static constexpr int kEmpty = 0, kGiven = 1, kWaiting = 2;

  // Takes the baton, waiting for it until *deadline (for ever: nullptr). One thread waits.
  bool take_by(const std::chrono::steady_clock::time_point *deadline) {
    for (;;) {
      int seen = kGiven;
      if (state_.compare_exchange_strong(seen, kEmpty, std::memory_order_acquire)) return true;
      // Empty: say a thread waits. Failing, it was given in between: take it.
      if (seen == kEmpty && !state_.compare_exchange_strong(seen, kWaiting, std::memory_order_relaxed)) continue;
      timespec left{};
      if (deadline != nullptr) {
        auto remaining = *deadline - std::chrono::steady_clock::now();
        if (remaining <= std::chrono::steady_clock::duration::zero()) return false;
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(remaining).count();
        left = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
      }
      futex(FUTEX_WAIT_PRIVATE, kWaiting, deadline != nullptr ? &left : nullptr);
    }
  }

  long futex(int op, int value, const timespec *timeout) {
    return syscall(SYS_futex, reinterpret_cast<int *>(&state_), op, value, timeout, nullptr, 0);
  }

  std::atomic<int> state_{kEmpty};
};

}  // namespace zmcheck

#endif
