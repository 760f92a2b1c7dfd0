/* The public allocation API of zmalloc.h: the failure rules, the NULL and zero-size
 * cases, the try and usable families. The block layout (layout_prefix.h or
 * layout_usable.h, chosen by ZM_ACCOUNTING) says what a block costs; used_memory.h
 * keeps the total. */
#include "zmalloc.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "backend.h"
#include "mutants.h"
#include "used_memory.h"
#include ZM_LAYOUT_HEADER

#define ZM_INLINE inline __attribute__((always_inline))

extern "C" const char zmalloc_lib_name[] = ZM_RAW_NAME;

namespace zm {
namespace {

/* Requests of this size or more fail without reaching the backend: no header
 * arithmetic on them can overflow. */
constexpr size_t kMaxRequest = SIZE_MAX / 2;

void default_oom_handler(size_t n) {
  std::fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
  std::fflush(stderr);
  std::abort();
}

std::atomic<void (*)(size_t)> oom_handler{default_oom_handler};

void call_oom_handler(size_t n) { oom_handler.load(std::memory_order_acquire)(n); }

enum class OnFailure { call_handler, return_null };

/* The end of every failed allocation: out-parameter, handler, NULL. */
__attribute__((noinline, cold)) void *failed(size_t n, size_t *usable, OnFailure on_failure) {
  if (usable != nullptr) *usable = 0;
  if (on_failure == OnFailure::call_handler || ZM_MUTANT(try_calls_handler)) call_oom_handler(n);
  return nullptr;
}

ZM_INLINE bool too_big(size_t n) { return n >= kMaxRequest && !ZM_MUTANT(size_overflow); }

ZM_INLINE void *allocate(size_t n, bool zero, size_t *usable, OnFailure on_failure) {
  if (__builtin_expect(too_big(n), 0)) return failed(n, usable, on_failure);
  size_t request = layout::backend_request(n);
  void *raw = zero ? backend_calloc(request) : backend_malloc(request);
  if (__builtin_expect(raw == nullptr, 0)) {
    if (!ZM_MUTANT(oom_handler_returns) || on_failure == OnFailure::return_null)
      return failed(n, usable, on_failure);
    call_oom_handler(n); /* and then carries on, as if the handler could not return */
  }
  void *p = layout::to_user(raw, n);
  count(static_cast<int64_t>(layout::charge_new(p, n)));
  if (usable != nullptr) *usable = layout::usable(p);
  return p;
}

ZM_INLINE void release(void *p, size_t *usable) {
  if (p == nullptr) {
    if (usable != nullptr) *usable = 0;
    return;
  }
  if (usable != nullptr) *usable = layout::usable(p);
  count(-static_cast<int64_t>(layout::charge_free(p)));
  backend_free(layout::to_raw(p));
}

ZM_INLINE void *reallocate(void *p, size_t n, size_t *usable, OnFailure on_failure) {
  if (p == nullptr) return allocate(n, false, usable, on_failure);
  if (n == 0 && !ZM_MUTANT(realloc_zero_keeps)) {
    release(p, nullptr);
    if (usable != nullptr && !ZM_MUTANT(usable_out_param)) *usable = 0;
    return nullptr;
  }
  if (__builtin_expect(too_big(n), 0)) return failed(n, usable, on_failure);
  size_t origin = layout::resize_origin(p);
  void *raw = backend_realloc(layout::to_raw(p), layout::backend_request(n));
  if (__builtin_expect(raw == nullptr, 0)) {
    if (ZM_MUTANT(realloc_fail_accounts)) count(layout::charge_resize(origin, p, n));
    return failed(n, usable, on_failure);
  }
  void *q = layout::to_user(raw, n);
  count(layout::charge_resize(origin, q, n));
  if (usable != nullptr) *usable = layout::usable(q);
  return q;
}

}  // namespace
}  // namespace zm

using zm::OnFailure;

extern "C" {

void *zmalloc(size_t n) { return zm::allocate(n, false, nullptr, OnFailure::call_handler); }
void *zcalloc(size_t n) { return zm::allocate(n, true, nullptr, OnFailure::call_handler); }
void *zrealloc(void *p, size_t n) { return zm::reallocate(p, n, nullptr, OnFailure::call_handler); }

void *ztrymalloc(size_t n) { return zm::allocate(n, false, nullptr, OnFailure::return_null); }
void *ztrycalloc(size_t n) { return zm::allocate(n, true, nullptr, OnFailure::return_null); }
void *ztryrealloc(void *p, size_t n) {
  return zm::reallocate(p, n, nullptr, OnFailure::return_null);
}

void *zmalloc_usable(size_t n, size_t *usable) {
  return zm::allocate(n, false, usable, OnFailure::call_handler);
}
void *zcalloc_usable(size_t n, size_t *usable) {
  return zm::allocate(n, !ZM_MUTANT(calloc_usable_not_zeroed), usable, OnFailure::call_handler);
}
void *zrealloc_usable(void *p, size_t n, size_t *usable) {
  return zm::reallocate(p, n, usable, OnFailure::call_handler);
}
void *ztrymalloc_usable(size_t n, size_t *usable) {
  return zm::allocate(n, false, usable, OnFailure::return_null);
}
void *ztrycalloc_usable(size_t n, size_t *usable) {
  return zm::allocate(n, true, usable, OnFailure::return_null);
}
void *ztryrealloc_usable(void *p, size_t n, size_t *usable) {
  return zm::reallocate(p, n, usable, OnFailure::return_null);
}

void *zcalloc_num(size_t num, size_t size) {
  size_t n;
  if (__builtin_mul_overflow(num, size, &n)) {
    if (!ZM_MUTANT(calloc_num_overflow)) return zm::failed(SIZE_MAX, nullptr, OnFailure::call_handler);
    n = num * size;
  }
  return zm::allocate(n, true, nullptr, OnFailure::call_handler);
}

void zfree(void *p) { zm::release(p, nullptr); }
void zfree_usable(void *p, size_t *usable) { zm::release(p, usable); }

char *zstrdup(const char *s) {
  size_t length = std::strlen(s) + 1;
  char *copy = static_cast<char *>(zmalloc(ZM_MUTANT(strdup_short) ? length - 1 : length));
  if (copy == nullptr) return nullptr;
  std::memcpy(copy, s, length);
  return copy;
}

size_t zmalloc_size(void *p) { return p == nullptr ? 0 : zm::layout::accounted(p); }
size_t zmalloc_usable_size(void *p) { return p == nullptr ? 0 : zm::layout::usable(p); }

size_t zmalloc_used_memory(void) { return zm::used_memory_sum(); }

void zmalloc_set_oom_handler(void (*handler)(size_t)) {
  zm::oom_handler.store(handler != nullptr || ZM_MUTANT(null_handler_kept) ? handler : zm::default_oom_handler,
                        std::memory_order_release);
}

void zmalloc_enable_thread_safeness(void) {}

}  // extern "C"
