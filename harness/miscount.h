// The shapes of zmalloc's accounting bugs: what an implementation may count for a block
// of n bytes in place of the contract's A(n) (n + header unrounded, without the header,
// the header twice, ...), and the why line of a report that names one. The executor,
// and the properties that check the total their own way, explain a miscount with them,
// so that one bug reads the same wherever it surfaces (ci/zmcheck groups findings by it).
#ifndef ZMCHECK_HARNESS_MISCOUNT_H
#define ZMCHECK_HARNESS_MISCOUNT_H

#include <cstdint>
#include <string>
#include <vector>

#include "profile.h"

namespace zmcheck {

// What one op did to the blocks: a new block of new_requested bytes, an old one of
// old_requested freed (a realloc has both).
struct BlockChange {
  bool had_old = false, has_new = false;
  uint64_t old_requested = 0, new_requested = 0;
};

// "this op moved used_memory by 8 where the contract moves it by 0: it added A(n) for the
// new block (n = 1) and took off n, without the header for the old one (n = 1)"; empty
// but for prefix accounting.
std::string explain_change(const Profile &profile, const BlockChange &change, int64_t seen_delta,
                           int64_t expected_delta);

// "the total of the 512 live blocks is what counting n + header, unrounded for each gives"
// when a shape other than A(n) sums to `seen` over blocks of these requested sizes (a
// threaded run, whose ops cannot be told apart), or empty.
std::string explain_total(const Profile &profile, const std::vector<uint64_t> &live_requested, int64_t seen);

// "zmalloc_size counts n + header rounded up to sizeof(long) (n = 1)", or empty.
std::string explain_size(const Profile &profile, uint64_t requested, uint64_t reported);

}  // namespace zmcheck

#endif
