/* zmalloc.h -- an allocator in the shape of the oldest Redis-style zmalloc: an example
 * for zmcheck.
 *
 * Every block carries a size_t header; zmalloc_used_memory() is the sum, over the live
 * blocks, of the bytes asked for plus the header, rounded up to a multiple of
 * sizeof(long). There is no zmalloc_size(): the total is the only accounting. Running out
 * of memory ends the process: it prints the size and aborts (there is no handler to
 * set), except in ztrymalloc(), which returns NULL. The counter is a plain variable until
 * zmalloc_enable_thread_safeness() makes its updates atomic (call it before a second
 * thread allocates). zmalloc_usable() tells the bytes a block may use. */
#ifndef LEGACY_ZMALLOC_H
#define LEGACY_ZMALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A block of n bytes; out of memory ends the process. Sizes are not checked: n +
 * sizeof(size_t) must not overflow. */
void *zmalloc(size_t n);
/* As zmalloc, and the n bytes are zero. */
void *zcalloc(size_t n);
/* As zmalloc, but NULL when memory runs out. */
void *ztrymalloc(size_t n);
/* p == NULL: zmalloc(n). Otherwise p resized to n bytes (n == 0 too: a block of 0
 * bytes), keeping min(old, n) bytes; out of memory ends the process. */
void *zrealloc(void *p, size_t n);
/* Frees p; NULL is a no-op. */
void zfree(void *p);
/* A copy of s; out of memory ends the process. */
char *zstrdup(const char *s);
/* The bytes p may use: what was asked for. */
size_t zmalloc_usable(void *p);
/* The sum of round_up(n + sizeof(size_t), sizeof(long)) over the live blocks. */
size_t zmalloc_used_memory(void);
/* From now on the counter is updated atomically. It cannot be switched back. */
void zmalloc_enable_thread_safeness(void);

#ifdef __cplusplus
}
#endif

#endif
