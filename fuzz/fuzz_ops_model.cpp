// fuzz_ops_model: single-thread op sequences against the model: every op of the op language,
// every check after every op, teardown back to the baseline.
#include "op_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return zmcheck::run_op_target("ops", data, size);
}
