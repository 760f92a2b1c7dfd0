# Redis 5.0, as a plain glibc build (MALLOC=libc) has it: zmalloc.h sets HAVE_MALLOC_SIZE
# whenever __GLIBC__ is defined, so blocks have no header and count malloc_usable_size().
# Read from src/zmalloc.c and src/zmalloc.h of Redis 5.0.14, the last 5.0 release.
name = redis-5.0
accounting = usable
# zrealloc(p, 0) calls realloc(p, 0), which frees p and returns NULL on glibc; zrealloc
# then calls the OOM handler with 0.
realloc_zero = oom
# No size check in usable builds (ASSERT_NO_SIZE_OVERFLOW is empty there): a huge size
# goes to malloc(), which refuses it.
huge = backend
# The OOM handler must not return: after it, zrealloc takes the old size off the total
# while the block it failed to move is still live. zstrdup copies into the result.
oom = fatal
strdup_oom = fatal
realloc_null_zero_oom = handler
# One counter, updated with atomicIncr/atomicDecr (atomicvar.h); no mode switch.
thread_safety = always
wrapped_reads = never
counter_reads = synchronized
# zmalloc_set_oom_handler(NULL) stores the NULL (no check): not a contract, not run.
null_handler = unchecked
