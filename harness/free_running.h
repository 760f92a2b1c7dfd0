// Free-running threads: no scheduler, every thread at full speed, for ThreadSanitizer and
// for stress. Workers in generations (the workers of a generation start together; each
// generation exits and the next starts: thread churn) allocate, hand blocks to one another through a mailbox and free what they
// receive (cross-thread frees), and exit holding blocks; a reader sums used_memory all
// along. After every thread has been joined the total must be exact.
#ifndef ZMCHECK_FREE_RUNNING_H
#define ZMCHECK_FREE_RUNNING_H

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "profile.h"
#include "sut.h"

namespace zmcheck {

struct FreeRunningPlan {
  int threads = 4;            // workers alive at a time
  int generations = 2;        // each generation exits before the next starts
  int ops_per_worker = 500;
  int handoff_percent = 50;   // share of new blocks put in the mailbox for another thread
  std::vector<uint32_t> sizes{24};  // sizes the workers cycle through
  bool reader = true;         // a thread reading used_memory while the workers run
};

struct FreeRunningResult {
  int64_t expected = 0;       // sum of A over the blocks live after the joins
  int64_t seen = 0;           // used_memory - baseline then
  int64_t after_teardown = 0; // used_memory - baseline once they are freed too
  uint64_t reads = 0;
  uint64_t wrapped_reads = 0; // reads at or above SIZE_MAX/2
  size_t largest_wrapped_read = 0;
  uint64_t cross_thread_frees = 0;
  uint64_t blocks_left_by_exited_threads = 0;
  std::vector<uint64_t> live_requested;  // the sizes asked for of the blocks live after the joins
};

FreeRunningResult run_free_running(const Sut &sut, const Profile &profile, const FreeRunningPlan &plan);

// The first invariant a free-running run broke (I6 a wrapped read, unless the profile
// says reads may wrap while threads update (wrapped_reads = transient); I1 inexact after
// the joins; I5 not back at the baseline after the teardown), or an empty invariant.
struct FreeRunningVerdict {
  std::string invariant, expected, seen, why;  // why: the shape of the miscount (miscount.h), if one fits
  bool held() const { return invariant.empty(); }
};
FreeRunningVerdict judge(const FreeRunningResult &result, const Profile &profile);

// A plan drawn from fuzzer bytes: 2-4 threads, 1-2 generations, 16-128 ops each, sizes
// below 4 KiB. The same bytes give the same plan (the interleaving is the OS's).
FreeRunningPlan plan_from_bytes(std::span<const uint8_t> bytes);

// The plan as one line: "free_running(threads=3, generations=2, ops=40, handoff=50%, sizes=24,100)".
std::string plan_text(const FreeRunningPlan &plan);

}  // namespace zmcheck

#endif
