// Profile: the accounting contract of the allocator under test, as the harness checks
// it. zmcheck's own library has profiles/zmcheck-prefix.profile and
// zmcheck-usable.profile; other implementations describe theirs in the same form
// (profiles/ has one for every release line of Redis and Valkey).
//
// The file is lines of "key = value" ('#' starts a comment). A missing key keeps
// zmcheck's own contract, the default in brackets:
//   name          a label for reports
//   accounting    prefix | usable                                            [prefix]
//   header        prefix: bytes of the size header before the block         [8]
//   granule       prefix: A(n) is rounded up to a multiple of this           [8]
//   min_block     prefix: A(n) is at least this                              [0]
//   zero_size     prefix: a request of 0 bytes is stored, counted and usable as
//                 this many bytes (MALLOC_MIN_SIZE); 0: as 0 bytes           [0]
//   request       prefix: what the backend is asked for: accounted (A(n)) or
//                 unrounded (n + header)                                       [accounted]
//   realloc_zero  what zrealloc(p, 0) does to a live p. frees: frees p, returns
//                 NULL; resizes: returns a live block of size 0; oom: the backend
//                 frees p, then the OOM handler is called with 0               [frees]
//   realloc_null_zero_oom  a zrealloc(NULL, 0) that fails: handler (calls the OOM
//                 handler with 0) | silent (returns NULL without it)           [handler]
//   huge          sizes >= SIZE_MAX/2. fails: they fail without a backend call;
//                 backend: they are passed to the backend, which refuses them (a
//                 prefix size whose n + header wraps is not asked); skip: not
//                 checked by the allocator, so the harness asks for none       [fails]
//   huge_realloc  huge = fails: what a realloc of a live block to such a size does
//                 to the block: keeps (it stays live, intact, accounted) or
//                 frees (it is freed, and the call fails all the same)        [keeps]
//   calloc_num_overflow_size   what the OOM handler gets when num*size
//                 overflows in zcalloc_num                                      [SIZE_MAX]
//   calloc_num_zero_size  succeeds: zcalloc_num(num, 0) is a block of 0 bytes;
//                 fails: it is a failure, like an overflow (handler gets
//                 calloc_num_overflow_size)                                    [succeeds]
//   oom           what a failed allocation of the non-try functions does after the
//                 OOM handler: returns (NULL; the handler may return) | fatal (the
//                 process ends: abort, or a handler that must not return). Fatal:
//                 the harness never lets such a call fail                     [returns]
//   strdup_oom    the same for zstrdup: returns | fatal (it copies into the
//                 result even when that is NULL)                               [returns]
//   free_usable_null  what zfree_usable(NULL, &u) does to u: zero (writes 0) |
//                 untouched (returns at once)                                  [zero]
//   failed_alloc_usable  what a failed allocation of the usable family (zmalloc_usable,
//                 zcalloc_usable, their try forms, and a realloc from NULL) leaves
//                 in *usable: zero | untouched (a failed realloc of a block still
//                 writes 0)                                                     [zero]
//   thread_safety always: the counter is thread-safe from the start;
//                 after_enable: only once zmalloc_enable_thread_safeness() has
//                 been called, which then cannot be undone (where the function
//                 exists; without it: always)                                  [always]
//   wrapped_reads a read of used_memory while other threads update it: never (it
//                 is never a wrapped value) | transient (a transiently negative
//                 sum of per-thread counters shows as a huge value; exact again
//                 once the updates are over)                                   [never]
//   counter_reads synchronized: every access to the counter is atomic or locked;
//                 racy: the reader sums counters that their threads write with
//                 plain stores (by design): ThreadSanitizer's reports of races in
//                 zmalloc_used_memory are not findings                        [synchronized]
//   oom_message   what the default OOM handler prints before it aborts, {n} standing
//                 for the size asked for   [zmalloc: Out of memory trying to allocate {n} bytes]
//   null_handler  what zmalloc_set_oom_handler(NULL) does: default (restores the default
//                 handler) | unchecked (stores NULL: not a contract; not run)  [default]
//   exclude       ops the harness must leave out although the functions exist,
//                 by op name (see harness/op_catalogue.h), comma-separated    [none]
#ifndef ZMCHECK_PROFILE_H
#define ZMCHECK_PROFILE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ops.h"

namespace zmcheck {

struct Profile {
  enum class Accounting { prefix, usable };
  enum class ReallocZero { frees, resizes, oom };
  enum class Huge { fails, backend, skip };

  std::string name = "zmcheck-prefix";
  Accounting accounting = Accounting::prefix;
  uint64_t header = 8;
  uint64_t granule = 8;
  uint64_t min_block = 0;
  uint64_t zero_size = 0;
  bool request_rounded = true;
  ReallocZero realloc_zero = ReallocZero::frees;
  bool realloc_null_zero_calls_handler = true;
  Huge huge = Huge::fails;
  bool huge_realloc_frees = false;
  uint64_t calloc_num_overflow_size = UINT64_MAX;
  bool calloc_num_zero_size_fails = false;
  bool oom_fatal = false;
  bool strdup_oom_fatal = false;
  bool free_usable_null_untouched = false;
  bool failed_alloc_usable_untouched = false;
  bool thread_safe_after_enable = false;
  bool reads_may_wrap = false;
  bool racy_counter_reads = false;
  std::string oom_message = "zmalloc: Out of memory trying to allocate {n} bytes";
  bool null_handler_restores_default = true;
  // oom_message with {n} replaced by n.
  std::string oom_message_for(uint64_t n) const;
  std::vector<OpKind> excluded;

  // The size a request of n bytes is stored and counted as (prefix): n, or zero_size for 0.
  uint64_t stored_size(uint64_t n) const { return n == 0 ? zero_size : n; }
  // A(n) of a live block of n bytes in prefix accounting.
  uint64_t prefix_accounted(uint64_t n) const;
  // Prefix accounting: the size whose A(n), or whose n + header, wraps around.
  bool prefix_wraps(uint64_t n) const;
  // Bytes the backend is asked for by a request of n (prefix: A(n), or n + header if
  // unrounded; usable: n, at least 1).
  uint64_t backend_request(uint64_t n) const;
  // Prefix accounting: the bytes a block of n may use, for an allocator without
  // zmalloc_usable_size: what the backend was asked for, less the header (A(n) - header,
  // or n when the request is unrounded).
  uint64_t prefix_usable(uint64_t n) const;
  bool excludes(OpKind kind) const;
};

// Parses a profile file's text; false with *error naming the line if it is not one.
bool parse_profile(std::string_view text, Profile *profile, std::string *error);

// The profile this harness was built with (embedded from the file CMake was given).
const Profile &built_in_profile();

}  // namespace zmcheck

#endif
