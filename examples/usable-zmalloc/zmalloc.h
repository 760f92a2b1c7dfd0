/* zmalloc.h -- a usable-size accounting allocator: an example for zmcheck.
 *
 * No header before the blocks: a block counts what the C library's
 * malloc_usable_size() says it holds, and zmalloc_size() is that very function (a
 * macro, as in implementations built with HAVE_MALLOC_SIZE). The total is one atomic
 * counter. The try functions return NULL on failure; the others call the OOM handler
 * with the size asked for first. The *_usable functions also give the usable size of
 * the result (0 for NULL). */
#ifndef USABLE_ZMALLOC_H
#define USABLE_ZMALLOC_H

#include <malloc.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define zmalloc_size(p) malloc_usable_size(p)
#define zmalloc_usable_size(p) malloc_usable_size(p)

void *zmalloc(size_t n);
void *zcalloc(size_t n);
/* num * size zeroed bytes; an overflowing product, or size == 0, is a failure: the OOM
 * handler gets SIZE_MAX. */
void *zcalloc_num(size_t num, size_t size);
/* p == NULL: zmalloc(n). n == 0: frees p, NULL, no handler. n >= SIZE_MAX/2: frees p,
 * and fails. Otherwise p resized; on failure p stays as it was. */
void *zrealloc(void *p, size_t n);
void *ztrymalloc(size_t n);
void *ztrycalloc(size_t n);
void *ztryrealloc(void *p, size_t n);
void *zmalloc_usable(size_t n, size_t *usable);
void *zcalloc_usable(size_t n, size_t *usable);
void *zrealloc_usable(void *p, size_t n, size_t *usable);
void *ztrymalloc_usable(size_t n, size_t *usable);
void *ztrycalloc_usable(size_t n, size_t *usable);
void *ztryrealloc_usable(void *p, size_t n, size_t *usable);
void zfree(void *p);
/* As zfree; *usable gets the usable size that was freed. */
void zfree_usable(void *p, size_t *usable);
char *zstrdup(const char *s);
size_t zmalloc_used_memory(void);
void zmalloc_set_oom_handler(void (*handler)(size_t));

#ifdef __cplusplus
}
#endif

#endif
