/* zmalloc.c -- a usable-size accounting allocator: an example for zmcheck.
 * The contract is in zmalloc.h; profiles/usable-size.profile is the same contract as
 * zmcheck reads it. */
#include "zmalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes from here on fail before the C library is asked: no arithmetic overflows. */
#define TOO_BIG (SIZE_MAX / 2)

static size_t used_memory;

static void add(size_t n) { __atomic_add_fetch(&used_memory, n, __ATOMIC_RELAXED); }
static void sub(size_t n) { __atomic_sub_fetch(&used_memory, n, __ATOMIC_RELAXED); }

static void default_oom_handler(size_t n) {
    fprintf(stderr, "zmalloc: Out of memory trying to allocate %zu bytes\n", n);
    fflush(stderr);
    abort();
}

static void (*oom_handler)(size_t) = default_oom_handler;

static void *give(void *p, size_t *usable) {
    size_t size = p != NULL ? zmalloc_size(p) : 0;
    if (p != NULL) add(size);
    if (usable != NULL) *usable = size;
    return p;
}

/* A block of n bytes (zeroed or not), or NULL; never calls the handler. */
static void *get(size_t n, int zeroed, size_t *usable) {
    if (n >= TOO_BIG) return give(NULL, usable);
    if (n == 0) n = 1; /* a unique block for 0 bytes */
    return give(zeroed ? calloc(1, n) : malloc(n), usable);
}

static void *resize(void *p, size_t n, size_t *usable) {
    if (p == NULL) return get(n, 0, usable);
    if (n == 0 || n >= TOO_BIG) { /* both end p */
        zfree(p);
        return give(NULL, usable);
    }
    size_t old = zmalloc_size(p);
    void *q = realloc(p, n);
    if (q == NULL) return give(NULL, usable);
    sub(old);
    return give(q, usable);
}

static void *or_handler(void *p, size_t n) {
    if (p == NULL) oom_handler(n);
    return p;
}

void *ztrymalloc_usable(size_t n, size_t *usable) { return get(n, 0, usable); }
void *ztrycalloc_usable(size_t n, size_t *usable) { return get(n, 1, usable); }
void *ztryrealloc_usable(void *p, size_t n, size_t *usable) { return resize(p, n, usable); }
void *ztrymalloc(size_t n) { return get(n, 0, NULL); }
void *ztrycalloc(size_t n) { return get(n, 1, NULL); }
void *ztryrealloc(void *p, size_t n) { return resize(p, n, NULL); }

void *zmalloc_usable(size_t n, size_t *usable) { return or_handler(get(n, 0, usable), n); }
void *zcalloc_usable(size_t n, size_t *usable) { return or_handler(get(n, 1, usable), n); }
void *zmalloc(size_t n) { return or_handler(get(n, 0, NULL), n); }
void *zcalloc(size_t n) { return or_handler(get(n, 1, NULL), n); }

void *zrealloc_usable(void *p, size_t n, size_t *usable) {
    void *q = resize(p, n, usable);
    return n == 0 && p != NULL ? q : or_handler(q, n);
}

void *zrealloc(void *p, size_t n) { return zrealloc_usable(p, n, NULL); }

void *zcalloc_num(size_t num, size_t size) {
    if (size == 0 || num > SIZE_MAX / size) return or_handler(NULL, SIZE_MAX);
    return zcalloc(num * size);
}

void zfree_usable(void *p, size_t *usable) {
    size_t size = p != NULL ? zmalloc_size(p) : 0;
    if (usable != NULL) *usable = size;
    if (p == NULL) return;
    sub(size);
    free(p);
}

void zfree(void *p) { zfree_usable(p, NULL); }

char *zstrdup(const char *s) {
    size_t length = strlen(s) + 1;
    char *copy = zmalloc(length);
    if (copy != NULL) memcpy(copy, s, length);
    return copy;
}

size_t zmalloc_used_memory(void) { return __atomic_load_n(&used_memory, __ATOMIC_RELAXED); }

void zmalloc_set_oom_handler(void (*handler)(size_t)) {
    oom_handler = handler != NULL ? handler : default_oom_handler;
}
