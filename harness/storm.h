// A thread storm: more threads alive at once than any known counter table (Redis 8 has
// 16 slots, Valkey 8 has 20, zmcheck's own has 128), so that the path
// of the threads past the table runs in every implementation, whether or not the
// harness can shrink its table. Each thread makes blocks, frees one its neighbour made
// (cross-thread frees), makes another; with every thread alive and idle the total must
// be exact (the barrier); then half the threads free what they hold and half end
// holding blocks that the caller frees (one of those exits for real, the others are
// forgotten by the allocator where it can forget a thread: thread_crew.h). The op
// thread_storm() of the threaded dialect.
#ifndef ZMCHECK_STORM_H
#define ZMCHECK_STORM_H

#include <cstdint>
#include <string>
#include <vector>

#include "profile.h"
#include "sut.h"

namespace zmcheck {

// Threads a storm holds alive at once: ZMCHECK_STORM_THREADS, else the default, 256
// unless set_storm_threads changed it.
int storm_threads();
void set_storm_threads(int threads);

struct StormResult {
  int threads = 0;
  int64_t expected_at_barrier = 0;  // the sum of A over the blocks alive at the barrier
  int64_t seen_at_barrier = 0;      // used_memory - the total before the storm, then
  int64_t after = 0;                // the same once every storm block is freed (0)
  uint64_t cross_thread_frees = 0;
  uint64_t blocks_left_by_exited_threads = 0;
  std::vector<uint64_t> live_requested;  // the sizes asked for of the blocks alive at the barrier
};

// Runs a storm of `threads` threads on the calling thread's behalf; the counter must be
// quiescent before (no other op in flight).
StormResult run_storm(const Sut &sut, const Profile &profile, int threads);

// Threads that ran past the implementation's counter table in this process: the most
// threads a storm held alive at once (0: no storm ran).
int storm_threads_reached();

}  // namespace zmcheck

#endif
