# The example's accounting contract (examples/minsize-zmalloc), read off its zmalloc.h and
# zmalloc.c; the shape of profiles/redis-7.4-prefix.profile.
name = minsize-example
accounting = prefix
header = 8
# zmalloc_size() and the total: the owned bytes + 8, not rounded.
granule = 1
min_block = 0
# A 0-byte request owns, counts and may use sizeof(long) = 8 bytes.
zero_size = 8
request = unrounded
realloc_zero = frees
# A failed zrealloc(NULL, 0) calls no handler.
realloc_null_zero_oom = silent
# Sizes >= SIZE_MAX/2 fail before malloc(); a realloc to one leaves the block as it was.
huge = fails
huge_realloc = keeps
# A returning handler gives NULL, except in zstrdup, which copies into the result.
oom = returns
strdup_oom = fatal
# zfree_usable(NULL, &u) leaves u alone.
free_usable_null = untouched
thread_safety = always
# zmalloc_set_oom_handler(NULL) restores the default handler, which prints this and aborts.
oom_message = zmalloc: Out of memory trying to allocate {n} bytes
null_handler = default
