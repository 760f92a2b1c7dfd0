/* route_backend.h -- routes another team's zmalloc to zmcheck's test backend, unmodified.
 *
 * The build force-includes this header in front of every source of an external system
 * under test (-include, see zmcheck_add_sut in harness/CMakeLists.txt); nothing else is
 * compiled with it. From here on their calls
 *
 *     malloc(n)  calloc(k, n)  realloc(p, n)  free(p)  malloc_usable_size(p)  malloc_size(p)
 *
 * are calls of zm_test_malloc, zm_test_calloc, zm_test_realloc, zm_test_free and
 * zm_test_usable_size (src/testing/test_backend.h): the fault-injecting backend that
 * fails on request, counts the calls and, in exact builds, gives a block of exactly the
 * bytes asked for, so that ASan (or a canary) sees a write past them.
 *
 * The C library's headers are included first, unchanged, so that their declarations keep
 * their names; the macros are function-like, so only calls are routed (a name that is not
 * followed by "(", such as C++'s `using ::malloc;`, is left alone). What is not routed:
 * a function pointer taken of free or malloc, memory from other C library functions
 * (strdup, asprintf, backtrace_symbols) given to zfree, and allocator-specific APIs
 * (je_malloc, tc_malloc, mi_malloc): build the libc configuration of the implementation
 * under test (no USE_JEMALLOC or USE_TCMALLOC): the harness supplies the backend. */
#ifndef ZMCHECK_ROUTE_BACKEND_H
#define ZMCHECK_ROUTE_BACKEND_H

#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

#ifdef __cplusplus
#include <cstdlib>
#include <cstring>
#endif

#include "../../src/testing/test_backend.h"

/* ZMCHECK_HIDE_GLIBC (ci/zmcheck external --tree --mode prefix): the prefix shape of a
 * tree whose zmalloc.h uses malloc_usable_size() whenever __GLIBC__ is defined and has no
 * define to say otherwise. The C library's headers their zmalloc.c may include are
 * included now, as they are; then __GLIBC__ is hidden from their code, as on a C library
 * without it (musl). */
#ifdef ZMCHECK_HIDE_GLIBC
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#undef __GLIBC__
#endif

#ifdef __cplusplus
/* std::malloc(n) becomes std::zm_test_malloc(n): give std that name too. */
namespace std {
using ::zm_test_calloc;
using ::zm_test_free;
using ::zm_test_malloc;
using ::zm_test_realloc;
}  // namespace std
#endif

#define malloc(n) zm_test_malloc(n)
#define calloc(count, n) zm_test_calloc(count, n)
#define realloc(p, n) zm_test_realloc(p, n)
#define free(p) zm_test_free(p)
#define malloc_usable_size(p) zm_test_usable_size(p)
#define malloc_size(p) zm_test_usable_size(p)

#endif
