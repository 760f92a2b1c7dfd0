# The example's accounting contract (examples/cxxport-zmalloc), read off its zmalloc.h
# and zmalloc.cpp.
name = cxxport-example
# Each block is [size_t n][8 bytes of padding][n bytes].
accounting = prefix
header = 16
# The total counts n + 16 rounded up to sizeof(long) = 8; zmalloc_size says the same.
granule = 8
min_block = 0
zero_size = 0
request = unrounded
realloc_zero = resizes
huge = skip
# Out of memory prints the size and aborts; only ztrymalloc returns NULL.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
thread_safety = always
oom_message = zmalloc: Out of memory trying to allocate {n} bytes
