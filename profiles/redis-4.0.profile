# Redis 4.0, as a glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of Redis 4.0.14, the last 4.0 release, and of 4.0-rc3.
name = redis-4.0
accounting = prefix
header = 8
# The contract the code means: update_zmalloc_stat_alloc/_free still compute n + PREFIX_SIZE
# rounded up to sizeof(long), and zmalloc_size() (which zfree does not use) rounds the
# same way, as every release before. The counter itself adds the unrounded __n through
# atomicIncr: that is the bug of this line (since the atomicvar.h change of 2015), and
# what the harness must find. It was never fixed in 4.0.
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
# The 4.0 releases have no zmalloc_enable_thread_safeness() (always atomic); its release
# candidates (3.9.x) still have it, and their counter is atomic only after it.
thread_safety = after_enable
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
