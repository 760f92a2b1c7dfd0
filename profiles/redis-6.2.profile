# Redis 6.2, as a plain glibc build (MALLOC=libc) has it: HAVE_MALLOC_SIZE (no header,
# malloc_usable_size() counted) unless NO_MALLOC_USABLE_SIZE is defined. Read from
# src/zmalloc.c and src/zmalloc.h of Redis 6.2.16, the last 6.2 release.
name = redis-6.2
accounting = usable
# zrealloc(p, 0) frees p and returns NULL, without the handler.
realloc_zero = frees
# ASSERT_NO_SIZE_OVERFLOW is empty in usable builds: a huge size goes to malloc(), which
# refuses it, and a failed realloc leaves the block as it was.
huge = backend
huge_realloc = keeps
# New in 6.2: the ztry* and *_usable families. zmalloc calls ztrymalloc_usable and then
# the OOM handler, and returns NULL if the handler returns; zrealloc calls it only for a
# size other than 0, so a failed zrealloc(NULL, 0) returns NULL silently. zstrdup still
# copies into the result, NULL or not. zfree_usable(NULL, &u) returns at once, u untouched.
oom = returns
strdup_oom = fatal
realloc_null_zero_oom = silent
free_usable_null = untouched
# ztrymalloc_usable and ztrycalloc_usable return at once when malloc() fails: *usable is
# left as it was (zmalloc_usable and a realloc from NULL go through them too). A failed
# realloc of a block writes 0.
failed_alloc_usable = untouched
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
