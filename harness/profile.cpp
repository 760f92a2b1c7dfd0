// Profiles: parsing the key = value text.
#include "profile.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace zmcheck {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::strchr(" \t\r", s.front())) s.remove_prefix(1);
  while (!s.empty() && std::strchr(" \t\r", s.back())) s.remove_suffix(1);
  return s;
}

bool parse_number(std::string_view text, uint64_t *value) {
  if (text == "SIZE_MAX") {
    *value = UINT64_MAX;
    return true;
  }
  if (text.empty() || text.size() > 19) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *value = v;
  return true;
}

bool op_kind_named(std::string_view name, OpKind *kind) {
  for (int i = 0; i < kOpKinds; i++)
    if (name == info(static_cast<OpKind>(i)).name) return *kind = static_cast<OpKind>(i), true;
  return false;
}

}  // namespace

uint64_t Profile::prefix_accounted(uint64_t n) const {
  uint64_t total = n + header;
  uint64_t rounded = granule > 1 ? (total + granule - 1) / granule * granule : total;
  return std::max(rounded, min_block);
}

uint64_t Profile::backend_request(uint64_t n) const {
  if (accounting == Accounting::prefix) return request_rounded ? prefix_accounted(n) : n + header;
  return n == 0 ? 1 : n;
}

uint64_t Profile::prefix_usable(uint64_t n) const { return backend_request(n) - header; }

bool Profile::excludes(OpKind kind) const {
  return std::find(excluded.begin(), excluded.end(), kind) != excluded.end();
}

bool parse_profile(std::string_view text, Profile *profile, std::string *error) {
  Profile p;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    line_number++;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    size_t equals = line.find('=');
    auto bad = [&](const std::string &why) {
      *error = "profile line " + std::to_string(line_number) + ": " + why;
      return false;
    };
    if (equals == std::string_view::npos) return bad("expected key = value");
    std::string_view key = trim(line.substr(0, equals));
    std::string_view value = trim(line.substr(equals + 1));
    uint64_t number = 0;
    if (key == "name") {
      p.name = std::string(value);
    } else if (key == "accounting") {
      if (value == "prefix") p.accounting = Profile::Accounting::prefix;
      else if (value == "usable") p.accounting = Profile::Accounting::usable;
      else return bad("accounting is prefix or usable");
    } else if (key == "header" || key == "granule" || key == "min_block" ||
               key == "calloc_num_overflow_size") {
      if (!parse_number(value, &number)) return bad(std::string(key) + " is a number");
      if (key == "header") p.header = number;
      if (key == "granule") p.granule = number;
      if (key == "min_block") p.min_block = number;
      if (key == "calloc_num_overflow_size") p.calloc_num_overflow_size = number;
    } else if (key == "realloc_zero") {
      if (value == "frees") p.realloc_zero = Profile::ReallocZero::frees;
      else if (value == "resizes") p.realloc_zero = Profile::ReallocZero::resizes;
      else return bad("realloc_zero is frees or resizes");
    } else if (key == "request") {
      if (value == "accounted") p.request_rounded = true;
      else if (value == "unrounded") p.request_rounded = false;
      else return bad("request is accounted or unrounded");
    } else if (key == "huge") {
      if (value == "fails") p.huge_fails = true;
      else if (value == "skip") p.huge_fails = false;
      else return bad("huge is fails or skip");
    } else if (key == "huge_realloc") {
      if (value == "keeps") p.huge_realloc_frees = false;
      else if (value == "frees") p.huge_realloc_frees = true;
      else return bad("huge_realloc is keeps or frees");
    } else if (key == "calloc_num_zero_size") {
      if (value == "succeeds") p.calloc_num_zero_size_fails = false;
      else if (value == "fails") p.calloc_num_zero_size_fails = true;
      else return bad("calloc_num_zero_size is succeeds or fails");
    } else if (key == "exclude") {
      while (!value.empty()) {
        size_t comma = value.find(',');
        std::string_view name = trim(value.substr(0, comma));
        OpKind kind;
        if (!op_kind_named(name, &kind)) return bad("no op is named '" + std::string(name) + "'");
        p.excluded.push_back(kind);
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
      }
    } else {
      return bad("unknown key '" + std::string(key) + "'");
    }
  }
  if (p.granule == 0) p.granule = 1;
  *profile = p;
  return true;
}

}  // namespace zmcheck
