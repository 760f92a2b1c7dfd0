// The mutator of an op-language target built over an allocator that lacks functions
// (ci/zmcheck external): libFuzzer's own mutation, then every op the build cannot run
// dropped from the result, so that no execution is spent on skipped ops. zmcheck's own
// build runs every op and keeps libFuzzer's mutator as it is. libFuzzer turns its
// growing length limit off by default for a target with a mutator of its own: the
// targets' .options give -len_control=100, its usual default, explicitly.
#include <cstddef>
#include <cstdint>

#include "op_target.h"

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned seed) {
  return zmcheck::mutate_op_input(data, size, max_size, seed);
}
