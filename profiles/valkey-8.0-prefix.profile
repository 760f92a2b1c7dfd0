# Valkey 8.0, prefix shape: built with NO_MALLOC_USABLE_SIZE, or without __GLIBC__. Read
# from src/zmalloc.c and src/zmalloc.h of Valkey 8.0.1.
name = valkey-8.0-prefix
accounting = prefix
header = 8
# The counter and zmalloc_size() count n + PREFIX_SIZE, unrounded; zmalloc_usable_size()
# is n.
granule = 1
min_block = 0
# The header records MALLOC_MIN_SIZE(n): a 0-byte request is stored, counted and usable
# as sizeof(long) bytes.
zero_size = 8
request = unrounded
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
