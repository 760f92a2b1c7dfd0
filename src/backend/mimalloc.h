/* Backend: mimalloc (Debian's libmimalloc-dev). */
#ifndef ZM_BACKEND_MIMALLOC_H
#define ZM_BACKEND_MIMALLOC_H

#include <mimalloc.h>

#define ZM_STR2(x) #x
#define ZM_STR(x) ZM_STR2(x)
#define ZM_RAW_NAME "mimalloc-" ZM_STR(MI_MALLOC_VERSION)

static inline void *zm_raw_malloc(size_t n) { return mi_malloc(n); }
static inline void *zm_raw_calloc(size_t n) { return mi_zalloc(n); }
static inline void *zm_raw_realloc(void *p, size_t n) { return mi_realloc(p, n); }
static inline void zm_raw_free(void *p) { mi_free(p); }
static inline size_t zm_raw_usable_size(void *p) { return mi_usable_size(p); }

#endif
