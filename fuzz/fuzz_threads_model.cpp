// fuzz_threads_model: threads under the deterministic scheduler against the model: spawn, exit
// with live blocks, cross-thread frees, more threads than the slot table, ops parked at
// preemption points inside the allocator, a reader mid-sum; exact at every quiescent
// point. The same input replays the same interleaving. Against an allocator without
// preemption points (another team's, built by ci/zmcheck external) each input also runs
// free threads (harness/free_running.h), which do interleave inside its counter.
#include "op_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return zmcheck::run_op_target("threads", data, size);
}
