// zmalloc.h -- a C++ port of a Redis-style zmalloc: an example for zmcheck. The
// functions live in namespace zm with C linkage (callers in C link against them), each
// block carries a 16-byte prefix, and zcalloc has calloc's two parameters: not
// zmalloc.h's zcalloc(size_t), so the harness must leave it out and never call it.
#ifndef CXXPORT_ZMALLOC_H
#define CXXPORT_ZMALLOC_H

#include <cstddef>

namespace zm {
extern "C" {
void *zmalloc(size_t size);
void *ztrymalloc(size_t size);
void *zcalloc(size_t count, size_t size);
void *zrealloc(void *ptr, size_t size);
void zfree(void *ptr);
char *zstrdup(const char *s);
size_t zmalloc_size(void *ptr);
size_t zmalloc_used_memory(void);
}
}  // namespace zm

#endif
