# Redis 2.2, as a glibc build has it. Read from src/zmalloc.c, src/zmalloc.h and
# src/config.h of Redis 2.2.15, the last 2.2 release.
name = redis-2.2
# config.h sets HAVE_MALLOC_SIZE only for tcmalloc and macOS: on glibc each block
# carries a size_t header (PREFIX_SIZE = sizeof(size_t)).
accounting = prefix
header = 8
# update_zmalloc_stat_alloc and _free both round what they add or take off up to a
# multiple of sizeof(long); zmalloc adds n + PREFIX_SIZE, zfree takes off the header's n +
# PREFIX_SIZE, zrealloc takes off the old n and adds the new n (both rounded, which moves
# the total by the same amount). 2.2 has no zmalloc_size(): the harness derives A(n).
granule = 8
min_block = 0
zero_size = 0
# malloc(n + PREFIX_SIZE): only the count is rounded.
request = unrounded
# zrealloc(p, 0) is realloc(header, 0 + PREFIX_SIZE): a live block of 0 bytes.
realloc_zero = resizes
# No size check anywhere: n + PREFIX_SIZE wraps near SIZE_MAX.
huge = skip
# Out of memory: zmalloc_oom() prints "zmalloc: Out of memory trying to allocate N bytes"
# and aborts; there is no handler setter. zstrdup copies into what zmalloc returns.
oom = fatal
strdup_oom = fatal
# zrealloc(NULL, n) is zmalloc(n): its failure is an out-of-memory like any other.
realloc_null_zero_oom = handler
# The counter is guarded by used_memory_mutex only once zmalloc_enable_thread_safeness()
# set zmalloc_thread_safe; before, it is a plain size_t.
thread_safety = after_enable
wrapped_reads = never
counter_reads = synchronized
