# Valkey 8.0, as a plain glibc build (MALLOC=libc) has it. Read from src/zmalloc.c and
# src/zmalloc.h of Valkey 8.0.1, the last 8.0 release in the history this was read from.
name = valkey-8.0
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
# 8.0 removes zfree_usable(); zfree_with_size() is new (not in zmalloc.h's API).
# New in 8.0: per-thread counters, plain size_t variables on x86 (used_memory_thread[],
# written only by their own thread) and an atomic for threads past the table
# (MAX_THREADS_NUM = IO_THREADS_MAX_NUM + 4 = 20; slots are never reused).
# zmalloc_used_memory() sums them with plain loads: a data race by design (the comment
# beside them says so), and a sum that can wrap for a moment while threads free each
# other's blocks; exact again once the updates are over.
thread_safety = always
wrapped_reads = transient
counter_reads = racy
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
