# zmcheck's own zmalloc, usable-size accounting (ZM_ACCOUNTING=usable): no header, a
# block accounts the backend's usable size of it.
name = zmcheck-usable
accounting = usable
realloc_zero = frees
huge = fails
calloc_num_overflow_size = SIZE_MAX
