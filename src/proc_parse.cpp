/* The /proc parsers; see proc_parse.h for their grammar. */
#include "proc_parse.h"

#include <climits>
#include <cstdint>
#include <cstring>

#include "mutants.h"

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Reads decimal digits at [*at, end) into *value; false on no digits or overflow. */
bool read_decimal(const char **at, const char *end, unsigned long long limit,
                  unsigned long long *value) {
  const char *p = *at;
  unsigned long long v = 0;
  if (p == end || !is_digit(*p)) return false;
  for (; p != end && is_digit(*p); p++) {
    unsigned digit = static_cast<unsigned>(*p - '0');
    if (v > (limit - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *at = p;
  *value = v;
  return true;
}

const char *last_of(const char *text, size_t length, char c) {
  for (size_t i = length; i > 0; i--)
    if (text[i - 1] == c) return text + i - 1;
  return nullptr;
}

}  // namespace

extern "C" int zm_parse_stat_rss_pages(const char *text, size_t length, long long *pages) {
  const char *end = text + length;
  /* p is put just before field 3 (state); rss is then the 22nd field, 21 after it. */
  const char *p = last_of(text, length, ')');
  int fields_to_skip = 21;
  if (ZM_MUTANT(proc_stat_spaces)) {
    /* counts every space-separated word from the pid on as a field */
    for (p = text; p != end && *p != ' ';) p++;
    fields_to_skip = 22;
  } else if (p == nullptr) {
    return 0;
  } else {
    p++;
  }
  for (int field = 0; field <= fields_to_skip; field++) {
    if (p == end || *p != ' ') return 0;
    while (p != end && *p == ' ') p++;
    if (field == fields_to_skip) break;
    while (p != end && *p != ' ') p++;
  }
  unsigned long long value;
  if (!read_decimal(&p, end, LLONG_MAX, &value)) return 0;
  if (p != end && *p != ' ' && *p != '\n') return 0;
  *pages = static_cast<long long>(value);
  return 1;
}

extern "C" size_t zm_parse_smaps_field_bytes(const char *text, size_t length, const char *field,
                                             size_t field_length) {
  const char *end = text + length;
  size_t total = 0;
  for (const char *line = text; line < end;) {
    const char *eol = static_cast<const char *>(std::memchr(line, '\n', end - line));
    if (eol == nullptr) eol = end;
    const char *p = line;
    unsigned long long kb;
    bool matches = static_cast<size_t>(eol - p) >= field_length &&
                   std::memcmp(p, field, field_length) == 0;
    if (matches) {
      p += field_length;
      const char *digits = p;
      while (p != eol && is_blank(*p)) p++;
      matches = p != digits && read_decimal(&p, eol, ULLONG_MAX, &kb);
    }
    if (matches) {
      const char *unit = p;
      while (p != eol && is_blank(*p)) p++;
      matches = p != unit && eol - p == 2 && p[0] == 'k' && p[1] == 'B';
    }
    if (matches) {
      unsigned long long bytes;
      if (ZM_MUTANT(smaps_sum_wraps))
        total += static_cast<size_t>(kb * 1024);
      else if (__builtin_mul_overflow(kb, 1024ULL, &bytes) || bytes > SIZE_MAX - total)
        total = SIZE_MAX;
      else
        total += static_cast<size_t>(bytes);
    }
    line = eol + 1;
  }
  return total;
}
