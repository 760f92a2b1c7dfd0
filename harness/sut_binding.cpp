// Binds the Sut table to the allocator linked into this binary. Every function is
// declared weak: one the allocator does not define is NULL instead of a link error.
// (Link the allocator whole, e.g. $<LINK_LIBRARY:WHOLE_ARCHIVE,...>, or as objects:
// weak references do not pull members out of a static library.) A function whose type
// differs from zmalloc.h's, as the build found (zmcheck_sut_unbound), is left NULL.
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "profile.h"
#include "sut.h"
#include "testing/test_backend.h"

extern "C" {
#define ZMCHECK_WEAK_DECLARATION(ret, name, params) __attribute__((weak)) ret name params;
ZMCHECK_SUT_API(ZMCHECK_WEAK_DECLARATION)
#undef ZMCHECK_WEAK_DECLARATION
// Written by zmcheck_add_sut from its signature probe: pairs of (function, what the
// implementation declares), ended by NULL. Absent for zmcheck's own library.
__attribute__((weak)) extern const char *const zmcheck_sut_unbound[];
__attribute__((weak)) extern const char *const zmcheck_sut_macros[];
// Written by cmake/ZmThreadState.cmake from the compiled implementation.
__attribute__((weak)) extern const char *const zmcheck_sut_thread_state[];
struct zmcheck_sut_alias {
  const char *name, *real_name;
  void (*function)();
};
__attribute__((weak)) extern const zmcheck_sut_alias zmcheck_sut_aliases[];
}

namespace zmcheck {

// "void * zmalloc(size_t)": a function of the API as zmalloc.h declares it.
std::string zmalloc_h_signature(const char *function) {
#define ZMCHECK_SIGNATURE(ret, name, params) \
  if (std::strcmp(function, #name) == 0) return std::string(#ret " " #name) + #params;
  ZMCHECK_SUT_API(ZMCHECK_SIGNATURE)
#undef ZMCHECK_SIGNATURE
  return function;
}

namespace {

std::atomic<bool> thread_safeness_called{false};

// The function a renamed name of the API is (NULL if the headers do not rename it).
void (*aliased(const char *name))() {
  if (zmcheck_sut_aliases == nullptr) return nullptr;
  for (const zmcheck_sut_alias *a = zmcheck_sut_aliases; a->name != nullptr; a++)
    if (std::strcmp(a->name, name) == 0) return a->function;
  return nullptr;
}

bool unbound_by_build(const char *name) {
  if (zmcheck_sut_unbound == nullptr) return false;
  for (const char *const *u = zmcheck_sut_unbound; *u != nullptr; u += 2)
    if (std::strcmp(*u, name) == 0) return true;
  return false;
}

}  // namespace

const Sut &sut() {
  static const Sut bound = [] {
    Sut s{};
#define ZMCHECK_BIND(ret, name, params)                                                    \
  s.name = unbound_by_build(#name) ? nullptr                                               \
           : aliased(#name) != nullptr ? reinterpret_cast<ret(*) params>(aliased(#name)) \
                                       : ::name;
    ZMCHECK_SUT_API(ZMCHECK_BIND)
#undef ZMCHECK_BIND
    if (zmcheck_sut_unbound != nullptr)
      for (const char *const *u = zmcheck_sut_unbound; *u != nullptr; u += 2) s.unbound.push_back({u[0], u[1]});
    if (zmcheck_sut_macros != nullptr)
      for (const char *const *m = zmcheck_sut_macros; *m != nullptr; m++) s.macros.push_back(*m);
    if (zmcheck_sut_thread_state != nullptr) {
      s.thread_state_known = true;
      for (const char *const *t = zmcheck_sut_thread_state; *t != nullptr; t++) s.thread_state.push_back(*t);
    }
    if (zmcheck_sut_aliases != nullptr)
      for (const zmcheck_sut_alias *a = zmcheck_sut_aliases; a->name != nullptr; a++)
        if (a->function != nullptr) s.aliases.push_back({a->name, a->real_name});
    // Usable-size accounting is checked where the allocator's size differs from the
    // request: the test backend rounds every request up to a size class.
    if (built_in_profile().accounting == Profile::Accounting::usable) zm_test_backend_set_size_classes(1);
    if (s.zmalloc_size == nullptr && s.zmalloc_usable_size == nullptr &&
        built_in_profile().accounting == Profile::Accounting::usable) {
      s.zmalloc_size = zm_test_usable_size;  // what their macro of malloc_usable_size calls
      s.size_from_backend = true;
    }
    const char *missing = s.zmalloc == nullptr               ? "zmalloc"
                          : s.zfree == nullptr               ? "zfree"
                          : s.zmalloc_used_memory == nullptr ? "zmalloc_used_memory"
                                                             : nullptr;
    if (missing != nullptr) {
      for (const Sut::Unbound &u : s.unbound)
        if (std::strcmp(u.function, missing) == 0) {  // never called through a pointer of another type
          std::fprintf(stderr,
                       "zmcheck: nothing can be checked: %s() of the allocator under test is not called, its type "
                       "is not zmalloc.h's: the implementation has `%s`, zmalloc.h `%s`\n",
                       missing, u.theirs, zmalloc_h_signature(missing).c_str());
          std::exit(2);
        }
      std::fprintf(stderr, "zmcheck: nothing can be checked: the allocator under test has no %s()\n", missing);
      std::exit(2);
    }
    return s;
  }();
  return bound;
}

uint64_t backend_limit() {
  size_t reserved = zm_test_backend_reserve_limit();
  return reserved != 0 ? reserved : uint64_t{3} << 15;
}

uint64_t accounted_size(void *p, uint64_t requested) {
  const Sut &s = sut();
  if (s.zmalloc_size != nullptr) return s.zmalloc_size(p);
  const Profile &profile = built_in_profile();
  if (profile.accounting == Profile::Accounting::prefix) return profile.prefix_accounted(requested);
  return zm_test_usable_size(p);
}

void enable_thread_safeness(const Sut &sut) {
  if (sut.zmalloc_enable_thread_safeness == nullptr) return;
  sut.zmalloc_enable_thread_safeness();
  thread_safeness_called.store(true, std::memory_order_relaxed);
}

bool thread_safeness_enabled() { return thread_safeness_called.load(std::memory_order_relaxed); }

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

namespace {

// Some op can fail and return: a try op runs, or failures are not fatal.
bool failures_return(const Sut &s) {
  const Profile &profile = built_in_profile();
  if (!profile.oom_fatal) return true;
  for (int k = 0; k < kOpKinds; k++) {
    auto kind = static_cast<OpKind>(k);
    if (is_try(kind) && s.has(kind) && !profile.excludes(kind)) return true;
  }
  return false;
}

}  // namespace

std::string left_out_because(OpKind kind) {
  const Sut &s = sut();
  if (!s.has(kind)) {
    for (const Sut::Unbound &u : s.unbound)
      if (std::strcmp(u.function, info(kind).api) == 0)
        return std::string(u.function) + "() has another type than zmalloc.h's";
    return std::string("no ") + info(kind).api + "()";
  }
  if (built_in_profile().excludes(kind)) return "excluded by the profile";
  if ((kind == OpKind::fail_next || kind == OpKind::fail_nth) && !failures_return(s))
    return "out of memory is fatal and no try function can fail instead (profile: oom = fatal)";
  return "";
}

bool runnable(OpKind kind) {
  static const auto table = [] {
    std::array<bool, kOpKinds> r{};
    for (int k = 0; k < kOpKinds; k++) r[k] = left_out_because(static_cast<OpKind>(k)).empty();
    return r;
  }();
  return table[static_cast<size_t>(kind)];
}

}  // namespace zmcheck
