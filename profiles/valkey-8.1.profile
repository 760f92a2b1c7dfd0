# Valkey 8.1, as a plain glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of the 8.1 development line: Valkey unstable as of October 2024
# (version 255.255.255); no 8.1 release is in the history this was read from.
name = valkey-8.1
accounting = usable
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
# The per-thread counters of 8.0, now padded to a cache line each
# (used_memory_thread_padded[]); on x86 still plain size_t variables written by their
# own thread and summed with plain loads by the reader (a data race by design), an atomic
# for threads past the table. A sum read while threads free each other's blocks can
# wrap for a moment.
thread_safety = always
wrapped_reads = transient
counter_reads = racy
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
