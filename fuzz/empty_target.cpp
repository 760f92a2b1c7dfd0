// The ceiling: a libFuzzer target that does nothing, built with the flags of the others
// (sanitizers, coverage, the same libraries linked), so that `ci/zmcheck bench --fuzz`
// can set every target's executions per second beside what libFuzzer itself costs.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)data;
  (void)size;
  return 0;
}
