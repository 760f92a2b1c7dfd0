# Redis 6.0, as a plain glibc build (MALLOC=libc) has it: HAVE_MALLOC_SIZE follows
# __GLIBC__, no header, malloc_usable_size() counted. Read from src/zmalloc.c and
# src/zmalloc.h of Redis 6.0.20, the last 6.0 release.
name = redis-6.0
accounting = usable
# New in 6.0: zrealloc(p, 0) frees p and returns NULL, without the OOM handler.
realloc_zero = frees
# No size check in usable builds: a huge size goes to malloc(), which refuses it.
huge = backend
# The OOM handler must not return: after a failed realloc the old size is taken off the
# total while the block is still live. zstrdup copies into the result.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
