// zmalloc.hpp -- zmalloc for C++: a standard allocator whose memory is accounted.
//
//   std::vector<int, zm::allocator<int>> v(1000);   // shows up in zm::used_memory()
#ifndef ZMALLOC_HPP
#define ZMALLOC_HPP

#include <cstddef>
#include <limits>
#include <new>

#include "zmalloc.h"

namespace zm {

namespace detail {
// count * size bytes from ztrymalloc; NULL if the product overflows or memory runs out.
// In the library, so that the allocator's arithmetic is compiled (and tested) with it.
void *try_allocate_array(std::size_t count, std::size_t size) noexcept;
}  // namespace detail

// A standard allocator on zmalloc: every block it gives is counted in used_memory.
// allocate(n) throws std::bad_alloc when n * sizeof(T) overflows or memory runs out;
// it never calls zmalloc's OOM handler. Stateless: all instances compare equal.
// For types aligned to at most 8 bytes.
template <class T>
struct allocator {
  using value_type = T;

  allocator() noexcept = default;
  template <class U>
  allocator(const allocator<U> &) noexcept {}

  [[nodiscard]] T *allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    static_assert(alignof(T) <= 8, "zmalloc blocks are 8-byte aligned (prefix accounting puts "
                                   "an 8-byte header before each block)");
    void *p = detail::try_allocate_array(n, sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T *>(p);
  }

  void deallocate(T *p, std::size_t) noexcept { zfree(p); }

  template <class U>
  bool operator==(const allocator<U> &) const noexcept {
    return true;
  }
};

// The total of accounted bytes of all live blocks (zmalloc_used_memory()).
inline std::size_t used_memory() noexcept { return zmalloc_used_memory(); }

}  // namespace zm

#endif
