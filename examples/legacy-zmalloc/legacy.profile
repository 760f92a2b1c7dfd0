# The example's accounting contract (examples/legacy-zmalloc), read off its zmalloc.h and
# zmalloc.c; the shape of profiles/redis-2.2.profile.
name = legacy-example
# Each block is [size_t n][n bytes].
accounting = prefix
header = 8
# The total counts n + 8 rounded up to sizeof(long) = 8. There is no zmalloc_size(): the
# harness derives A(n) from these lines and checks the total against it.
granule = 8
min_block = 0
zero_size = 0
# malloc(n + 8): only the count is rounded.
request = unrounded
# zrealloc(p, 0) resizes p to a block of 0 bytes.
realloc_zero = resizes
# Sizes are not checked: the harness asks for no huge size.
huge = skip
# Out of memory prints the size and aborts, in zstrdup too; only ztrymalloc returns NULL,
# and the harness checks that path with injected failures.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
# The counter is atomic only after zmalloc_enable_thread_safeness(), for good.
thread_safety = after_enable
# zmalloc_usable(void *p) is not zmalloc.h's allocator of that name: the build finds the
# clash and leaves it out; nothing to write here.
# Out of memory prints this and aborts (there is no handler to set).
oom_message = zmalloc: Out of memory trying to allocate {n} bytes
