# Redis 6.2, prefix shape: built with NO_MALLOC_USABLE_SIZE (from 6.2.1), or without
# __GLIBC__ (musl, Alpine). Read from src/zmalloc.c and src/zmalloc.h of Redis 6.2.16, the
# last 6.2 release.
name = redis-6.2-prefix
accounting = prefix
header = 8
# The counter and zmalloc_size() count n + PREFIX_SIZE, unrounded;
# zmalloc_usable_size() is n.
granule = 1
min_block = 0
# A 0-byte request asks malloc() for MALLOC_MIN_SIZE(0) = sizeof(long) + PREFIX_SIZE
# bytes, but the header records 0: the block counts 0 + PREFIX_SIZE and owns 0 bytes.
zero_size = 0
request = unrounded
realloc_zero = frees
# ASSERT_NO_SIZE_OVERFLOW asserts that n + PREFIX_SIZE does not wrap (CVE-2021-21309);
# any other huge size goes to malloc(), which refuses it.
huge = backend
huge_realloc = keeps
# New in 6.2: the ztry* and *_usable families. zmalloc calls ztrymalloc_usable and then
# the OOM handler, and returns NULL if the handler returns; zrealloc calls it only for a
# size other than 0, so a failed zrealloc(NULL, 0) returns NULL silently. zstrdup still
# copies into the result, NULL or not. zfree_usable(NULL, &u) returns at once, u untouched.
oom = returns
strdup_oom = fatal
realloc_null_zero_oom = silent
free_usable_null = untouched
# ztrymalloc_usable and ztrycalloc_usable return at once when malloc() fails: *usable is
# left as it was (zmalloc_usable and a realloc from NULL go through them too). A failed
# realloc of a block writes 0.
failed_alloc_usable = untouched
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
