// Runs one case: a program from start to teardown, every op predicted by the model,
// run and checked by the executor. A threaded program runs under the deterministic
// scheduler: T0's ops on the calling thread, every other thread's on its own worker.
#ifndef ZMCHECK_RUNNER_H
#define ZMCHECK_RUNNER_H

#include <string>

#include "executor.h"
#include "program.h"
#include "profile.h"
#include "sut.h"

namespace zmcheck {

struct RunOptions {
  OnCheckFailure on_failure = OnCheckFailure::abort_process;
  std::string replay_hint;  // the last line of a failure report
  bool echo = false;        // print the journal as the case runs (also: ZMCHECK_TRACE=1)
};

// Slots of the per-thread table while a threaded case runs: T0 and two workers have
// one, every further thread shares the overflow counter.
constexpr unsigned kThreadSlotsUnderTest = 3;

void run_case(const Program &program, bool threaded, const Sut &sut, const Profile &profile,
              const RunOptions &options);

}  // namespace zmcheck

#endif
