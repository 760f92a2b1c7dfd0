# Redis 7.4, prefix shape: built with NO_MALLOC_USABLE_SIZE, or without __GLIBC__ (musl,
# Alpine). Read from src/zmalloc.c and src/zmalloc.h of Redis 7.4.1.
name = redis-7.4-prefix
accounting = prefix
header = 8
# The counter and zmalloc_size() count n + PREFIX_SIZE, unrounded; zmalloc_usable_size()
# is n.
granule = 1
min_block = 0
# New in 7.4: the header records MALLOC_MIN_SIZE(n), so a 0-byte request is stored,
# counted and usable as sizeof(long) bytes; every other n as n.
zero_size = 8
request = unrounded
realloc_zero = frees
# Sizes >= SIZE_MAX/2 fail before malloc() is called, and zrealloc of a live block to
# such a size frees the block first. zcalloc_num(num, size) calls the handler with
# SIZE_MAX when size is 0 or num * size overflows.
huge = fails
huge_realloc = frees
calloc_num_overflow_size = SIZE_MAX
calloc_num_zero_size = fails
# zmalloc and the other non-try calls return NULL after the OOM handler if it returns;
# zrealloc calls it only for a size other than 0. zstrdup copies into the result, NULL or
# not.
oom = returns
strdup_oom = fatal
realloc_null_zero_oom = silent
free_usable_null = untouched
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
