# The example's accounting contract (examples/oldstyle-zmalloc), read off its zmalloc.h
# and zmalloc.c; the shape is profiles/legacy-prefix.profile's.
name = oldstyle-example
# Each block is [size_t n][n bytes]: a header of sizeof(size_t) = 8 bytes.
accounting = prefix
header = 8
# zmalloc_size() and the total: n + 8 rounded up to a multiple of sizeof(long) = 8.
granule = 8
min_block = 0
# The backend is asked for n + 8 bytes, not rounded: only n of them are the caller's.
request = unrounded
# zrealloc(p, 0) resizes p to a block of 0 bytes; it does not free it.
realloc_zero = resizes
# Sizes are not checked (n + 8 must not overflow): the harness never asks for huge ones.
huge = skip
# No zcalloc_num, no try and usable families: the harness finds them missing and leaves
# their ops out; nothing else to exclude.
# The default handler prints this and aborts; zmalloc_set_oom_handler(NULL) restores it.
oom_message = zmalloc: out of memory allocating {n} bytes
null_handler = default
