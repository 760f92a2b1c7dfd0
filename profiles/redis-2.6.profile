# Redis 2.6, as a glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of Redis 2.6.17, the last 2.6 release.
name = redis-2.6
accounting = prefix
header = 8
# Both paths of update_zmalloc_stat_alloc/_free round to sizeof(long): the plain add and,
# after the switch, __sync_add_and_fetch (HAVE_ATOMIC) or the mutex. zmalloc_size() rounds
# the same way.
granule = 8
min_block = 0
zero_size = 0
request = unrounded
realloc_zero = resizes
huge = skip
# zmalloc_set_oom_handler() is new; after the handler, zmalloc writes the size header
# through the NULL result, so the handler must not return. zstrdup copies into it too.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
# The atomic (or locked) update only once zmalloc_enable_thread_safeness() was called.
thread_safety = after_enable
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
