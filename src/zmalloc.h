/* zmalloc.h -- a memory-accounting allocator with the API of Redis's zmalloc.h.
 *
 * Every block knows its size and the library keeps an exact total, used_memory,
 * across threads. A(p) below is the block's accounted size: what p adds to
 * zmalloc_used_memory() for as long as it is live.
 *
 *   prefix accounting (default): A(n) = round_up(n + sizeof(size_t), sizeof(long))
 *   usable accounting:           A(p) = the backend's usable size of the block
 *
 * Sizes n >= SIZE_MAX/2, or sizes whose header arithmetic would overflow, are
 * failures: the backend is not called and nothing is accounted.
 *
 * On failure the non-try functions call the OOM handler with the requested size;
 * if the handler returns, they return NULL. The try functions never call it. */
#ifndef ZMALLOC_H
#define ZMALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Name of the backend allocator, e.g. "libc" or "jemalloc-5.3.0". */
extern const char zmalloc_lib_name[];
#define ZMALLOC_LIB zmalloc_lib_name

/* ---- allocation ------------------------------------------------------------------ */

/* A live block of at least n usable bytes, aligned to 8 bytes (prefix accounting) or
 * as the backend aligns (usable). n == 0 gives a unique non-NULL block.
 * Failure (huge n, backend out of memory): OOM handler(n), then NULL. */
void *zmalloc(size_t n);

/* As zmalloc, and the n bytes are zero. */
void *zcalloc(size_t n);

/* A zeroed block of num*size bytes. A product that overflows size_t is a failure:
 * OOM handler(SIZE_MAX), then NULL. A zero product gives a unique non-NULL block. */
void *zcalloc_num(size_t num, size_t size);

/* p == NULL: as zmalloc(n). n == 0: frees p, returns NULL, never calls the handler.
 * Else resizes or moves p, keeping min(old, new) bytes, and returns the block.
 * Failure: p stays live, intact and accounted; OOM handler(n); NULL. */
void *zrealloc(void *p, size_t n);

/* As zmalloc, zcalloc and zrealloc, but a failure returns NULL and never calls the
 * OOM handler. A failed ztryrealloc leaves p live, intact and accounted. */
void *ztrymalloc(size_t n);
void *ztrycalloc(size_t n);
void *ztryrealloc(void *p, size_t n);

/* The *_usable variants: as the function without the suffix, and *usable (if not
 * NULL) receives zmalloc_usable_size() of the result, or 0 when the result is NULL
 * (failure, or realloc to 0). */
void *zmalloc_usable(size_t n, size_t *usable);
void *zcalloc_usable(size_t n, size_t *usable);
void *zrealloc_usable(void *p, size_t n, size_t *usable);
void *ztrymalloc_usable(size_t n, size_t *usable);
void *ztrycalloc_usable(size_t n, size_t *usable);
void *ztryrealloc_usable(void *p, size_t n, size_t *usable);

/* Frees p. p == NULL is a no-op. */
void zfree(void *p);

/* As zfree; *usable (if not NULL) receives the usable size that was freed (0 for NULL). */
void zfree_usable(void *p, size_t *usable);

/* A copy of s in a block of strlen(s) + 1 bytes. Failure: OOM handler, then NULL. */
char *zstrdup(const char *s);

/* ---- sizes and totals ------------------------------------------------------------- */

/* A(p): what the live block p adds to zmalloc_used_memory(); 0 for NULL. */
size_t zmalloc_size(void *p);

/* Bytes the caller may use in p: at least the size asked for, and every one of them
 * belongs to the block (writing all of them is defined); 0 for NULL. */
size_t zmalloc_usable_size(void *p);

/* Sum of A(p) over all live blocks, across all threads. Exact whenever no zmalloc
 * call is in flight; while calls are in flight it may lag, never wraps, never < 0. */
size_t zmalloc_used_memory(void);

/* Sets the function called with the requested size when a non-try allocation fails.
 * NULL restores the default, which prints
 * "zmalloc: Out of memory trying to allocate N bytes" to stderr and aborts. */
void zmalloc_set_oom_handler(void (*oom_handler)(size_t));

/* Kept for source compatibility: the library is always thread-safe. Does nothing. */
void zmalloc_enable_thread_safeness(void);

/* ---- process and machine memory (Linux /proc and sysconf) --------------------------- */

/* Resident set size of this process in bytes, from /proc/self/stat; if that cannot
 * be read, zmalloc_used_memory(). */
size_t zmalloc_get_rss(void);

/* Sum of the "<field>" lines (e.g. "Private_Dirty:") of /proc/<pid>/smaps, in bytes;
 * pid == -1 means this process. 0 if the file cannot be read or has no such field. */
size_t zmalloc_get_smap_bytes_by_field(char *field, long pid);

/* Private_Dirty bytes of process pid (-1: this process), from its smaps. */
size_t zmalloc_get_private_dirty(long pid);

/* Physical memory of the machine in bytes; 0 if unknown. */
size_t zmalloc_get_memory_size(void);

/* rss / zmalloc_used_memory(); 0 when used_memory is 0. */
float zmalloc_get_fragmentation_ratio(size_t rss);

#ifdef __cplusplus
}
#endif

#endif /* ZMALLOC_H */
