// The thread storm: every thread alive at the barrier, the total checked there.
#include "storm.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <memory>
#include <vector>

#include "testing/test_backend.h"
#include "thread_crew.h"

namespace zmcheck {
namespace {

std::atomic<int> reached{0};
std::atomic<int> default_threads{256};

uint64_t accounted(const Profile &profile, void *p, uint64_t n) {
  if (profile.accounting == Profile::Accounting::prefix) return profile.prefix_accounted(n);
  return zm_test_usable_size(p);
}

}  // namespace

int storm_threads() {
  static const int from_environment = [] {
    const char *v = std::getenv("ZMCHECK_STORM_THREADS");
    return v != nullptr ? std::atoi(v) : 0;
  }();
  return from_environment > 0 ? from_environment : default_threads.load(std::memory_order_relaxed);
}

void set_storm_threads(int threads) { default_threads.store(threads, std::memory_order_relaxed); }

int storm_threads_reached() { return reached.load(std::memory_order_relaxed); }

StormResult run_storm(const Sut &sut, const Profile &profile, int threads) {
  enable_thread_safeness(sut);
  StormResult r;
  r.threads = threads;
  const int64_t before = static_cast<int64_t>(sut.zmalloc_used_memory());
  struct Hold {
    void *p = nullptr;
    uint64_t n = 0;
  };
  // Per thread: [0] freed by its neighbour, [1] kept, [2] made after the neighbour's free.
  std::vector<std::array<Hold, 3>> holds(static_cast<size_t>(threads));
  // The barriers wait in the kernel (futexes), not by spinning: 256 threads that yield in
  // turn on 2 cores take the cores from the threads still on their way.
  std::latch made(threads), moved(threads), go(1);
  std::atomic<uint64_t> cross{0};
  std::vector<std::unique_ptr<CrewThread>> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; t++) {
    pool.push_back(std::make_unique<CrewThread>(sut, [&, t] {
      auto &mine = holds[static_cast<size_t>(t)];
      for (int i = 0; i < 2; i++) {
        mine[i].n = 8 + static_cast<uint64_t>((t * 7 + i * 13) % 120);
        mine[i].p = sut.zmalloc(mine[i].n);
      }
      made.arrive_and_wait();  // every thread alive, each holding its blocks
      auto &theirs = holds[static_cast<size_t>((t + 1) % threads)];
      sut.zfree(theirs[0].p);  // a block another thread made
      if (threads > 1) cross.fetch_add(1, std::memory_order_relaxed);
      mine[2].n = 24 + static_cast<uint64_t>(t % 40);
      mine[2].p = sut.zmalloc(mine[2].n);
      moved.count_down();
      go.wait();  // the barrier
      if (t % 2 == 0) {  // half free what they hold; half end holding it
        sut.zfree(mine[1].p);
        sut.zfree(mine[2].p);
        mine[1].p = mine[2].p = nullptr;
      }
    }));
    // Of the half that ends holding its blocks, the first exits for real (its exit
    // handlers run); the others end as a case's threads do (thread_crew.h): where the
    // allocator can forget a thread, forgotten holding them, else they exit too.
    if (t == 1 || threads == 1) pool.back()->exit_when_done();
  }
  moved.wait();
  reached.store(std::max(reached.load(std::memory_order_relaxed), threads), std::memory_order_relaxed);
  for (auto &mine : holds)
    for (int i = 1; i < 3; i++) {
      r.expected_at_barrier += static_cast<int64_t>(accounted(profile, mine[i].p, mine[i].n));
      r.live_requested.push_back(mine[i].n);
    }
  r.seen_at_barrier = static_cast<int64_t>(sut.zmalloc_used_memory()) - before;
  go.count_down();
  for (auto &th : pool) th->finish();
  for (auto &mine : holds)
    for (int i = 1; i < 3; i++)
      if (mine[i].p != nullptr) {
        r.blocks_left_by_exited_threads++;
        sut.zfree(mine[i].p);
      }
  r.cross_thread_frees = cross.load();
  r.after = static_cast<int64_t>(sut.zmalloc_used_memory()) - before;
  return r;
}

}  // namespace zmcheck
