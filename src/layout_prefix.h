/* Prefix accounting: each block is [size_t n][n user bytes, rounded up], the backend is
 * asked for exactly A(n) = round_up(n + PREFIX_SIZE, sizeof(long)) bytes, and A(n) is
 * what the block adds to used_memory. Every one of the A(n) - PREFIX_SIZE usable bytes
 * belongs to the block. */
#ifndef ZM_LAYOUT_PREFIX_H
#define ZM_LAYOUT_PREFIX_H

#include <cstddef>
#include <cstdint>

#include "backend.h"
#include "mutants.h"

namespace zm::layout {

constexpr const char *kName = "prefix";
constexpr size_t kPrefixSize = sizeof(size_t);
constexpr size_t kGranule = sizeof(long);

/* Rounds n up to a multiple of sizeof(long): the seed's
 *   if (_n&(sizeof(long)-1)) _n += sizeof(long)-(_n&(sizeof(long)-1));
 * in its branch-free form (equal for every n < SIZE_MAX - sizeof(long)). */
constexpr size_t round_up(size_t n) { return (n + kGranule - 1) & ~(kGranule - 1); }
static_assert(round_up(0) == 0 && round_up(1) == 8 && round_up(8) == 8 && round_up(9) == 16);

/* A(n). */
constexpr size_t accounted_size(size_t n) { return round_up(n + kPrefixSize); }

inline size_t *header(void *user) { return static_cast<size_t *>(user) - 1; }

/* Bytes to ask the backend for a block of n. */
inline size_t backend_request(size_t n) {
  if (ZM_MUTANT(usable_past_block)) return n + kPrefixSize;
  return accounted_size(n);
}

/* The user pointer of a fresh backend block that holds n bytes. */
inline void *to_user(void *raw, size_t n) {
  *static_cast<size_t *>(raw) = n;
  return static_cast<size_t *>(raw) + 1;
}

inline void *to_raw(void *user) { return header(user); }

/* A(p). */
inline size_t accounted(void *user) { return accounted_size(*header(user)); }

inline size_t usable(void *user) {
  if (ZM_MUTANT(usable_is_accounted)) return accounted(user);
  return accounted(user) - kPrefixSize;
}

/* What a new block of n bytes adds to the total. */
inline size_t charge_new(void *user, size_t n) {
  (void)user;
  if (ZM_MUTANT(no_round)) return n + kPrefixSize;
  if (ZM_MUTANT(zero_size_uncounted) && n == 0) return 0;
  return accounted_size(n);
}

/* What freeing the block takes off the total. */
inline size_t charge_free(void *user) {
  size_t n = *header(user);
  if (ZM_MUTANT(free_size_truncated)) n = static_cast<uint32_t>(n);
  if (ZM_MUTANT(round_alloc_only)) return n + kPrefixSize;
  if (ZM_MUTANT(free_size_mismatch)) return usable(user);
  return accounted_size(n);
}

/* The size a resize starts from, read before the block moves. */
inline size_t resize_origin(void *user) { return *header(user); }

/* What resizing a block of old_n bytes to n bytes (now at user) changes in the total. */
inline int64_t charge_resize(size_t old_n, void *user, size_t n) {
  (void)user;
  size_t taken = accounted_size(old_n);
  size_t added = accounted_size(n);
  if (ZM_MUTANT(realloc_double_prefix)) taken = round_up(old_n);
  if (ZM_MUTANT(realloc_missing_prefix)) added = round_up(n);
  return static_cast<int64_t>(added) - static_cast<int64_t>(taken);
}

}  // namespace zm::layout

#endif
