# Redis 2.8, as a glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of Redis 2.8.24, the last 2.8 release.
name = redis-2.8
accounting = prefix
header = 8
# As 2.6, the thread-safe path now __atomic_add_fetch(..., __ATOMIC_RELAXED) where the
# compiler has it; both paths round to sizeof(long), and so does zmalloc_size().
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
