# Redis 7.2, as a plain glibc build (MALLOC=libc) has it: no header, malloc_usable_size()
# counted. Read from src/zmalloc.c and src/zmalloc.h of Redis 7.2.6, the last 7.2 release.
name = redis-7.2
accounting = usable
realloc_zero = frees
# New in 7.0: sizes >= SIZE_MAX/2 fail before malloc() is called, and zrealloc of a live
# block to such a size frees the block first. zcalloc_num(num, size) calls the handler
# with SIZE_MAX when size is 0 or num * size overflows.
huge = fails
huge_realloc = frees
calloc_num_overflow_size = SIZE_MAX
calloc_num_zero_size = fails
# zmalloc and the other non-try calls return NULL after the OOM handler if it returns;
# zrealloc calls it only for a size other than 0. zstrdup copies into the result, NULL or
# not. zfree_usable(NULL, &u) returns at once, u untouched.
oom = returns
strdup_oom = fatal
realloc_null_zero_oom = silent
free_usable_null = untouched
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
