/* Backend: jemalloc (Debian's libjemalloc-dev), through its non-standard API so that
 * the calls reach jemalloc whatever else overrides malloc in the process. */
#ifndef ZM_BACKEND_JEMALLOC_H
#define ZM_BACKEND_JEMALLOC_H

#include <jemalloc/jemalloc.h>

#define ZM_STR2(x) #x
#define ZM_STR(x) ZM_STR2(x)
#define ZM_RAW_NAME \
  "jemalloc-" ZM_STR(JEMALLOC_VERSION_MAJOR) "." ZM_STR(JEMALLOC_VERSION_MINOR) "." ZM_STR(JEMALLOC_VERSION_BUGFIX)

static inline void *zm_raw_malloc(size_t n) { return mallocx(n ? n : 1, 0); }
static inline void *zm_raw_calloc(size_t n) { return mallocx(n ? n : 1, MALLOCX_ZERO); }
static inline void *zm_raw_realloc(void *p, size_t n) { return rallocx(p, n ? n : 1, 0); }
static inline void zm_raw_free(void *p) { dallocx(p, 0); }
static inline size_t zm_raw_usable_size(void *p) { return sallocx(p, 0); }

#endif
