/* The mutant catalogue: realistic bugs compiled into a ZM_MUTANTS=ON build and switched
 * on one at a time with ZM_MUTANT=<name>. Each is a small change at the place the real
 * bug lived; grep for ZM_MUTANT(<name>) to find it. A build without ZM_MUTANTS contains
 * none of them: this table is expanded only in mutant builds.
 *
 * X(name, one-line description of the bug) */
#ifndef ZM_MUTANT_CATALOGUE_H
#define ZM_MUTANT_CATALOGUE_H

#define ZM_MUTANT_CATALOGUE(X)                                                                  \
  X(realloc_double_prefix,                                                                     \
    "realloc adds n + PREFIX_SIZE but subtracts only the old n: the total creeps up on every "  \
    "realloc")                                                                                  \
  X(realloc_missing_prefix,                                                                    \
    "realloc subtracts old + PREFIX_SIZE but adds only n: the total creeps down")              \
  X(round_alloc_only, "alloc rounds to sizeof(long), free does not: residue after free")       \
  X(no_round, "alloc accounts n + PREFIX_SIZE unrounded while zmalloc_size rounds")           \
  X(usable_past_block,                                                                         \
    "the backend gets n + PREFIX_SIZE but zmalloc_usable_size reports the rounded size: "       \
    "writes past the block")                                                                    \
  X(size_overflow, "n + PREFIX_SIZE wraps for n near SIZE_MAX: a tiny block with a huge header") \
  X(calloc_num_overflow, "num * size wraps in zcalloc_num")                                    \
  X(realloc_zero_keeps, "zrealloc(p, 0) returns a live block instead of freeing p")           \
  X(zero_size_uncounted, "zmalloc(0) allocates a block but accounts nothing for it")           \
  X(realloc_fail_accounts, "a failed realloc updates the total as if it had succeeded")        \
  X(oom_handler_returns, "a returning OOM handler is followed by a write through NULL")         \
  X(try_calls_handler, "the try variants call the OOM handler on failure")                     \
  X(racy_shared_counter,                                                                       \
    "all threads update one shared counter with a plain load and store: lost updates")         \
  X(exited_thread_lost, "a thread's count is dropped when the thread exits")                   \
  X(slot_overflow,                                                                              \
    "threads beyond the slot table share the overflow counter without atomics")                \
  X(reader_unclamped, "the reader returns a wrapped total when the sum is transiently negative") \
  X(usable_out_param, "zrealloc_usable(p, 0, &u) frees p but leaves u holding the old size")  \
  X(strdup_short, "zstrdup allocates strlen(s) bytes: no room for the terminator")            \
  X(free_size_mismatch, "free subtracts the usable size where alloc added A(n)")              \
  X(proc_stat_spaces,                                                                           \
    "the /proc/self/stat parser splits the process name at its spaces")                        \
  /* zmcheck's own, for classes of bug the catalogue above misses */                           \
  X(slot_count_off_by_one,                                                                      \
    "the count of slots in use is stored as the highest index: the reader misses the newest")  \
  X(slot_taken_unlocked,                                                                        \
    "a thread takes a slot without the table lock: two threads can take the same one")         \
  X(usable_is_accounted,                                                                        \
    "zmalloc_usable_size reports zmalloc_size, header included: 8 bytes too many")             \
  X(calloc_usable_not_zeroed, "zcalloc_usable allocates without zeroing")                       \
  X(smaps_sum_wraps, "the smaps parser's kB to bytes sum wraps instead of saturating")         \
  X(cxx_allocator_bytes, "zm::allocator<T>::allocate(n) asks for n bytes, not n * sizeof(T)")    \
  /* classes only a storm of threads, blocks of 4 GiB, a rounding backend or the OOM   \
   * handler's own rules show */                                                        \
  X(reader_skips_overflow,                                                                      \
    "the reader sums the table's slots but not the counter of the threads beyond it")          \
  X(free_size_truncated, "free takes off the A of the header's size cut to 32 bits")           \
  X(usable_charges_request,                                                                     \
    "usable accounting adds the bytes asked for, frees what the allocator reports")            \
  X(null_handler_kept,                                                                          \
    "zmalloc_set_oom_handler(NULL) installs NULL instead of the default handler")

/* The mutants of the usable-size layout (layout_usable.h): `ci/zmcheck mutants` runs
 * them in a build with usable accounting. */
#define ZM_MUTANTS_OF_USABLE_ACCOUNTING "usable_charges_request"

#endif
