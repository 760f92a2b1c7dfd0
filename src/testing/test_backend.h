/* test_backend.h -- the test backend: what zmalloc asks for memory in a ZM_TESTING build.
 *
 * It sits between the allocator under test and the real backend and adds two things:
 *   - fault injection: fail the next k allocating calls, the k-th one, those a predicate
 *     picks, and every request above a size limit (a simulated out-of-memory that never
 *     reaches the real backend, so the fuzzer's RSS limit is never the finding);
 *   - exact sizes (library built with ZM_EXACT_BACKEND=ON): a block of n bytes has
 *     exactly n usable bytes; under ASan every byte past them is poisoned, elsewhere a
 *     canary after the block is checked when it is freed or resized.
 *
 * zmalloc's own test builds call it in place of the real backend; another team's zmalloc
 * sources are routed to it at build time (harness/sut/route_backend.h). Never in a
 * release build. All functions are thread-safe. */
#ifndef ZM_TEST_BACKEND_H
#define ZM_TEST_BACKEND_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The allocation functions, with the C library's contracts. Allocating calls are
 * malloc, calloc and realloc with a non-zero size; only they can be made to fail. */
void *zm_test_malloc(size_t n);
void *zm_test_calloc(size_t num, size_t size);
void *zm_test_realloc(void *p, size_t n);
void zm_test_free(void *p);
size_t zm_test_usable_size(void *p);

/* ---- fault injection ------------------------------------------------------------ */

typedef enum zm_backend_call_kind {
  ZM_CALL_MALLOC,
  ZM_CALL_CALLOC,
  ZM_CALL_REALLOC
} zm_backend_call_kind;

typedef struct zm_backend_call {
  zm_backend_call_kind kind;
  size_t size;              /* bytes asked of the backend */
  unsigned long long index; /* 1 for the first allocating call of the process */
} zm_backend_call;

/* Returns nonzero when the call must fail. */
typedef int (*zm_fault_predicate)(const zm_backend_call *call, void *ctx);

/* The next k allocating calls fail (k == 0: none). */
void zm_fault_fail_next(unsigned long long k);

/* The k-th allocating call from now fails (k == 1: the next one; 0: none). */
void zm_fault_fail_nth(unsigned long long k);

/* Every allocating call for which pred returns nonzero fails; NULL removes it.
 * Set it while no allocation is in flight. */
void zm_fault_set_predicate(zm_fault_predicate pred, void *ctx);

/* Removes every injected failure (next, nth and predicate; not the size limit). */
void zm_fault_reset(void);

/* Requests of more than `bytes` fail as if the machine were out of memory, without
 * reaching the real backend. The default is 1 GiB. Returns the previous limit. */
size_t zm_test_backend_set_limit(size_t bytes);

/* ---- what it saw ------------------------------------------------------------------ */

typedef struct zm_test_backend_stats {
  unsigned long long calls;    /* allocating calls */
  unsigned long long failures; /* of which failed: injected or over the limit */
  unsigned long long frees;    /* free of a non-NULL block, realloc to 0 */
  long long live_blocks;       /* blocks given out and not yet freed */
} zm_test_backend_stats;

zm_test_backend_stats zm_test_backend_get_stats(void);

/* The same counts, of the calls the calling thread made. */
zm_test_backend_stats zm_test_backend_get_thread_stats(void);

/* 1 when the library was built with the exact-size backend. */
int zm_test_backend_is_exact(void);

/* Name of the real backend underneath, as ZMALLOC_LIB would name it. */
const char *zm_test_backend_name(void);

/* ---- what a block holds -------------------------------------------------------------- */

/* Exact builds: on (1), every request is rounded up to a size class, as jemalloc's
 * (8, 16, then 16 apart to 128, then four classes per doubling), and the block owns and
 * reports (zm_test_usable_size) every byte of its class; off (0, the default), a block
 * has exactly the bytes asked for. Usable-size accounting runs on classes: it is only
 * tested where the allocator's size differs from the request. Returns the old setting. */
int zm_test_backend_set_size_classes(int on);

/* The size class of a request of n bytes. */
size_t zm_test_backend_size_class(size_t n);

/* Exact builds: a block of more than 64 KiB is reserved address space (an anonymous
 * mapping without swap reserve), committed only where it is touched; blocks up to
 * zm_test_backend_reserve_limit() bytes cost no memory until written. Returns that
 * bound: 2^36 in exact builds, 0 in the others (whose big blocks are real memory). */
size_t zm_test_backend_reserve_limit(void);

#ifdef __cplusplus
}
#endif

#endif
