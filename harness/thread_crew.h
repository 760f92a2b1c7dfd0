// The thread crew: OS threads kept from case to case, each handed out as a thread the
// allocator under test has never met.
//
// Starting and joining a thread costs some 230 us under AddressSanitizer on a 2-core
// virtual machine (ASan maps and unmaps its per-thread state, a TLB flush each time),
// more than the rest of a threaded input. So a thread whose life ends without an exit of
// its own (its case is over, it is a storm's thread that stays) is kept for a later one,
// where the allocator can forget it as its exit would (zm_test_forget_thread, zmcheck's
// seam), or where it has no per-thread state at all (no thread-local variable, no call
// that reads a thread's identity: Sut::thread_state): the allocator then cannot tell it
// from a new thread. Any other allocator gets a new thread every time. A thread the
// program ends (exit(), exit_free(), one thread of each storm) always exits for real, its
// exit handlers run, and is joined.
#ifndef ZMCHECK_THREAD_CREW_H
#define ZMCHECK_THREAD_CREW_H

#include <cstdint>
#include <functional>
#include <string>

#include "sut.h"

namespace zmcheck {

class CrewThread {
 public:
  // Runs body on a thread new to the allocator: a kept one, or one started now. cpu: the
  // one CPU it may run on (kAnyCpu: any the process may).
  static constexpr int kAnyCpu = -1;
  CrewThread(const Sut &sut, std::function<void()> body, int cpu = kAnyCpu);
  ~CrewThread();  // finish(), unless it was called
  CrewThread(const CrewThread &) = delete;
  CrewThread &operator=(const CrewThread &) = delete;

  // The thread exits for real once body returns (else it is kept where the allocator can
  // forget it). Only while body is still running: the thread decides as body returns.
  void exit_when_done();
  // Waits until body has returned and the thread has ended as it decided: forgotten by
  // the allocator and back in the crew, or exited (its exit handlers run) and joined.
  void finish();

  struct Member;

 private:
  Member *member_;
};

// The allocator cannot tell a kept thread from a new one, so the crew keeps threads.
bool keeps_threads(const Sut &sut);
// How, and why: "kept between cases: ...", or "new for every thread of a program: ...".
std::string how_threads_are_kept(const Sut &sut);

struct CrewCounts {
  uint64_t started = 0;  // OS threads the crew started
  uint64_t reused = 0;   // times it handed out a kept thread instead
};
CrewCounts crew_counts();

}  // namespace zmcheck

#endif
