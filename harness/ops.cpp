// Op traits and the text of ops, both read off the catalogue's text patterns.
#include "ops.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace zmcheck {
namespace {

constexpr bool mentions(const char *text, const char *placeholder) {
  for (const char *p = text; *p; p++) {
    const char *a = p;
    const char *b = placeholder;
    while (*b && *a == *b) a++, b++;
    if (!*b) return true;
  }
  return false;
}

constexpr bool starts(const char *text, const char *prefix) {
  while (*prefix && *text == *prefix) text++, prefix++;
  return *prefix == '\0';
}

constexpr std::array<OpInfo, kOpKinds> kInfo = {{
#define ZMCHECK_OP_INFO(kind, text, api)                                                        \
  {#kind, text, api, mentions(text, "{s}"), mentions(text, "{n}"), mentions(text, "{m}"),      \
   mentions(text, "{k}"), starts(text, "{s} = "), starts(api, "ztry"), mentions(text, "&u")},
    ZMCHECK_OP_CATALOGUE(ZMCHECK_OP_INFO)
#undef ZMCHECK_OP_INFO
}};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Collapses runs of blanks into one space.
std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool blank = c == ' ' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out.push_back(blank ? ' ' : c);
  }
  return out;
}

bool parse_decimal(std::string_view text, uint64_t *value) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, uint64_t(c - '0'), &v)) return false;
  }
  *value = v;
  return true;
}

// Matches the squeezed line against one catalogue text; fills op on success.
bool match(std::string_view line, const char *pattern, Op *op) {
  bool slot_seen = false;
  const char *p = pattern;
  size_t i = 0;
  while (*p) {
    if (*p == '{') {
      char field = p[1];
      p += 3;  // "{x}"
      size_t start = i;
      auto value_char = [&](char c) {
        bool size_field = field == 'n' || field == 'm';
        return size_field ? (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '_' ||
                                c == '/' || c == '+' || c == '-'
                          : (c >= '0' && c <= '9') || (field == 's' && c == 's' && i == start);
      };
      while (i < line.size() && value_char(line[i])) i++;
      std::string_view value = line.substr(start, i - start);
      uint64_t v;
      switch (field) {
        case 's':
          if (value.size() < 2 || value[0] != 's' || !parse_decimal(value.substr(1), &v) || v >= kSlots)
            return false;
          if (slot_seen && op->slot != v) return false;
          op->slot = static_cast<uint8_t>(v);
          slot_seen = true;
          break;
        case 'n':
          if (!parse_size(value, &op->size)) return false;
          break;
        case 'm':
          if (!parse_size(value, &op->count)) return false;
          break;
        case 'k':
          if (!parse_decimal(value, &v) || v > 255) return false;
          op->k = static_cast<uint8_t>(v);
          break;
        default:
          return false;
      }
      continue;
    }
    if (*p == ' ') {  // one pattern space: zero or one space in the line
      if (i < line.size() && line[i] == ' ') i++;
      p++;
      continue;
    }
    if (i < line.size() && line[i] == ' ') i++;  // a space the pattern does not have
    if (i >= line.size() || line[i] != *p) return false;
    i++;
    p++;
  }
  return i == line.size();
}

}  // namespace

const OpInfo &info(OpKind kind) { return kInfo[static_cast<size_t>(kind)]; }

bool is_realloc(OpKind kind) {
  return kind == OpKind::realloc || kind == OpKind::try_realloc || kind == OpKind::realloc_usable ||
         kind == OpKind::try_realloc_usable;
}

bool is_calloc(OpKind kind) {
  return kind == OpKind::calloc || kind == OpKind::calloc_num || kind == OpKind::try_calloc ||
         kind == OpKind::calloc_usable || kind == OpKind::try_calloc_usable;
}

bool stores_block(OpKind kind) { return info(kind).stores_block; }

bool is_try(OpKind kind) { return info(kind).is_try; }

bool has_usable_out(OpKind kind) { return info(kind).has_usable_out; }

std::string size_text(uint64_t n) {
  constexpr uint64_t kMax = UINT64_MAX;
  constexpr uint64_t kHalf = UINT64_MAX / 2;
  if (n == kMax) return "SIZE_MAX";
  if (n >= kMax - 64) return "SIZE_MAX-" + std::to_string(kMax - n);
  if (n == kHalf) return "SIZE_MAX/2";
  if (n > kHalf && n <= kHalf + 64) return "SIZE_MAX/2+" + std::to_string(n - kHalf);
  if (n < kHalf && n >= kHalf - 64) return "SIZE_MAX/2-" + std::to_string(kHalf - n);
  return std::to_string(n);
}

bool parse_size(std::string_view text, uint64_t *n) {
  uint64_t base = 0;
  if (starts_with(text, "SIZE_MAX/2")) {
    base = UINT64_MAX / 2;
    text.remove_prefix(10);
  } else if (starts_with(text, "SIZE_MAX")) {
    base = UINT64_MAX;
    text.remove_prefix(8);
  } else {
    return parse_decimal(text, n);
  }
  if (text.empty()) {
    *n = base;
    return true;
  }
  uint64_t delta;
  if (text.size() < 2 || !parse_decimal(text.substr(1), &delta)) return false;
  if (text[0] == '-' && delta <= base) {
    *n = base - delta;
    return true;
  }
  if (text[0] == '+' && delta <= UINT64_MAX - base) {
    *n = base + delta;
    return true;
  }
  return false;
}

std::string op_text(const Op &op, bool threaded) {
  std::string out;
  if (threaded) out = "T" + std::to_string(op.thread) + ": ";
  for (const char *p = info(op.kind).text; *p; p++) {
    if (*p != '{') {
      out.push_back(*p);
      continue;
    }
    switch (p[1]) {
      case 's': out += "s" + std::to_string(op.slot); break;
      case 'n': out += size_text(op.size); break;
      case 'm': out += size_text(op.count); break;
      case 'k': out += std::to_string(op.k); break;
    }
    p += 2;
  }
  if (op.preempt != 0) out += " @preempt " + std::to_string(op.preempt);
  return out;
}

bool parse_op(std::string_view line, Op *op, std::string *error) {
  size_t hash = line.find('#');
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  std::string text = squeeze(trim(line));
  std::string_view rest = text;
  Op parsed;
  if (rest.size() > 2 && rest[0] == 'T' && rest[1] >= '0' && rest[1] <= '9') {
    size_t colon = rest.find(':');
    uint64_t thread;
    if (colon == std::string_view::npos || !parse_decimal(rest.substr(1, colon - 1), &thread) ||
        thread >= 256) {
      *error = "a thread is written T<number>: ";
      return false;
    }
    parsed.thread = static_cast<uint8_t>(thread);
    rest = trim(rest.substr(colon + 1));
  }
  size_t at = rest.find(" @preempt ");
  if (at != std::string_view::npos) {
    uint64_t preempt;
    if (!parse_decimal(rest.substr(at + 10), &preempt) || preempt < 1 || preempt > kMaxPreempt) {
      *error = "@preempt takes 1 to " + std::to_string(kMaxPreempt);
      return false;
    }
    parsed.preempt = static_cast<uint8_t>(preempt);
    rest = rest.substr(0, at);
  }
  for (int i = 0; i < kOpKinds; i++) {
    Op candidate = parsed;
    candidate.kind = static_cast<OpKind>(i);
    if (match(rest, kInfo[i].text, &candidate)) {
      *op = candidate;
      return true;
    }
  }
  *error = "no op reads \"" + std::string(rest) + "\"";
  return false;
}

}  // namespace zmcheck
