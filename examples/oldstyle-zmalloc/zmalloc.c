/* zmalloc.c -- an older-style accounting allocator: an example for zmcheck.
 *
 * Each block is [size_t n][n bytes]. The backend is asked for n + sizeof(size_t)
 * bytes; the total counts that, rounded up to a multiple of sizeof(long). See zmalloc.h
 * for the contract and oldstyle.profile for the same contract as zmcheck reads it. */
#include "zmalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER sizeof(size_t)

static size_t used_memory = 0;
static int thread_safe = 0;
static pthread_mutex_t used_memory_mutex = PTHREAD_MUTEX_INITIALIZER;

static void default_oom_handler(size_t n) {
    fprintf(stderr, "zmalloc: out of memory allocating %zu bytes\n", n);
    fflush(stderr);
    abort();
}

static void (*oom_handler)(size_t) = default_oom_handler;

/* What a block of n bytes, header included, counts for. */
static size_t counted(size_t n) {
    size_t total = n + HEADER;
    size_t over = total % sizeof(long);
    return over == 0 ? total : total + (sizeof(long) - over);
}

static void count(size_t added, size_t taken) {
    if (thread_safe) pthread_mutex_lock(&used_memory_mutex);
    used_memory = used_memory + added - taken;
    if (thread_safe) pthread_mutex_unlock(&used_memory_mutex);
}

static size_t *header_of(void *p) { return (size_t *)p - 1; }

/* The user pointer of a fresh backend block that holds n bytes. */
static void *adopt(void *raw, size_t n) {
    size_t *header = raw;
    *header = n;
    return header + 1;
}

static void *out_of_memory(size_t n) {
    oom_handler(n);
    return NULL;
}

void *zmalloc(size_t n) {
    void *raw = malloc(n + HEADER);
    if (raw == NULL) return out_of_memory(n);
    count(counted(n), 0);
    return adopt(raw, n);
}

void *zcalloc(size_t n) {
    void *raw = calloc(1, n + HEADER);
    if (raw == NULL) return out_of_memory(n);
    count(counted(n), 0);
    return adopt(raw, n);
}

void *zrealloc(void *p, size_t n) {
    if (p == NULL) return zmalloc(n);
    size_t old = *header_of(p);
    void *raw = realloc(header_of(p), n + HEADER);
    if (raw == NULL) return out_of_memory(n);
    count(counted(n), counted(old));
    return adopt(raw, n);
}

void zfree(void *p) {
    if (p == NULL) return;
    count(0, counted(*header_of(p)));
    free(header_of(p));
}

char *zstrdup(const char *s) {
    size_t length = strlen(s) + 1;
    char *copy = zmalloc(length);
    if (copy != NULL) memcpy(copy, s, length);
    return copy;
}

size_t zmalloc_size(void *p) { return p == NULL ? 0 : counted(*header_of(p)); }

size_t zmalloc_used_memory(void) {
    if (thread_safe) pthread_mutex_lock(&used_memory_mutex);
    size_t total = used_memory;
    if (thread_safe) pthread_mutex_unlock(&used_memory_mutex);
    return total;
}

void zmalloc_set_oom_handler(void (*handler)(size_t)) {
    oom_handler = handler != NULL ? handler : default_oom_handler;
}

void zmalloc_enable_thread_safeness(void) { thread_safe = 1; }
