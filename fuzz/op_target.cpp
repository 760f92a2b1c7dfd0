#include "op_target.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "free_running.h"
#include "profile.h"
#include "program.h"
#include "runner.h"
#include "storm.h"
#include "sut.h"

extern "C" {
__attribute__((weak)) const char *zmcheck_replay_binary = nullptr;
__attribute__((weak)) const char *zmcheck_replay_input = nullptr;
}

// How ci/zmcheck replays an input of this build: "ci/zmcheck reproduce", with the
// --preset of a build ci/zmcheck external made; "" where it cannot (an example built in
// zmcheck's own tests). Set by CMake.
#ifndef ZMCHECK_REPRODUCE
#define ZMCHECK_REPRODUCE "ci/zmcheck reproduce"
#endif

namespace zmcheck {

// A fuzz input's storm: 24 threads alive at once, beyond every known counter table
// (Redis 8 has 16 slots, Valkey 8 has 20, zmcheck's own 3 while a threaded case runs),
// at a tenth of the cost of the 256 of the properties: a thread costs some 250 us to
// start and join under ASan, and a storm runs the same script whatever the input, so
// the fuzzer's time goes to the interleavings instead. ZMCHECK_STORM_THREADS still sets it.
constexpr int kFuzzStormThreads = 24;

void run_free_running_phase(size_t ops, const uint8_t *data, size_t size, const RunOptions &options);

int run_op_target(const char *dialect_name, const uint8_t *data, size_t size) {
  static const Dialect *dialect = find_dialect(dialect_name);
  if (dialect == nullptr) {
    std::fprintf(stderr, "zmcheck: no dialect %s\n", dialect_name);
    std::exit(2);
  }
  static const Codec codec(*dialect, runnable);
  static const bool storm_size_set = (set_storm_threads(kFuzzStormThreads), true);
  (void)storm_size_set;
  RunOptions options;
  const std::string reproduce = ZMCHECK_REPRODUCE;
  if (zmcheck_replay_input != nullptr)
    options.replay_hint = std::string("ZMCHECK_TRACE=1 ") + zmcheck_replay_binary + " " + zmcheck_replay_input +
                          (reproduce.empty() ? "" : "   or: " + reproduce + " " + zmcheck_replay_input);
  else
    options.replay_hint = (reproduce.empty() ? "ZMCHECK_TRACE=1 <this binary>" : reproduce) +
                          " <the crash file libFuzzer names below>";
  Program program = codec.decode({data, size});
  run_case(program, dialect->threaded, sut(), built_in_profile(), options);
  if (dialect->threaded && !sut().preemptible()) run_free_running_phase(program.size(), data, size, options);
  return 0;
}

// An allocator without zmcheck's preemption points (another team's): the scheduler runs
// its threads one whole op at a time, which never interleaves two updates of its
// counter. So the same input also runs free threads against it, at full speed (under
// TSan too): exact after the joins, no wrapped read.
void run_free_running_phase(size_t ops, const uint8_t *data, size_t size, const RunOptions &options) {
  FreeRunningPlan plan = plan_from_bytes({data, size});
  FreeRunningVerdict verdict = judge(run_free_running(sut(), built_in_profile(), plan), built_in_profile());
  if (verdict.held()) return;
  std::fprintf(stderr,
               "\n==== zmcheck: %s broken at op %zu: %s\n"
               "expected: %s\nseen:     %s\n%sprofile:  %s\n"
               "the threads ran free after the case's %zu ops (the allocator has no preemption points for the "
               "scheduler): the same input draws the same plan, the interleaving is the OS's, so a replay may "
               "need a few runs\nreplay:   %s\n====\n",
               verdict.invariant.c_str(), ops, plan_text(plan).c_str(), verdict.expected.c_str(),
               verdict.seen.c_str(), verdict.why.empty() ? "" : ("why:      " + verdict.why + "\n").c_str(),
               built_in_profile().name.c_str(), ops, options.replay_hint.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace zmcheck
