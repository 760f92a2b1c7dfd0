// What every op-language fuzz target does with its input: decode it in the target's
// dialect (the <subject> of fuzz_<subject>_model), run it as one case against the model,
// and abort with a report if an invariant breaks.
#ifndef ZMCHECK_FUZZ_OP_TARGET_H
#define ZMCHECK_FUZZ_OP_TARGET_H

#include <cstddef>
#include <cstdint>

namespace zmcheck {

int run_op_target(const char *dialect, const uint8_t *data, size_t size);

// A target's mutator (drop_skipped_ops.cpp): libFuzzer's own mutation, then every op
// this build cannot run dropped from the result. The dialect is the one run_op_target
// was first called with.
size_t mutate_op_input(uint8_t *data, size_t size, size_t max_size, unsigned seed);

}  // namespace zmcheck

// Set by the replay main (NULL under libFuzzer): the binary and the input it runs.
extern "C" const char *zmcheck_replay_binary;
extern "C" const char *zmcheck_replay_input;

#endif
