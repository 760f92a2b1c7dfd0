/* backend.h -- where zmalloc gets memory: zm_backend_malloc/calloc/realloc/free and
 * zm_backend_usable_size. The real backend is the header ZM_BACKEND_HEADER names
 * (backend/libc.h, backend/jemalloc.h, ...); a ZM_TESTING build goes through the test
 * backend (testing/test_backend.h) instead, which fails and checks on request. */
#ifndef ZM_BACKEND_H
#define ZM_BACKEND_H

#include <cstddef>

#include ZM_BACKEND_HEADER

#if ZM_TESTING
#include "testing/test_backend.h"
#endif

namespace zm {

#if ZM_TESTING
inline void *backend_malloc(size_t n) { return zm_test_malloc(n); }
inline void *backend_calloc(size_t n) { return zm_test_calloc(1, n); }
inline void *backend_realloc(void *p, size_t n) { return zm_test_realloc(p, n); }
inline void backend_free(void *p) { zm_test_free(p); }
inline size_t backend_usable_size(void *p) { return zm_test_usable_size(p); }
#else
inline void *backend_malloc(size_t n) { return zm_raw_malloc(n); }
inline void *backend_calloc(size_t n) { return zm_raw_calloc(n); }
inline void *backend_realloc(void *p, size_t n) { return zm_raw_realloc(p, n); }
inline void backend_free(void *p) { zm_raw_free(p); }
inline size_t backend_usable_size(void *p) { return zm_raw_usable_size(p); }
#endif

}  // namespace zm

#endif
