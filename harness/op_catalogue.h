// The op language: every operation the harness can apply, with the text it has in a
// trace. The printer, the trace parser, the byte codec and the executor all come from
// this one table.
//
// X(kind, text, api)
//   kind: the OpKind enumerator
//   text: the op as a trace line. Placeholders: {s} a block slot (s0..s15), {n} a size,
//         {m} a count of elements, {k} a small count. A slot that appears twice is
//         the same slot.
//   exit_free: the block moves into the thread's thread-local cache, whose destructor
//         frees it when the thread exits (after the allocator's own exit hook, as a
//         server's per-thread cache does), and allocates and frees a block of its own there.
//   api:  the function of zmalloc.h the op needs (the op language leaves an op out when
//         the allocator under test lacks it), or "" for ops of the harness itself.
#ifndef ZMCHECK_OP_CATALOGUE_H
#define ZMCHECK_OP_CATALOGUE_H

#define ZMCHECK_OP_CATALOGUE(X)                                                   \
  X(malloc, "{s} = zmalloc({n})", "zmalloc")                                     \
  X(calloc, "{s} = zcalloc({n})", "zcalloc")                                     \
  X(calloc_num, "{s} = zcalloc_num({m}, {n})", "zcalloc_num")                    \
  X(try_malloc, "{s} = ztrymalloc({n})", "ztrymalloc")                           \
  X(try_calloc, "{s} = ztrycalloc({n})", "ztrycalloc")                           \
  X(malloc_usable, "{s} = zmalloc_usable({n}, &u)", "zmalloc_usable")            \
  X(calloc_usable, "{s} = zcalloc_usable({n}, &u)", "zcalloc_usable")            \
  X(try_malloc_usable, "{s} = ztrymalloc_usable({n}, &u)", "ztrymalloc_usable")  \
  X(try_calloc_usable, "{s} = ztrycalloc_usable({n}, &u)", "ztrycalloc_usable")  \
  X(realloc, "{s} = zrealloc({s}, {n})", "zrealloc")                             \
  X(try_realloc, "{s} = ztryrealloc({s}, {n})", "ztryrealloc")                   \
  X(realloc_usable, "{s} = zrealloc_usable({s}, {n}, &u)", "zrealloc_usable")    \
  X(try_realloc_usable, "{s} = ztryrealloc_usable({s}, {n}, &u)", "ztryrealloc_usable") \
  X(free, "zfree({s})", "zfree")                                                 \
  X(free_usable, "zfree_usable({s}, &u)", "zfree_usable")                        \
  X(strdup, "{s} = zstrdup({n} chars)", "zstrdup")                               \
  X(query, "zmalloc_size({s})", "zmalloc_size")                                  \
  X(write, "write({s})", "")                                                     \
  X(check, "check()", "")                                                        \
  X(read_used, "zmalloc_used_memory()", "zmalloc_used_memory")                   \
  X(enable_thread_safeness, "zmalloc_enable_thread_safeness()", "zmalloc_enable_thread_safeness") \
  X(fail_next, "fail_next({k})", "")                                             \
  X(fail_nth, "fail_nth({k})", "")                                               \
  X(spawn, "spawn()", "")                                                        \
  X(storm, "thread_storm()", "")                                                 \
  X(exit, "exit()", "")                                                          \
  X(exit_free, "exit_free({s})", "")

#endif
