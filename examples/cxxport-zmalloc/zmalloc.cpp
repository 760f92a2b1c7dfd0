// zmalloc.cpp -- the C++ port (zmalloc.h): a 16-byte prefix [size_t n][pad] before the
// n bytes, a counter that is atomic from the start, n + 16 rounded up to sizeof(long)
// counted for each block. Out of memory aborts; ztrymalloc returns NULL instead.
#include "zmalloc.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace zm {
namespace {

constexpr size_t kHeader = 16;
std::atomic<size_t> used_memory{0};

size_t counted(size_t n) {
    size_t total = n + kHeader;
    return (total + sizeof(long) - 1) / sizeof(long) * sizeof(long);
}

[[noreturn]] void out_of_memory(size_t n) {
    std::fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
    std::fflush(stderr);
    std::abort();
}

size_t &size_of(void *p) { return *reinterpret_cast<size_t *>(static_cast<char *>(p) - kHeader); }

void *adopt(void *raw, size_t n) {
    *static_cast<size_t *>(raw) = n;
    used_memory.fetch_add(counted(n), std::memory_order_relaxed);
    return static_cast<char *>(raw) + kHeader;
}

void *allocate(size_t size) {
    void *raw = std::malloc(size + kHeader);
    if (raw == nullptr) out_of_memory(size);
    return adopt(raw, size);
}

}  // namespace

extern "C" {

void *ztrymalloc(size_t size) {
    void *raw = std::malloc(size + kHeader);
    return raw == nullptr ? nullptr : adopt(raw, size);
}

void *zmalloc(size_t size) { return allocate(size); }

void *zcalloc(size_t count, size_t size) {
    void *raw = std::calloc(1, count * size + kHeader);
    if (raw == nullptr) out_of_memory(count * size);
    return adopt(raw, count * size);
}

void *zrealloc(void *ptr, size_t size) {
    if (ptr == nullptr) return allocate(size);
    size_t old = size_of(ptr);
    void *raw = std::realloc(static_cast<char *>(ptr) - kHeader, size + kHeader);
    if (raw == nullptr) out_of_memory(size);
    used_memory.fetch_sub(counted(old), std::memory_order_relaxed);
    return adopt(raw, size);
}

void zfree(void *ptr) {
    if (ptr == nullptr) return;
    used_memory.fetch_sub(counted(size_of(ptr)), std::memory_order_relaxed);
    std::free(static_cast<char *>(ptr) - kHeader);
}

char *zstrdup(const char *s) {
    size_t n = std::strlen(s) + 1;
    char *copy = static_cast<char *>(allocate(n));
    std::memcpy(copy, s, n);
    return copy;
}

size_t zmalloc_size(void *ptr) { return counted(size_of(ptr)); }

size_t zmalloc_used_memory(void) { return used_memory.load(std::memory_order_relaxed); }

}  // extern "C"
}  // namespace zm
