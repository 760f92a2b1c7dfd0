# Redis 5.0, prefix shape: a build where __GLIBC__ is not defined (musl, Alpine), so that
# zmalloc.h leaves HAVE_MALLOC_SIZE unset. Read from src/zmalloc.c and src/zmalloc.h of
# Redis 5.0.14, the last 5.0 release.
name = redis-5.0-prefix
accounting = prefix
header = 8
# The counter adds and takes off n + PREFIX_SIZE, unrounded, and since 5.0.10 ("Fix wrong
# zmalloc_size() assumption", late 2020) zmalloc_size() is n + PREFIX_SIZE too. Earlier
# 5.0 releases round in zmalloc_size() only: a bug against this contract.
granule = 1
min_block = 0
zero_size = 0
request = unrounded
# zrealloc(p, 0): realloc(header, 0 + PREFIX_SIZE), a live block of 0 bytes.
realloc_zero = resizes
# ASSERT_NO_SIZE_OVERFLOW asserts that n + PREFIX_SIZE does not wrap; any other huge size
# goes to malloc(), which refuses it.
huge = backend
# The OOM handler must not return: the header is written through its NULL result.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_usable() exists here as size_t zmalloc_usable(void *): not zmalloc.h's
# allocator of that name; the build finds the clash and leaves it out.
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
