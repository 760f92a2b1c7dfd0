/* zmalloc.c -- an allocator in the shape of the oldest Redis-style zmalloc: an example
 * for zmcheck. The contract is in zmalloc.h; legacy.profile is the same contract as
 * zmcheck reads it. */
#include "zmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER sizeof(size_t)

static size_t used_memory;
static int thread_safe;

/* What a block of n bytes counts for: n + HEADER, rounded up to sizeof(long). */
static size_t counted(size_t n) {
    size_t total = n + HEADER;
    return (total + sizeof(long) - 1) / sizeof(long) * sizeof(long);
}

static void count_alloc(size_t n) {
    if (thread_safe)
        __atomic_add_fetch(&used_memory, counted(n), __ATOMIC_RELAXED);
    else
        used_memory += counted(n);
}

static void count_free(size_t n) {
    if (thread_safe)
        __atomic_sub_fetch(&used_memory, counted(n), __ATOMIC_RELAXED);
    else
        used_memory -= counted(n);
}

static void out_of_memory(size_t n) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
    fflush(stderr);
    abort();
}

static size_t *header_of(void *p) { return (size_t *)p - 1; }

/* The user pointer of a fresh block of n bytes, counted. */
static void *adopt(void *raw, size_t n) {
    size_t *header = raw;
    *header = n;
    count_alloc(n);
    return header + 1;
}

void *ztrymalloc(size_t n) {
    void *raw = malloc(n + HEADER);
    if (raw == NULL) return NULL;
    return adopt(raw, n);
}

void *zmalloc(size_t n) {
    void *raw = malloc(n + HEADER);
    if (raw == NULL) out_of_memory(n);
    return adopt(raw, n);
}

void *zcalloc(size_t n) {
    void *raw = calloc(1, n + HEADER);
    if (raw == NULL) out_of_memory(n);
    return adopt(raw, n);
}

void *zrealloc(void *p, size_t n) {
    if (p == NULL) return zmalloc(n);
    size_t old = *header_of(p);
    void *raw = realloc(header_of(p), n + HEADER);
    if (raw == NULL) out_of_memory(n);
    count_free(old);
    return adopt(raw, n);
}

void zfree(void *p) {
    if (p == NULL) return;
    count_free(*header_of(p));
    free(header_of(p));
}

char *zstrdup(const char *s) {
    size_t length = strlen(s) + 1;
    char *copy = zmalloc(length);
    memcpy(copy, s, length);
    return copy;
}

size_t zmalloc_usable(void *p) { return *header_of(p); }

size_t zmalloc_used_memory(void) {
    if (thread_safe) return __atomic_load_n(&used_memory, __ATOMIC_RELAXED);
    return used_memory;
}

void zmalloc_enable_thread_safeness(void) { thread_safe = 1; }
