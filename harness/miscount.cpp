// The shapes of zmalloc's accounting bugs, and the why lines that name them.
#include "miscount.h"

namespace zmcheck {
namespace {

// What an implementation may count for a block of n bytes, in place of the contract's
// A(n): the shapes of the accounting bugs of zmalloc's history.
struct Counted {
  const char *what;
  uint64_t (*of)(const Profile &, uint64_t);
};

uint64_t round_long(uint64_t v) { return (v + sizeof(long) - 1) / sizeof(long) * sizeof(long); }

const Counted kCounted[] = {
    {"A(n)", [](const Profile &p, uint64_t n) { return p.prefix_accounted(n); }},
    {"n + header, unrounded", [](const Profile &p, uint64_t n) { return p.stored_size(n) + p.header; }},
    {"n + header rounded up to sizeof(long)", [](const Profile &p, uint64_t n) { return round_long(p.stored_size(n) + p.header); }},
    {"n, without the header", [](const Profile &p, uint64_t n) { return p.stored_size(n); }},
    {"n rounded up to sizeof(long), without the header", [](const Profile &p, uint64_t n) { return round_long(p.stored_size(n)); }},
    {"A(n) + header (the header counted twice)", [](const Profile &p, uint64_t n) { return p.prefix_accounted(n) + p.header; }},
};

}  // namespace

std::string explain_change(const Profile &profile, const BlockChange &c, int64_t seen_delta, int64_t expected_delta) {
  if (profile.accounting != Profile::Accounting::prefix) return "";
  std::string moved = "this op moved used_memory by " + std::to_string(seen_delta) + " where the contract moves it by " +
                      std::to_string(expected_delta);
  // The same shape for the new and the old block first, then a different one for each.
  for (int same = 1; same >= 0; same--)
    for (const Counted &added : kCounted)
      for (const Counted &taken : kCounted) {
        if ((&added == &taken) != (same == 1)) continue;
        if (&added == &kCounted[0] && &taken == &kCounted[0]) continue;
        if (!c.has_new && &added != &kCounted[0]) continue;
        if (!c.had_old && &taken != &kCounted[0]) continue;
        int64_t d = (c.has_new ? static_cast<int64_t>(added.of(profile, c.new_requested)) : 0) -
                    (c.had_old ? static_cast<int64_t>(taken.of(profile, c.old_requested)) : 0);
        if (d != seen_delta) continue;
        std::string story;
        if (c.has_new && c.had_old && &added == &taken)
          story = std::string("it counted ") + added.what + " for both the new block (n = " + std::to_string(c.new_requested) +
                  ") and the old one (n = " + std::to_string(c.old_requested) + ")";
        else if (c.has_new && c.had_old)
          story = std::string("it added ") + added.what + " for the new block (n = " + std::to_string(c.new_requested) +
                  ") and took off " + taken.what + " for the old one (n = " + std::to_string(c.old_requested) + ")";
        else if (c.has_new)
          story = std::string("it added ") + added.what + " (n = " + std::to_string(c.new_requested) + ")";
        else
          story = std::string("it took off ") + taken.what + " (n = " + std::to_string(c.old_requested) + ")";
        return moved + ": " + story;
      }
  return moved;
}

std::string explain_total(const Profile &profile, const std::vector<uint64_t> &live_requested, int64_t seen) {
  if (profile.accounting != Profile::Accounting::prefix || live_requested.empty()) return "";
  for (const Counted &shape : kCounted) {
    if (&shape == &kCounted[0]) continue;
    int64_t total = 0;
    for (uint64_t n : live_requested) total += static_cast<int64_t>(shape.of(profile, n));
    if (total == seen)
      return "the total of the " + std::to_string(live_requested.size()) + " live blocks is what counting " + shape.what +
             " for each gives";
  }
  return "";
}

std::string explain_size(const Profile &profile, uint64_t requested, uint64_t reported) {
  if (profile.accounting != Profile::Accounting::prefix) return "";
  for (const Counted &shape : kCounted)
    if (shape.of(profile, requested) == reported)
      return std::string("zmalloc_size counts ") + shape.what + " (n = " + std::to_string(requested) + ")";
  return "";
}

}  // namespace zmcheck
