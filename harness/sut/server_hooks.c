/* server_hooks.c -- functions of the rest of a server that its zmalloc.c may call, for
 * `ci/zmcheck external --tree`, which compiles zmalloc.c alone. Each is weak: a definition
 * of the implementation's own wins. An assertion that fails ends the case with a line
 * that says so (and, under a sanitizer or libFuzzer, with a stack). */
#include <stdio.h>
#include <stdlib.h>

/* Valkey 8's serverassert.h and Redis's redisassert.h make assert() call this. */
__attribute__((weak, noreturn)) void _serverAssert(const char *estr, const char *file, int line) {
    fprintf(stderr, "zmcheck: the implementation's assertion failed: %s (%s:%d)\n", estr, file, line);
    fflush(stderr);
    abort();
}
