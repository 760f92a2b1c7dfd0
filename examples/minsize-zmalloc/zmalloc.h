/* zmalloc.h -- a prefix-accounting allocator with a minimum block size: an example for
 * zmcheck, in the shape of the newer Redis-style zmalloc.
 *
 * Every block carries a size_t header holding the bytes it owns: n, or sizeof(long) for a
 * request of 0 bytes (so that every block is a real one). zmalloc_size() is that plus the
 * header, not rounded, and zmalloc_used_memory() is the sum of zmalloc_size() over the
 * live blocks, kept atomically. Sizes >= SIZE_MAX/2 fail before memory is asked for. A
 * failure calls the OOM handler with the size asked for and returns NULL if it returns;
 * the ztry* functions never call it. */
#ifndef MINSIZE_ZMALLOC_H
#define MINSIZE_ZMALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *zmalloc(size_t n);
void *zcalloc(size_t n);
void *ztrymalloc(size_t n);
/* As zmalloc; *usable (if not NULL) gets zmalloc_usable_size() of the block, 0 on failure. */
void *zmalloc_usable(size_t n, size_t *usable);
void *ztrymalloc_usable(size_t n, size_t *usable);
/* p == NULL: zmalloc(n), except that a failure of zrealloc(NULL, 0) calls no handler.
 * n == 0: frees p, returns NULL. Else p resized, min(old, n) bytes kept; on failure p is
 * left as it was, the handler is called, NULL. */
void *zrealloc(void *p, size_t n);
void *ztryrealloc(void *p, size_t n);
/* Frees p; NULL is a no-op. */
void zfree(void *p);
/* As zfree; *usable gets the usable size freed. zfree_usable(NULL, u) leaves *u alone. */
void zfree_usable(void *p, size_t *usable);
/* A copy of s. It copies into the result: the OOM handler must not return here. */
char *zstrdup(const char *s);
/* The header plus the bytes the block owns (sizeof(long) for a 0-byte request). */
size_t zmalloc_size(void *p);
/* The bytes the block owns. */
size_t zmalloc_usable_size(void *p);
size_t zmalloc_used_memory(void);
/* Called with the size asked for when memory runs out; NULL restores the default,
 * which prints the size and aborts. */
void zmalloc_set_oom_handler(void (*handler)(size_t));

#ifdef __cplusplus
}
#endif

#endif
