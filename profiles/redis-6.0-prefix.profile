# Redis 6.0, prefix shape (no __GLIBC__: musl, Alpine). Read from src/zmalloc.c and
# src/zmalloc.h of Redis 6.0.20, the last 6.0 release.
name = redis-6.0-prefix
accounting = prefix
header = 8
# n + PREFIX_SIZE, unrounded, in the counter and (since 6.0.9) in zmalloc_size(); the
# releases before 6.0.9 round zmalloc_size() only, a bug against this contract.
granule = 1
min_block = 0
zero_size = 0
request = unrounded
# New in 6.0: zrealloc(p, 0) frees p and returns NULL.
realloc_zero = frees
# ASSERT_NO_SIZE_OVERFLOW on n + PREFIX_SIZE; other huge sizes go to malloc().
huge = backend
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_usable() is size_t zmalloc_usable(void *) here: left out by the build.
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
