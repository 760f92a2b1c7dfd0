/* zmalloc.h -- an older-style accounting allocator: an example for zmcheck.
 *
 * The API of older Redis-style servers: no try or usable families, no zcalloc_num.
 * Every block carries a size_t header; zmalloc_used_memory() is the sum of
 * zmalloc_size() over the live blocks, which is the header plus the bytes asked for,
 * rounded up to a multiple of sizeof(long). The counter is guarded by a mutex once
 * zmalloc_enable_thread_safeness() has been called (before a second thread allocates). */
#ifndef OLDSTYLE_ZMALLOC_H
#define OLDSTYLE_ZMALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A block of n bytes. Out of memory: the OOM handler is called with n; if it returns,
 * NULL. Sizes are not checked: n + sizeof(size_t) must not overflow. */
void *zmalloc(size_t n);
/* As zmalloc, and the n bytes are zero. */
void *zcalloc(size_t n);
/* p == NULL: zmalloc(n). Otherwise the block resized to n bytes (n == 0 too: a block of
 * 0 bytes), keeping min(old, n) bytes. Out of memory: p stays as it was, the handler is
 * called with n; if it returns, NULL. */
void *zrealloc(void *p, size_t n);
/* Frees p; NULL is a no-op. */
void zfree(void *p);
/* A copy of s. Out of memory as zmalloc. */
char *zstrdup(const char *s);
/* What p adds to zmalloc_used_memory(): round_up(n + sizeof(size_t), sizeof(long)). */
size_t zmalloc_size(void *p);
/* The sum of zmalloc_size() over the live blocks. */
size_t zmalloc_used_memory(void);
/* Called with the size asked for when memory runs out; NULL restores the default,
 * which prints a message and aborts. */
void zmalloc_set_oom_handler(void (*handler)(size_t));
/* From now on the counter is updated under a mutex. */
void zmalloc_enable_thread_safeness(void);

#ifdef __cplusplus
}
#endif

#endif
