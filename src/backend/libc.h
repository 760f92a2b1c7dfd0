/* Backend: the C library's malloc (glibc). */
#ifndef ZM_BACKEND_LIBC_H
#define ZM_BACKEND_LIBC_H

#include <malloc.h>
#include <stdlib.h>

#define ZM_RAW_NAME "libc"

static inline void *zm_raw_malloc(size_t n) { return malloc(n); }
static inline void *zm_raw_calloc(size_t n) { return calloc(1, n); }
static inline void *zm_raw_realloc(void *p, size_t n) { return realloc(p, n); }
static inline void zm_raw_free(void *p) { free(p); }
static inline size_t zm_raw_usable_size(void *p) { return malloc_usable_size(p); }

#endif
