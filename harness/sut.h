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
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ops.h"
#include "sut_api.h"

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

  // Functions of the implementation whose type differs from zmalloc.h's (checked at
  // build time against its own sources, harness/sut/signature_probe.cmake): left out
  // (NULL above), each with what the implementation has and where.
  struct Unbound {
    const char *function;
    const char *theirs;  // "size_t zmalloc_usable(void *ptr) (zmalloc.c:189)"
  };
  std::vector<Unbound> unbound;
  // Functions of the API that the implementation's headers define as macros
  // (zmalloc_size as malloc_usable_size, in a build with HAVE_MALLOC_SIZE).
  std::vector<const char *> macros;
  // Functions its headers rename (Valkey's #define zmalloc valkey_malloc): bound by the
  // real name. Pairs of (zmalloc.h's name, the real name).
  std::vector<std::pair<const char *, const char *>> aliases;

  // What in the implementation's objects holds per-thread state or reads a thread's
  // identity (cmake/ZmThreadState.cmake: "thread-local thread_index (zmalloc.c)"), where
  // the build looked (thread_state_known; zmcheck's own library has the forget seam
  // instead). Known and empty: a thread that ran an earlier case is a new one to it.
  bool thread_state_known = false;
  std::vector<const char *> thread_state;

  // The allocator has the function op kind needs (zmalloc_size: or zmalloc_usable_size).
  bool has(OpKind kind) const;
  // zmcheck's preemption points are reachable: the deterministic scheduler can switch
  // threads inside the allocator.
  bool preemptible() const { return zm_test_set_preempt_hook != nullptr; }
};

// The allocator this binary was linked with. Exits (status 2) with a message if it
// lacks zmalloc, zfree or zmalloc_used_memory: then nothing can be checked. Binding
// calls nothing: the counter's mode is the implementation's initial one.
const Sut &sut();

// The backend limit the harness runs with: requests above it fail as out of memory, so
// that the fuzzer's RSS limit is never the finding. With the exact test backend, big
// blocks are reserved address space (committed only where touched: the executor touches
// their first and last pages), and blocks of up to 2^36 bytes live, counted and freed;
// otherwise 96 KiB (16 slots hold at most 1.5 MiB).
uint64_t backend_limit();

// A(p) as the harness reads it off the allocator: zmalloc_size(p), or, where the
// implementation has none, the built-in profile's A of a block of `requested` bytes.
uint64_t accounted_size(void *p, uint64_t requested);

// Calls zmalloc_enable_thread_safeness() once in this process, where it exists: before
// the harness starts a thread, as a server does, and for the op of that name. Under
// profile thread_safety = after_enable the switch cannot be undone, so the harness
// keeps track of it (a process that never switched starts every case unswitched).
void enable_thread_safeness(const Sut &sut);
bool thread_safeness_enabled();

// The op kinds this binary's programs may hold: those whose function the allocator has
// and the built-in profile does not exclude; and the injected failures only where some
// op can fail without ending the process (profile oom = fatal and no try function: no
// failure is ever injected). Fuzz targets and zmcheck-trace decode with it, so that a
// trace names exactly the ops a target runs.
bool runnable(OpKind kind);
// Why runnable(kind) is false ("" when it is true).
std::string left_out_because(OpKind kind);

// "void * zmalloc(size_t)": a function of the API as zmalloc.h declares it.
std::string zmalloc_h_signature(const char *function);

}  // namespace zmcheck

#endif
