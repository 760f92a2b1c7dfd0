// The reference /proc parsers: the same grammar as src/proc_parse.h, by splitting.
#include "proc_reference.h"

#include <charconv>
#include <climits>
#include <cstdint>
#include <vector>

namespace zmcheck {
namespace {

// Words of text separated by runs of ' ' (a leading run is skipped).
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (true) {
    at = text.find_first_not_of(' ', at);
    if (at == std::string_view::npos) break;
    size_t end = text.find(' ', at);
    out.push_back(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (end == std::string_view::npos) break;
    at = end;
  }
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::optional<long long> reference_stat_rss_pages(std::string_view text) {
  size_t close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(close + 1);
  if (rest.empty() || rest.front() != ' ') return std::nullopt;
  std::vector<std::string_view> fields = words(rest);  // fields[0] is field 3, the state
  if (fields.size() < 22) return std::nullopt;
  std::string_view rss = fields[21];
  rss = rss.substr(0, rss.find('\n'));  // a newline may end it too
  if (!all_digits(rss)) return std::nullopt;
  long long value = 0;
  auto [end, error] = std::from_chars(rss.data(), rss.data() + rss.size(), value);
  if (error != std::errc() || end != rss.data() + rss.size()) return std::nullopt;
  return value;
}

size_t reference_smaps_field_bytes(std::string_view text, std::string_view field) {
  size_t total = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (line.substr(0, field.size()) != field) continue;
    std::string_view rest = line.substr(field.size());
    size_t digits = rest.find_first_not_of(" \t");
    if (digits == 0 || digits == std::string_view::npos) continue;
    size_t after_digits = rest.find_first_not_of("0123456789", digits);
    if (after_digits == digits || after_digits == std::string_view::npos) continue;
    size_t unit = rest.find_first_not_of(" \t", after_digits);
    if (unit == after_digits || unit == std::string_view::npos || rest.substr(unit) != "kB") continue;
    unsigned long long kb = 0;
    auto [end, error] = std::from_chars(rest.data() + digits, rest.data() + after_digits, kb);
    if (error != std::errc()) continue;
    if (kb > SIZE_MAX / 1024 || kb * 1024 > SIZE_MAX - total)
      total = SIZE_MAX;
    else
      total += kb * 1024;
  }
  return total;
}

}  // namespace zmcheck
