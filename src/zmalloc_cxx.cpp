/* The part of zm::allocator (zmalloc.hpp) that lives in the library: the bytes of an
 * array of count objects. zmalloc.hpp's templates throw, and the library is built
 * without exceptions (no C++ runtime), so the declaration is repeated here rather than
 * included; a mismatch fails to link in tests/cpp_allocator_test. */
#include <cstddef>

#include "mutants.h"
#include "zmalloc.h"

namespace zm::detail {

void *try_allocate_array(std::size_t count, std::size_t size) noexcept;

void *try_allocate_array(std::size_t count, std::size_t size) noexcept {
  std::size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) return nullptr;
  if (ZM_MUTANT(cxx_allocator_bytes)) bytes = count;
  return ztrymalloc(bytes);
}

}  // namespace zm::detail
