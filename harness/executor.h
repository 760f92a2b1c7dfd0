// The executor: runs ops against the allocator under test, as the model predicted them,
// and checks the invariants after each one.
//
//   I1 exactness   used_memory - baseline == the sum of A over live blocks (when no other
//                  op is in flight)
//   I2 size        zmalloc_size(p) == A(p) for the block's whole life; usable >= requested;
//                  every usable byte writable (ASan, or the exact backend's canary)
//   I3 contents    realloc keeps min(old, new) bytes; calloc memory is zero; a failed op
//                  changes nothing
//   I4 failure     huge sizes, calloc overflow and injected failures fail; a failure is
//                  reported to the OOM handler with the requested size unless the op is a
//                  try op; huge sizes never reach the backend
//   I5 teardown    freeing everything brings used_memory back to the baseline
//   I6 threads     a read of used_memory never sees a wrapped value
//   I7 out-params  every *usable is written: the usable size, or 0 for NULL
//
// A broken invariant is reported with what was expected, what was seen, the op and the
// ops before it (the journal), then the process aborts (fuzzing) or a CheckFailure is
// thrown (properties, which shrink it). An I1 report also says how the op moved the
// total against the contract ("counted n + header unrounded"), which names most bugs.
//
// The mode switch (zmalloc_enable_thread_safeness(), profile thread_safety =
// after_enable) cannot be undone, and the next case in this process must start
// unswitched: so the rest of the case runs in a child process (fork), which ends with
// the case; this process waits for its verdict and skips the ops the child ran.
#ifndef ZMCHECK_EXECUTOR_H
#define ZMCHECK_EXECUTOR_H

#include <array>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model.h"
#include "ops.h"
#include "profile.h"
#include "sut.h"

namespace zmcheck {

struct CheckFailure : std::runtime_error {
  explicit CheckFailure(const std::string &report, std::string broken = "", bool at_op = false)
      : std::runtime_error(report), invariant(std::move(broken)), settled(at_op) {}
  std::string invariant;  // "I1 exactness" ("" when not known)
  // Broken at an op of the program, not at its teardown nor as a zmalloc_size mismatch
  // held to the end: every program that extends it breaks there, the same way.
  bool settled = false;
};

enum class OnCheckFailure { abort_process, throw_exception };

class Executor {
 public:
  Executor(const Sut &sut, const Profile &profile, OnCheckFailure on_failure, bool threaded = false);

  // Starts a case: the recording OOM handler, no injected failures, the backend limit,
  // the counter table reset where the allocator can (zm_test_reset_counters), and the
  // baseline.
  void begin();
  // Runs the index-th op of the case, as predicted, and checks it. Thread-agnostic: a
  // scheduler may call it on any thread, one at a time.
  void run(size_t index, const Op &op, const Prediction &prediction);
  // Ends the case: frees every live block, then I5 (and no backend block leaked).
  void end();
  // Frees every live block without checking anything: after a failure was reported.
  void abandon();

  // How many ops other than the caller's are in flight (parked inside the allocator);
  // exactness is checked only when none is. Default: none ever.
  void set_in_flight_probe(std::function<int()> probe) { in_flight_ = std::move(probe); }
  // Prints every journal line to stderr as it is written (ZMCHECK_TRACE=1 does it too).
  void set_echo(bool echo) { echo_ = echo; }
  // The line a failure report ends with, telling how to replay the case.
  void set_replay_hint(std::string hint) { replay_hint_ = std::move(hint); }

  // Reports a broken invariant (from the executor or from the scheduler around it).
  [[noreturn]] void fail(const char *invariant, const std::string &expected, const std::string &seen);

  // Checks I1 now (callers that know no op is in flight).
  void check_exact();
  // Thread `thread` exited and was joined: the blocks its thread-local cache held
  // (exit_free) were freed by its destructor.
  void thread_exited(int thread);
  // The rest of the case ran in a child process (the mode switch): run() and end() do
  // nothing more here.
  bool handed_off() const { return handed_off_; }
  // Writes a journal line for an op the executor does not run itself (spawn, exit, a park).
  void record(size_t index, const Op &op, const std::string &result);
  bool live(int slot) const { return blocks_[slot].p != nullptr; }
  const std::vector<std::string> &journal() const { return journal_; }
  int64_t expected_total() const { return expected_total_; }

 private:
  struct Block {
    void *p = nullptr;
    uint64_t requested = 0;
    uint64_t accounted = 0;  // A(p), as the contract says
    uint64_t reported = 0;   // zmalloc_size(p) when the block was made (A where there is none)
    uint64_t usable = 0;
    uint8_t fill = 0;        // the byte the first `valid` bytes hold
    uint64_t valid = 0;
    size_t made_at = 0;      // the index of the op that made (or last moved) it
  };

  // How the last op changed the blocks: what an I1 report explains.
  struct Change {
    bool any = false;
    bool had_old = false, has_new = false;
    uint64_t old_requested = 0, new_requested = 0;
    size_t old_made_at = 0;
  };

  void run_alloc(const Op &op, const Prediction &prediction, uint8_t fill);
  void run_realloc(const Op &op, const Prediction &prediction, uint8_t fill);
  void run_free(const Op &op, const Prediction &prediction);
  void run_enable_thread_safeness();
  // Why the total moved as it did, for an I1 report ("" if no known shape matches).
  std::string explain_change(int64_t seen_delta, int64_t expected_delta) const;
  // Which of those shapes a zmalloc_size of `reported` for n bytes has, for an I2 report.
  std::string explain_size(uint64_t requested, uint64_t reported) const;
  // A(p) as the allocator reports it now: zmalloc_size, or the contract's A of the block.
  uint64_t accounted_now(const Block &block) const;
  void* call_alloc(const Op &op, size_t *usable, const std::string &text);

  // Checks a new or resized block of requested bytes (I2) and returns its record.
  Block adopt(void *p, uint64_t requested, const Op &op);
  void check_contents(const Block &block, uint64_t bytes, const char *what);
  void check_handler(const Op &op, const Prediction &prediction, bool failed);
  void check_usable_out(const Op &op, size_t seen, size_t expected);
  // *usable after a failed call: 0, or (an allocation, where the profile says so) untouched.
  void check_failed_usable_out(const Op &op, size_t seen, bool allocation);
  void check_distinct(void *p, int slot);
  uint64_t expected_accounted(void *p, uint64_t requested) const;
  // zmalloc_usable_size(p), or what the profile says a block of requested bytes owns.
  uint64_t usable_of(void *p, uint64_t requested) const;
  int64_t used() const;
  void note(const std::string &result);

  const Sut &sut_;
  const Profile &profile_;
  OnCheckFailure on_failure_;
  bool threaded_;
  bool echo_ = false;
  std::function<int()> in_flight_;
  std::string replay_hint_;

  std::array<Block, kSlots> blocks_{};
  int64_t expected_total_ = 0;
  size_t baseline_ = 0;
  long long backend_live_at_begin_ = 0;
  std::vector<std::string> journal_;
  int64_t used_before_op_ = 0;
  int64_t expected_before_op_ = 0;
  Change change_;
  // A zmalloc_size that differs from the contract's A (I2) does not stop the case: the
  // total is checked against the contract's A, so that a broken total (the heart
  // invariant) behind it is found too. It is reported with the next failure, or at the
  // end of a case that breaks nothing else.
  struct Deferred {
    bool set = false;
    size_t index = 0;
    Op op;
    std::string invariant, expected, seen, why;
  } deferred_;
  long mode_switched_at_ = -1;   // the index of the op that switched on thread-safeness
  bool in_child_ = false;        // this process is the child that runs the rest of a case
  std::array<int64_t, 256> freed_at_exit_{};  // per thread: A of the blocks its exit frees
  std::array<bool, kSlots> slot_in_call_{};     // an op on the slot is in the allocator (maybe parked)
  int report_pipe_ = -1;         // the child's end: its failure report, for the parent to throw
  bool in_teardown_ = false;     // end() is freeing what the case left
  bool handed_off_ = false;      // a child ran the rest of the case
};

}  // namespace zmcheck

#endif
