// Binds the Sut table to the allocator linked into this binary. Every function is
// declared weak: one the allocator does not define is NULL instead of a link error.
// (Link the allocator whole, e.g. $<LINK_LIBRARY:WHOLE_ARCHIVE,...>, or as objects:
// weak references do not pull members out of a static library.)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "profile.h"
#include "sut.h"
#include "testing/test_backend.h"

extern "C" {
#define ZMCHECK_WEAK_DECLARATION(ret, name, params) __attribute__((weak)) ret name params;
ZMCHECK_SUT_API(ZMCHECK_WEAK_DECLARATION)
#undef ZMCHECK_WEAK_DECLARATION
}

namespace zmcheck {

const Sut &sut() {
  static const Sut bound = [] {
    Sut s{};
#define ZMCHECK_BIND(ret, name, params) s.name = ::name;
    ZMCHECK_SUT_API(ZMCHECK_BIND)
#undef ZMCHECK_BIND
    if (s.zmalloc_size == nullptr && s.zmalloc_usable_size == nullptr &&
        built_in_profile().accounting == Profile::Accounting::usable) {
      s.zmalloc_size = zm_test_usable_size;  // what their macro of malloc_usable_size calls
      s.size_from_backend = true;
    }
    const char *missing = s.zmalloc == nullptr               ? "zmalloc"
                          : s.zfree == nullptr               ? "zfree"
                          : s.zmalloc_used_memory == nullptr ? "zmalloc_used_memory"
                          : s.zmalloc_size == nullptr && s.zmalloc_usable_size == nullptr
                              ? "zmalloc_size"
                              : nullptr;
    if (missing != nullptr) {
      std::fprintf(stderr, "zmcheck: the allocator under test has no %s(); link one in\n", missing);
      std::exit(2);
    }
    if (s.zmalloc_enable_thread_safeness != nullptr) s.zmalloc_enable_thread_safeness();
    return s;
  }();
  return bound;
}

bool Sut::has(OpKind kind) const {
  const char *api = info(kind).api;
  if (*api == '\0') return true;
  if (std::strcmp(api, "zmalloc_size") == 0)
    return zmalloc_size != nullptr || zmalloc_usable_size != nullptr;
#define ZMCHECK_HAS(ret, name, params) \
  if (std::strcmp(api, #name) == 0) return name != nullptr;
  ZMCHECK_SUT_API(ZMCHECK_HAS)
#undef ZMCHECK_HAS
  return false;
}

bool runnable(OpKind kind) { return sut().has(kind) && !built_in_profile().excludes(kind); }

}  // namespace zmcheck
