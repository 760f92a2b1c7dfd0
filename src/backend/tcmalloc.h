/* Backend: tcmalloc from gperftools (Debian's libgoogle-perftools-dev). */
#ifndef ZM_BACKEND_TCMALLOC_H
#define ZM_BACKEND_TCMALLOC_H

#include <gperftools/tcmalloc.h>

#define ZM_STR2(x) #x
#define ZM_STR(x) ZM_STR2(x)
#define ZM_RAW_NAME "tcmalloc-" ZM_STR(TC_VERSION_MAJOR) "." ZM_STR(TC_VERSION_MINOR)

static inline void *zm_raw_malloc(size_t n) { return tc_malloc(n); }
static inline void *zm_raw_calloc(size_t n) { return tc_calloc(1, n); }
static inline void *zm_raw_realloc(void *p, size_t n) { return tc_realloc(p, n); }
static inline void zm_raw_free(void *p) { tc_free(p); }
static inline size_t zm_raw_usable_size(void *p) { return tc_malloc_size(p); }

#endif
