# Redis 2.4, as a glibc build has it (MALLOC=libc; the default 2.4 build on Linux uses
# jemalloc, whose usable size the harness does not model for this line). Read from
# src/zmalloc.c and src/zmalloc.h of Redis 2.4.18, the last 2.4 release.
name = redis-2.4
# zmalloc.h defines HAVE_MALLOC_SIZE for tcmalloc, jemalloc and macOS only: on glibc
# each block carries a size_t header.
accounting = prefix
header = 8
# The total rounds n + PREFIX_SIZE up to sizeof(long) on alloc and on free; the new
# zmalloc_size() rounds the header's n up to sizeof(long) and adds PREFIX_SIZE, the same
# number, and zfree takes off zmalloc_size().
granule = 8
min_block = 0
zero_size = 0
request = unrounded
# zrealloc(p, 0): realloc(header, 0 + PREFIX_SIZE), a live block of 0 bytes.
realloc_zero = resizes
huge = skip
# zmalloc_oom() prints and aborts; no handler setter.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
# zmalloc_thread_safe: the mutex only after zmalloc_enable_thread_safeness().
thread_safety = after_enable
wrapped_reads = never
counter_reads = synchronized
