# Redis 3.0, as a glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of Redis 3.0.7, the last 3.0 release; its allocation code is 2.8's.
name = redis-3.0
accounting = prefix
header = 8
# Rounded to sizeof(long) on both counter paths and in zmalloc_size().
granule = 8
min_block = 0
zero_size = 0
request = unrounded
realloc_zero = resizes
huge = skip
# The OOM handler must not return: the header is written through its NULL result.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
thread_safety = after_enable
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
