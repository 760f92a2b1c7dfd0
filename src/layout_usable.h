/* Usable-size accounting: no header; a block adds the backend's usable size of it to
 * used_memory (malloc_usable_size, sallocx, tc_malloc_size, mi_usable_size). */
#ifndef ZM_LAYOUT_USABLE_H
#define ZM_LAYOUT_USABLE_H

#include <cstddef>
#include <cstdint>

#include "backend.h"
#include "mutants.h"

namespace zm::layout {

constexpr const char *kName = "usable";

/* A zero-size block is asked for as one byte: backends disagree on malloc(0) (some
 * report a usable byte that the block does not own). */
inline size_t backend_request(size_t n) { return n == 0 ? 1 : n; }

inline void *to_user(void *raw, size_t n) {
  (void)n;
  return raw;
}

inline void *to_raw(void *user) { return user; }

/* A(p). */
inline size_t accounted(void *user) { return backend_usable_size(user); }

inline size_t usable(void *user) { return backend_usable_size(user); }

inline size_t charge_new(void *user, size_t n) {
  if (ZM_MUTANT(usable_charges_request)) return backend_request(n);
  return accounted(user);
}

inline size_t charge_free(void *user) { return accounted(user); }

/* The usable size before the block moves; the change is known only after. */
inline size_t resize_origin(void *user) { return accounted(user); }

inline int64_t charge_resize(size_t old_usable, void *user, size_t n) {
  (void)n;
  return static_cast<int64_t>(accounted(user)) - static_cast<int64_t>(old_usable);
}

}  // namespace zm::layout

#endif
