// Profile: the accounting contract of the allocator under test, as the harness checks
// it. zmcheck's own library has profiles/zmcheck-prefix.profile and
// zmcheck-usable.profile; other implementations describe theirs in the same form.
//
// The file is lines of "key = value" ('#' starts a comment):
//   name          a label for reports
//   accounting    prefix | usable
//   header        prefix: bytes of the size header before the block        (default 8)
//   granule       prefix: A(n) is rounded up to a multiple of this          (default 8)
//   min_block     prefix: A(n) is at least this                             (default 0)
//   request       prefix: what the backend is asked for: accounted (A(n)) or
//                 unrounded (n + header)                                      (default accounted)
//   realloc_zero  frees: zrealloc(p, 0) frees p and returns NULL
//                 resizes: it returns a live block of size 0                (default frees)
//   huge          fails: sizes >= SIZE_MAX/2 fail without a backend call
//                 skip: the allocator does not check them; no op uses them  (default fails)
//   huge_realloc  huge = fails: what a realloc of a live block to such a size does
//                 to the block: keeps (it stays live, intact, accounted) or
//                 frees (it is freed, and the call fails all the same)     (default keeps)
//   calloc_num_overflow_size   what the OOM handler gets when num*size
//                 overflows in zcalloc_num                                   (default SIZE_MAX)
//   calloc_num_zero_size  succeeds: zcalloc_num(num, 0) is a block of 0 bytes;
//                 fails: it is a failure, like an overflow (handler gets
//                 calloc_num_overflow_size)                                 (default succeeds)
//   exclude       ops the harness must leave out although the functions exist,
//                 by op name (see harness/op_catalogue.h), comma-separated   (default none)
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
  enum class ReallocZero { frees, resizes };

  std::string name = "zmcheck-prefix";
  Accounting accounting = Accounting::prefix;
  uint64_t header = 8;
  uint64_t granule = 8;
  uint64_t min_block = 0;
  bool request_rounded = true;
  ReallocZero realloc_zero = ReallocZero::frees;
  bool huge_fails = true;
  bool huge_realloc_frees = false;
  uint64_t calloc_num_overflow_size = UINT64_MAX;
  bool calloc_num_zero_size_fails = false;
  std::vector<OpKind> excluded;

  // A(n) of a live block of n bytes in prefix accounting.
  uint64_t prefix_accounted(uint64_t n) const;
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
