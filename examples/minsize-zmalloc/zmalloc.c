/* zmalloc.c -- a prefix-accounting allocator with a minimum block size: an example for
 * zmcheck. The contract is in zmalloc.h; minsize.profile is the same contract as zmcheck
 * reads it. */
#include "zmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER sizeof(size_t)
#define TOO_BIG (SIZE_MAX / 2)
/* The bytes a request of n bytes owns: a 0-byte request gets a real block. */
#define OWNED(n) ((n) > 0 ? (n) : sizeof(long))

static size_t used_memory;

static void default_oom_handler(size_t n) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
    fflush(stderr);
    abort();
}

static void (*oom_handler)(size_t) = default_oom_handler;

static size_t *header_of(void *p) { return (size_t *)p - 1; }

/* The user pointer of a fresh block that owns `owned` bytes, counted. */
static void *adopt(void *raw, size_t owned, size_t *usable) {
    if (raw == NULL) {
        if (usable != NULL) *usable = 0;
        return NULL;
    }
    size_t *header = raw;
    *header = owned;
    __atomic_add_fetch(&used_memory, owned + HEADER, __ATOMIC_RELAXED);
    if (usable != NULL) *usable = owned;
    return header + 1;
}

void *ztrymalloc_usable(size_t n, size_t *usable) {
    if (n >= TOO_BIG) return adopt(NULL, 0, usable);
    return adopt(malloc(OWNED(n) + HEADER), OWNED(n), usable);
}

static void *or_handler(void *p, size_t n) {
    if (p == NULL) oom_handler(n);
    return p;
}

void *ztrymalloc(size_t n) { return ztrymalloc_usable(n, NULL); }
void *zmalloc(size_t n) { return or_handler(ztrymalloc_usable(n, NULL), n); }
void *zmalloc_usable(size_t n, size_t *usable) { return or_handler(ztrymalloc_usable(n, usable), n); }

void *zcalloc(size_t n) {
    void *p = n >= TOO_BIG ? NULL : adopt(calloc(1, OWNED(n) + HEADER), OWNED(n), NULL);
    return or_handler(p, n);
}

void *ztryrealloc(void *p, size_t n) {
    if (p == NULL) return ztrymalloc(n);
    if (n == 0) {
        zfree(p);
        return NULL;
    }
    if (n >= TOO_BIG) return NULL;
    size_t old = *header_of(p);
    void *raw = realloc(header_of(p), n + HEADER);
    if (raw == NULL) return NULL;
    __atomic_sub_fetch(&used_memory, old + HEADER, __ATOMIC_RELAXED);
    return adopt(raw, n, NULL);
}

void *zrealloc(void *p, size_t n) {
    void *q = ztryrealloc(p, n);
    return n == 0 ? q : or_handler(q, n);
}

void zfree_usable(void *p, size_t *usable) {
    if (p == NULL) return;
    size_t owned = *header_of(p);
    __atomic_sub_fetch(&used_memory, owned + HEADER, __ATOMIC_RELAXED);
    if (usable != NULL) *usable = owned;
    free(header_of(p));
}

void zfree(void *p) { zfree_usable(p, NULL); }

char *zstrdup(const char *s) {
    size_t length = strlen(s) + 1;
    char *copy = zmalloc(length);
    memcpy(copy, s, length);
    return copy;
}

size_t zmalloc_size(void *p) { return *header_of(p) + HEADER; }
size_t zmalloc_usable_size(void *p) { return *header_of(p); }
size_t zmalloc_used_memory(void) { return __atomic_load_n(&used_memory, __ATOMIC_RELAXED); }

void zmalloc_set_oom_handler(void (*handler)(size_t)) {
    oom_handler = handler != NULL ? handler : default_oom_handler;
}
