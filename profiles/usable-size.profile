# The usable-size shape of Redis-style zmalloc (HAVE_MALLOC_SIZE: malloc_usable_size,
# je_malloc_usable_size, tc_malloc_size): no header, a block counts what the backend says
# it holds, with the try and usable families. Where each value comes from:
# profiles/README.md. Change what your implementation does differently.
name = usable-size
accounting = usable
# zrealloc(p, 0) frees p and returns NULL, without the OOM handler.
realloc_zero = frees
# Sizes >= SIZE_MAX/2 fail before the backend is called (a guard against overflow)...
huge = fails
# ...and a realloc of a live block to such a size frees the block as it fails.
huge_realloc = frees
# zcalloc_num(num, size) fails when num*size overflows, and when size is 0, with the
# OOM handler given SIZE_MAX.
calloc_num_overflow_size = SIZE_MAX
calloc_num_zero_size = fails
# The default OOM handler: Redis's message; zmalloc_set_oom_handler(NULL) stores NULL.
oom_message = zmalloc: Out of memory trying to allocate {n} bytes
null_handler = unchecked
