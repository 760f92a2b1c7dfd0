/* The test backend: fault injection and exact sizes over the real backend.
 * See test_backend.h for the contract. */
#include "testing/test_backend.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include ZM_BACKEND_HEADER

#if defined(__SANITIZE_ADDRESS__)
#define ZM_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZM_UNDER_ASAN 1
#endif
#endif

#if ZM_UNDER_ASAN
#include <sanitizer/asan_interface.h>

#include <mutex>
#endif

namespace {

/* ---- fault injection ----------------------------------------------------------- */

std::atomic<unsigned long long> fail_next{0};
std::atomic<unsigned long long> fail_countdown{0};
std::atomic<zm_fault_predicate> fault_predicate{nullptr};
std::atomic<void *> fault_context{nullptr};
std::atomic<size_t> request_limit{size_t{1} << 30};

std::atomic<unsigned long long> calls{0};
std::atomic<unsigned long long> failures{0};
std::atomic<unsigned long long> frees{0};
std::atomic<long long> live_blocks{0};

__thread zm_test_backend_stats this_thread;

/* Takes one unit from a counter that is above zero; false if it was zero. */
bool take_one(std::atomic<unsigned long long> &counter) {
  unsigned long long v = counter.load(std::memory_order_relaxed);
  while (v > 0) {
    if (counter.compare_exchange_weak(v, v - 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

/* Counts an allocating call and decides whether it fails. */
bool call_fails(zm_backend_call_kind kind, size_t size) {
  unsigned long long index = calls.fetch_add(1, std::memory_order_relaxed) + 1;
  this_thread.calls++;
  bool fail = size > request_limit.load(std::memory_order_relaxed);
  if (take_one(fail_next)) fail = true;
  unsigned long long before = fail_countdown.load(std::memory_order_relaxed);
  if (before > 0 && take_one(fail_countdown) && before == 1) fail = true;
  zm_fault_predicate pred = fault_predicate.load(std::memory_order_acquire);
  if (pred != nullptr) {
    zm_backend_call call{kind, size, index};
    if (pred(&call, fault_context.load(std::memory_order_relaxed))) fail = true;
  }
  if (fail) {
    failures.fetch_add(1, std::memory_order_relaxed);
    this_thread.failures++;
  }
  return fail;
}

/* ---- the blocks: exact sizes, or the real backend's ------------------------------- */

#if ZM_EXACT_BACKEND

/* [size][magic] [n user bytes] [canary]. A block from the real backend is exactly header
 * + n bytes under ASan, so ASan itself sees a write past n (elsewhere a canary follows
 * it); a block of more than kReserveAbove bytes is a reserved mapping, committed only
 * where it is touched, with a canary whatever the build (ASan does not watch mappings).
 * 64 KiB: what ASan's heap holds without its own mmap per block (so without the munmap
 * of each), and the point past which a realloc moves pages (mremap) rather than bytes. */
constexpr size_t kHeader = 16;
constexpr size_t kMagic = 0x5a4d45584143545aULL;       /* "ZMEXACTZ" */
constexpr size_t kMappedMagic = 0x5a4d4d4150504544ULL; /* "ZMMAPPED" */
#if ZM_UNDER_ASAN
constexpr size_t kCanary = 0;
#else
constexpr size_t kCanary = 16;
#endif
constexpr size_t kMappedCanary = 16;
constexpr size_t kReserveAbove = size_t{1} << 16;
constexpr size_t kReserveLimit = size_t{1} << 36;
constexpr unsigned char kCanaryByte = 0xa5;
constexpr bool kIsExact = true;

std::atomic<int> size_classes{0};

[[noreturn]] void corrupted(const void *p, const char *what, size_t n) {
  std::fprintf(stderr,
               "zm_test_backend: %s (block %p of %zu usable bytes); a write past the end of "
               "the block or a free of a pointer it never gave out\n",
               what, p, n);
  std::abort();
}

size_t *header_of(void *p) { return reinterpret_cast<size_t *>(static_cast<char *>(p) - kHeader); }

bool mapped(void *p) { return header_of(p)[1] == kMappedMagic; }

size_t page_size() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

size_t mapping_length(size_t n) {
  size_t page = page_size();
  return (kHeader + n + kMappedCanary + page - 1) / page * page;
}

size_t checked_size(void *p) {
  size_t *h = header_of(p);
  if (h[1] != kMagic && h[1] != kMappedMagic) corrupted(p, "bad block header", 0);
  size_t n = h[0];
  size_t canary = h[1] == kMappedMagic ? kMappedCanary : kCanary;
  const unsigned char *tail = static_cast<unsigned char *>(p) + n;
  for (size_t i = 0; i < canary; i++)
    if (tail[i] != kCanaryByte) corrupted(p, "canary after the block overwritten", n);
  return n;
}

void *finish_block(void *raw, size_t n, size_t magic) {
  if (raw == nullptr) return nullptr;
  size_t *h = static_cast<size_t *>(raw);
  h[0] = n;
  h[1] = magic;
  void *p = static_cast<char *>(raw) + kHeader;
  std::memset(static_cast<char *>(p) + n, kCanaryByte, magic == kMappedMagic ? kMappedCanary : kCanary);
  return p;
}

bool exact_size_overflows(size_t n) { return n > SIZE_MAX - kHeader - kMappedCanary - 4096; }

void *map_fresh(size_t n) {
  void *raw = mmap(nullptr, mapping_length(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
  return raw == MAP_FAILED ? nullptr : raw;
}

#if ZM_UNDER_ASAN
/* Under ASan, freed mappings wait in a queue for the next malloc or realloc of the same
 * length, so that a big block costs no mmap, no first touch and no munmap (a TLB
 * shootdown each, dear on a virtual machine): the fuzz targets' speed. While it waits, a
 * mapping's first and last pages (the headers, the edges the harness touches, the
 * canary) are poisoned, so that a use after the free is still reported, as the munmap
 * made it fault. First in, first out: a freed mapping is given again only after the
 * queue has moved on. For a calloc, the pages of the mapping that were ever written (the
 * resident ones, mincore says; the others read as zeros) are zeroed. A mapping above
 * kCachedLengthLimit is unmapped at once. */
constexpr int kCachedMappings = 32;
constexpr size_t kCachedLengthLimit = size_t{1} << 26;

struct CachedMapping {
  void *raw;
  size_t length;
};

std::mutex cache_mutex;
CachedMapping cache[kCachedMappings];
int cache_first = 0, cache_count = 0;

/* The oldest mapping of the queue, taken out of it (the caller holds cache_mutex). */
CachedMapping pop_oldest() {
  CachedMapping oldest = cache[cache_first];
  cache_first = (cache_first + 1) % kCachedMappings;
  cache_count--;
  return oldest;
}

void poison_ends(void *raw, size_t length, bool poisoned) {
  size_t page = page_size();
  size_t end_span = length < 4 * page ? length : 2 * page;
  char *base = static_cast<char *>(raw);
  if (poisoned) {
    ASAN_POISON_MEMORY_REGION(base, end_span);
    ASAN_POISON_MEMORY_REGION(base + length - end_span, end_span);
  } else {
    ASAN_UNPOISON_MEMORY_REGION(base, end_span);
    ASAN_UNPOISON_MEMORY_REGION(base + length - end_span, end_span);
  }
}

/* Zeroes the resident pages of a mapping; false if mincore cannot tell which they are. */
bool zero_resident(void *raw, size_t length) {
  size_t page = page_size();
  size_t pages = (length + page - 1) / page;
  // A chunk of pages at a time, on the stack: no heap block that outlives the call.
  constexpr size_t kChunk = 512;
  unsigned char resident[kChunk];
  char *base = static_cast<char *>(raw);
  for (size_t first = 0; first < pages; first += kChunk) {
    size_t count = std::min(kChunk, pages - first);
    size_t bytes = std::min(count * page, length - first * page);
    if (mincore(base + first * page, bytes, resident) != 0) return false;
    for (size_t i = 0; i < count; i++)
      if (resident[i] & 1) std::memset(base + (first + i) * page, 0, page);
  }
  return true;
}

void *take_cached(size_t length, bool zeroed) {
  void *raw = nullptr;
  {
    std::lock_guard<std::mutex> lock(cache_mutex);
    for (int i = 0; i < cache_count && raw == nullptr; i++) {
      CachedMapping &c = cache[(cache_first + i) % kCachedMappings];
      if (c.length != length) continue;
      raw = c.raw;
      c = pop_oldest();  // the oldest fills the hole
    }
  }
  if (raw == nullptr) return nullptr;
  poison_ends(raw, length, false);
  if (zeroed && !zero_resident(raw, length)) {
    munmap(raw, length);
    return nullptr;
  }
  return raw;
}

void unmap(void *raw, size_t length) {
  if (length <= kCachedLengthLimit) {
    std::lock_guard<std::mutex> lock(cache_mutex);
    if (cache_count == kCachedMappings) {  // the oldest leaves the queue, its shadow clean for the next mapping there
      CachedMapping oldest = pop_oldest();
      poison_ends(oldest.raw, oldest.length, false);
      munmap(oldest.raw, oldest.length);
    }
    poison_ends(raw, length, true);
    cache[(cache_first + cache_count) % kCachedMappings] = {raw, length};
    cache_count++;
    return;
  }
  munmap(raw, length);
}
#else
void *take_cached(size_t, bool) { return nullptr; }
void unmap(void *raw, size_t length) { munmap(raw, length); }
#endif

void *map_block(size_t n, bool zeroed) {
  if (n > kReserveLimit) return nullptr;
  void *raw = take_cached(mapping_length(n), zeroed);
  if (raw == nullptr) raw = map_fresh(n);
  return raw == nullptr ? nullptr : finish_block(raw, n, kMappedMagic);
}

/* The bytes a request of n owns: its size class, or n. */
size_t owned(size_t n) { return size_classes.load(std::memory_order_relaxed) ? zm_test_backend_size_class(n) : n; }

void *block_malloc(size_t n) {
  if (exact_size_overflows(n)) return nullptr;
  n = owned(n);
  if (n > kReserveAbove) return map_block(n, false);
  return finish_block(zm_raw_malloc(kHeader + n + kCanary), n, kMagic);
}

void *block_calloc(size_t n) {
  if (exact_size_overflows(n)) return nullptr;
  n = owned(n);
  if (n > kReserveAbove) return map_block(n, true);  /* a fresh mapping reads as zeros */
  return finish_block(zm_raw_calloc(kHeader + n + kCanary), n, kMagic);
}

void block_free(void *p) {
  size_t n = checked_size(p);
  bool was_mapped = mapped(p);
  header_of(p)[1] = 0;
  if (was_mapped)
    unmap(header_of(p), mapping_length(n));
  else
    zm_raw_free(header_of(p));
}

void *block_realloc(void *p, size_t n) {
  if (exact_size_overflows(n)) return nullptr;
  size_t old = checked_size(p);
  size_t now = owned(n);
  if (!mapped(p) && now <= kReserveAbove)
    return finish_block(zm_raw_realloc(header_of(p), kHeader + now + kCanary), now, kMagic);
  if (mapped(p) && now > kReserveAbove) { /* the pages move, nothing is copied */
    if (now > kReserveLimit) return nullptr;
    void *raw = mremap(header_of(p), mapping_length(old), mapping_length(now), MREMAP_MAYMOVE);
    return raw == MAP_FAILED ? nullptr : finish_block(raw, now, kMappedMagic);
  }
  void *q = block_malloc(n); /* between the real backend and a mapping: at most 64 KiB copied */
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, old < now ? old : now);
  block_free(p);
  return q;
}

size_t block_usable_size(void *p) { return checked_size(p); }

int set_size_classes(int on) { return size_classes.exchange(on ? 1 : 0); }
size_t reserve_limit() { return kReserveLimit; }

#else

constexpr bool kIsExact = false;

void *block_malloc(size_t n) { return zm_raw_malloc(n); }
void *block_calloc(size_t n) { return zm_raw_calloc(n); }
void *block_realloc(void *p, size_t n) { return zm_raw_realloc(p, n); }
void block_free(void *p) { zm_raw_free(p); }
size_t block_usable_size(void *p) { return zm_raw_usable_size(p); }
int set_size_classes(int) { return 0; }
size_t reserve_limit() { return 0; }

#endif

void *counted(void *p) {
  if (p != nullptr) {
    live_blocks.fetch_add(1, std::memory_order_relaxed);
    this_thread.live_blocks++;
  }
  return p;
}

}  // namespace

extern "C" {

void *zm_test_malloc(size_t n) {
  if (call_fails(ZM_CALL_MALLOC, n)) return nullptr;
  return counted(block_malloc(n));
}

void *zm_test_calloc(size_t num, size_t size) {
  size_t n;
  if (__builtin_mul_overflow(num, size, &n)) return nullptr;
  if (call_fails(ZM_CALL_CALLOC, n)) return nullptr;
  return counted(block_calloc(n));
}

void *zm_test_realloc(void *p, size_t n) {
  if (p == nullptr) return zm_test_malloc(n);
  if (n == 0) {
    zm_test_free(p);
    return nullptr;
  }
  if (call_fails(ZM_CALL_REALLOC, n)) return nullptr;
  return block_realloc(p, n);
}

void zm_test_free(void *p) {
  if (p == nullptr) return;
  frees.fetch_add(1, std::memory_order_relaxed);
  live_blocks.fetch_sub(1, std::memory_order_relaxed);
  this_thread.frees++;
  this_thread.live_blocks--;
  block_free(p);
}

size_t zm_test_usable_size(void *p) { return p == nullptr ? 0 : block_usable_size(p); }

void zm_fault_fail_next(unsigned long long k) { fail_next.store(k, std::memory_order_relaxed); }

void zm_fault_fail_nth(unsigned long long k) { fail_countdown.store(k, std::memory_order_relaxed); }

void zm_fault_set_predicate(zm_fault_predicate pred, void *ctx) {
  fault_context.store(ctx, std::memory_order_relaxed);
  fault_predicate.store(pred, std::memory_order_release);
}

void zm_fault_reset(void) {
  fail_next.store(0, std::memory_order_relaxed);
  fail_countdown.store(0, std::memory_order_relaxed);
  zm_fault_set_predicate(nullptr, nullptr);
}

size_t zm_test_backend_set_limit(size_t bytes) {
  return request_limit.exchange(bytes, std::memory_order_relaxed);
}

zm_test_backend_stats zm_test_backend_get_stats(void) {
  return zm_test_backend_stats{calls.load(std::memory_order_relaxed),
                               failures.load(std::memory_order_relaxed),
                               frees.load(std::memory_order_relaxed),
                               live_blocks.load(std::memory_order_relaxed)};
}

zm_test_backend_stats zm_test_backend_get_thread_stats(void) { return this_thread; }

int zm_test_backend_is_exact(void) { return kIsExact ? 1 : 0; }

const char *zm_test_backend_name(void) { return kIsExact ? ZM_RAW_NAME "+exact" : ZM_RAW_NAME; }

int zm_test_backend_set_size_classes(int on) { return set_size_classes(on); }

size_t zm_test_backend_size_class(size_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~size_t{15};
  if (n > (size_t{1} << 40)) return n; /* far beyond any limit: it fails anyway */
  unsigned k = 63u - static_cast<unsigned>(__builtin_clzll(n - 1)); /* 2^k < n <= 2^(k+1) */
  size_t step = size_t{1} << (k - 2);                                 /* four classes per doubling */
  return (n + step - 1) & ~(step - 1);
}

size_t zm_test_backend_reserve_limit(void) { return reserve_limit(); }
}
