// The system under test: everything the harness calls in the allocator, and nothing
// else. It is the C API of src/zmalloc.h, bound at link time to whichever
// implementation the build links in (zmcheck's own library, or another team's sources),
// plus zmcheck's own test seams where the implementation has them. A function the
// implementation lacks is NULL here, and the op language leaves out the ops that need it.
//
// Beside it the harness uses only what it brings itself: the test backend
// (src/testing/test_backend.h), the profile and the scheduler.
#ifndef ZMCHECK_SUT_H
#define ZMCHECK_SUT_H

#include <cstddef>

#include "ops.h"

// X(return type, function, parameter list): the allocator's C API as the harness uses it.
#define ZMCHECK_SUT_API(X)                                        \
  X(void *, zmalloc, (size_t))                                    \
  X(void *, zcalloc, (size_t))                                    \
  X(void *, zcalloc_num, (size_t, size_t))                        \
  X(void *, zrealloc, (void *, size_t))                           \
  X(void *, ztrymalloc, (size_t))                                 \
  X(void *, ztrycalloc, (size_t))                                 \
  X(void *, ztryrealloc, (void *, size_t))                        \
  X(void *, zmalloc_usable, (size_t, size_t *))                   \
  X(void *, zcalloc_usable, (size_t, size_t *))                   \
  X(void *, zrealloc_usable, (void *, size_t, size_t *))          \
  X(void *, ztrymalloc_usable, (size_t, size_t *))                \
  X(void *, ztrycalloc_usable, (size_t, size_t *))                \
  X(void *, ztryrealloc_usable, (void *, size_t, size_t *))       \
  X(void, zfree, (void *))                                        \
  X(void, zfree_usable, (void *, size_t *))                       \
  X(char *, zstrdup, (const char *))                              \
  X(size_t, zmalloc_size, (void *))                               \
  X(size_t, zmalloc_usable_size, (void *))                        \
  X(size_t, zmalloc_used_memory, (void))                          \
  X(void, zmalloc_set_oom_handler, (void (*)(size_t)))            \
  X(void, zmalloc_enable_thread_safeness, (void))                 \
  /* zmcheck's own test seams (src/testing/zmalloc_testing.h) */   \
  X(void, zm_test_set_preempt_hook, (void (*)(const char *)))     \
  X(unsigned, zm_test_set_thread_slots, (unsigned))               \
  X(int, zm_test_reset_counters, (void))                          \
  X(const char *, zm_mutant_active, (void))

namespace zmcheck {

struct Sut {
#define ZMCHECK_SUT_MEMBER(ret, name, params) ret(*name) params;
  ZMCHECK_SUT_API(ZMCHECK_SUT_MEMBER)
#undef ZMCHECK_SUT_MEMBER

  // zmalloc_size is not the allocator's own function but the backend's usable size:
  // an implementation with usable-size accounting whose zmalloc.h makes zmalloc_size a
  // macro of malloc_usable_size (which harness/sut/route_backend.h routes to the test
  // backend), so that no function of that name exists.
  bool size_from_backend = false;

  // The allocator has the function op kind needs (zmalloc_size: or zmalloc_usable_size).
  bool has(OpKind kind) const;
  // zmcheck's preemption points are reachable: the deterministic scheduler can switch
  // threads inside the allocator.
  bool preemptible() const { return zm_test_set_preempt_hook != nullptr; }
};

// The allocator this binary was linked with. Exits with a message if it lacks one of
// zmalloc, zfree, zmalloc_used_memory and zmalloc_size (which, with usable-size
// accounting, may be the backend's usable size: see size_from_backend). On first use it
// calls zmalloc_enable_thread_safeness() where that exists, as a server does before it
// starts threads: the harness runs threads.
const Sut &sut();

// The op kinds this binary's programs may hold: those whose function the allocator has
// and the built-in profile does not exclude. Fuzz targets and zmcheck-trace decode with
// it, so that a trace names exactly the ops a target runs.
bool runnable(OpKind kind);

}  // namespace zmcheck

#endif
