// fuzz_failures_model: failures against the model: injected backend failures, huge sizes, calloc
// overflow, the OOM handler (called with the requested size, never by a try op, and a
// returning one gives NULL) and every *usable out-parameter on every path.
#include "op_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return zmcheck::run_op_target("failures", data, size);
}
