// Threads: cross-thread frees, threads that exit holding blocks, more threads than the
// slot table, and a reader that runs while blocks move between threads.
#include <atomic>
#include <thread>
#include <vector>

#include "test_support.h"
#include "testing/zmalloc_testing.h"

namespace zm_test {
namespace {

class Threads : public ZmallocTest {};

TEST_F(Threads, BlocksFreedByAnotherThreadLeaveNothingBehind) {
  std::vector<void *> blocks(5000);
  int64_t expected = 0;
  std::thread producer([&] {
    for (size_t i = 0; i < blocks.size(); i++) blocks[i] = zmalloc(i % 200);
  });
  producer.join();
  for (void *p : blocks) expected += static_cast<int64_t>(zmalloc_size(p));
  EXPECT_EQ(used(), expected);
  std::thread consumer([&] {
    for (void *p : blocks) zfree(p);
  });
  consumer.join();
  EXPECT_EQ(used(), 0);
}

TEST_F(Threads, ThreeThousandThreadsThatExitHoldingBlocksAreAllCounted) {
  constexpr size_t kThreads = 3000;
  constexpr size_t kAtOnce = 64;
  std::vector<void *> blocks(kThreads);
  for (size_t first = 0; first < kThreads; first += kAtOnce) {
    std::vector<std::thread> batch;
    for (size_t i = first; i < first + kAtOnce && i < kThreads; i++)
      batch.emplace_back([&blocks, i] {
        void *scratch = zmalloc(64);  // touched and freed: the slot sees both signs
        blocks[i] = zmalloc(1 + i % 100);
        zfree(scratch);
      });
    for (std::thread &t : batch) t.join();
  }
  int64_t expected = 0;
  for (void *p : blocks) expected += static_cast<int64_t>(zmalloc_size(p));
  EXPECT_EQ(used(), expected);
  for (void *p : blocks) zfree(p);
}

TEST_F(Threads, ThreadsBeyondTheSlotTableAreCountedExactly) {
  unsigned old = zm_test_set_thread_slots(2);
  constexpr int kThreads = 8;
  constexpr int kRounds = 20000;
  std::vector<std::vector<void *>> kept(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++)
    threads.emplace_back([&kept, t] {
      for (int r = 0; r < kRounds; r++) {
        void *p = zmalloc(static_cast<size_t>((r * 13 + t) % 128));
        if (r % 1000 == 0)
          kept[t].push_back(p);
        else
          zfree(p);
      }
    });
  for (std::thread &t : threads) t.join();
  zm_test_set_thread_slots(old);
  int64_t expected = 0;
  for (auto &list : kept)
    for (void *p : list) expected += static_cast<int64_t>(zmalloc_size(p));
  EXPECT_EQ(used(), expected);
  for (auto &list : kept)
    for (void *p : list) zfree(p);
}

TEST_F(Threads, AConcurrentReaderNeverSeesAWrappedTotal) {
  // Blocks made in one thread and freed in another drive one slot up and another down,
  // so a reader that sums the slots while they move can see a negative partial sum.
  constexpr int kHandoffs = 200000;
  std::atomic<bool> done{false};
  std::atomic<void *> mailbox{nullptr};
  size_t worst = 0;
  std::thread reader([&] {
    while (!done.load(std::memory_order_acquire)) {
      size_t v = zmalloc_used_memory();
      if (v > worst) worst = v;
    }
  });
  std::thread producer([&] {
    for (int i = 0; i < kHandoffs; i++) {
      void *p = zmalloc(32);
      void *expected = nullptr;
      while (!mailbox.compare_exchange_weak(expected, p, std::memory_order_release)) expected = nullptr;
    }
  });
  std::thread consumer([&] {
    for (int i = 0; i < kHandoffs; i++) {
      void *p;
      while ((p = mailbox.exchange(nullptr, std::memory_order_acquire)) == nullptr) {
      }
      zfree(p);
    }
  });
  producer.join();
  consumer.join();
  done.store(true, std::memory_order_release);
  reader.join();
  EXPECT_LT(worst, SIZE_MAX / 2) << "the reader saw a wrapped total";
  EXPECT_EQ(used(), 0);
}

}  // namespace
}  // namespace zm_test

namespace zm_test {
namespace {

TEST_F(Threads, AForgottenThreadHoldsNoSlotUntilItsNextCall) {
  std::atomic<int> step{0};
  void *first = nullptr, *second = nullptr;
  std::thread worker([&] {
    first = zmalloc(10);  // takes a slot
    EXPECT_EQ(zm_test_forget_thread(), 0);
    step.store(1);
    while (step.load() != 2) std::this_thread::yield();
    second = zmalloc(10);  // attaches again
    step.store(3);
    while (step.load() != 4) std::this_thread::yield();
  });
  while (step.load() != 1) std::this_thread::yield();
  int64_t total = used();
  EXPECT_EQ(zm_test_reset_counters(), 0) << "the forgotten thread still holds its slot";
  EXPECT_EQ(used(), total) << "its count was lost";
  step.store(2);
  while (step.load() != 3) std::this_thread::yield();
  EXPECT_EQ(zm_test_reset_counters(), -1) << "its next call did not attach it again";
  step.store(4);
  worker.join();
  zfree(first);
  zfree(second);
}

TEST_F(Threads, ResettingTheCountersKeepsTheTotalAndRefusesWhileAnotherThreadHoldsASlot) {
  void *mine = zmalloc(100);
  int64_t before = used();
  EXPECT_EQ(zm_test_reset_counters(), 0);
  EXPECT_EQ(used(), before);
  std::atomic<bool> attached{false}, release{false};
  void *theirs = nullptr;
  std::thread holder([&] {
    theirs = zmalloc(10);
    attached.store(true);
    while (!release.load()) std::this_thread::yield();
  });
  while (!attached.load()) std::this_thread::yield();
  EXPECT_EQ(zm_test_reset_counters(), -1) << "another thread holds a slot";
  release.store(true);
  holder.join();
  EXPECT_EQ(zm_test_reset_counters(), 0);
  zfree(theirs);
  zfree(mine);
}

}  // namespace
}  // namespace zm_test
