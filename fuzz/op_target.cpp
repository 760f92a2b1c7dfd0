#include "op_target.h"

#include <cstdio>
#include <cstdlib>
#include <map>
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
// libFuzzer's own mutations (absent in a build with the replay main, which never mutates).
__attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
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

namespace {

const Dialect &dialect_named(const char *name) {
  const Dialect *dialect = find_dialect(name);
  if (dialect == nullptr) {
    std::fprintf(stderr, "zmcheck: no dialect %s\n", name);
    std::exit(2);
  }
  return *dialect;
}

// Some op of the dialect is one this build cannot run.
bool skips_some(const Dialect &dialect) {
  for (int k = 0; k < kOpKinds; k++)
    if (dialect.weight[k] != 0 && !runnable(static_cast<OpKind>(k))) return true;
  return false;
}

// The ops of an input this build skips. With ZMCHECK_EVERY_OP=1 (ci/zmcheck bisect) an
// input that has one cannot be checked here: exit 2, naming it (_Exit: libFuzzer takes
// an exit() inside the target for a crash). A replay of files (the replay main:
// ctest's corpus replay) lists them per file.
void account_for_skipped(const Program &program, bool threaded) {
  static const bool every_op = [] {
    const char *v = std::getenv("ZMCHECK_EVERY_OP");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  std::map<OpKind, int> skipped;
  for (size_t i = 0; i < program.size(); i++) {
    if (runnable(program[i].kind)) continue;
    if (every_op) {
      std::fprintf(stderr, "zmcheck: this build cannot run op %zu of the input, %s: %s\n", i,
                   op_text(program[i], threaded).c_str(), left_out_because(program[i].kind).c_str());
      std::fflush(stderr);
      std::_Exit(2);
    }
    skipped[program[i].kind]++;
  }
  if (skipped.empty() || zmcheck_replay_input == nullptr) return;
  int total = 0;
  std::string list;
  for (const auto &[kind, n] : skipped) {
    total += n;
    list += (list.empty() ? "" : ", ") + std::string(info(kind).name) + " x" + std::to_string(n) + " (" +
            left_out_because(kind) + ")";
  }
  std::fprintf(stderr, "zmcheck skipped: %s: %d of %zu ops: %s\n", zmcheck_replay_input, total, program.size(),
               list.c_str());
}

const Dialect *target_dialect = nullptr;  // set by the first run_op_target

}  // namespace

size_t mutate_op_input(uint8_t *data, size_t size, size_t max_size, unsigned seed) {
  (void)seed;  // libFuzzer's mutations draw from its own generator, seeded the same way
  // libFuzzer runs the corpus (or an empty input) before its first mutation, so the
  // target's dialect is known; without it, nothing is dropped.
  if (target_dialect == nullptr) return LLVMFuzzerMutate(data, size, max_size);
  static const Codec codec(*target_dialect);
  static const bool drops = skips_some(codec.dialect());
  size = LLVMFuzzerMutate(data, size, max_size);
  return drops ? codec.drop(data, size, runnable) : size;
}

int run_op_target(const char *dialect_name, const uint8_t *data, size_t size) {
  static const Dialect *dialect = target_dialect = &dialect_named(dialect_name);
  static const Codec codec(*dialect);
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
  account_for_skipped(program, dialect->threaded);
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
