# The older prefix shape of Redis-style zmalloc: the one ../shared/DESIGN.md's seed
# describes, and the one examples/oldstyle-zmalloc is written in. Where each value comes
# from: profiles/README.md. Change what your implementation does differently.
name = legacy-prefix
# Each block is [size_t n][n bytes]: a header of sizeof(size_t).
accounting = prefix
header = 8
# used_memory and zmalloc_size round n + header up to sizeof(long)
# ("if (_n&(sizeof(long)-1)) _n += sizeof(long)-(_n&(sizeof(long)-1));").
granule = 8
min_block = 0
# malloc(n + header): the rounding is in the count only; the caller owns n bytes.
request = unrounded
# zrealloc(p, 0) is realloc(header of p, 0 + header): a live block of 0 bytes.
realloc_zero = resizes
# No size check: n + header wraps near SIZE_MAX, so the harness asks for no huge size.
huge = skip
# No zcalloc_num, no try and usable families: the harness leaves out the ops of
# functions it does not find; list here only ops of functions that exist but must not run.
