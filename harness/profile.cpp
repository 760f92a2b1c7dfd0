// Profiles: parsing the key = value text.
#include "profile.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>

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

// A key that takes one of a few words: the words, and what each one sets.
struct WordKey {
  const char *key;
  std::vector<std::pair<const char *, std::function<void(Profile &)>>> words;
};

const std::vector<WordKey> &word_keys() {
  using A = Profile::Accounting;
  using R = Profile::ReallocZero;
  using H = Profile::Huge;
  static const std::vector<WordKey> keys = {
      {"accounting", {{"prefix", [](Profile &p) { p.accounting = A::prefix; }},
                      {"usable", [](Profile &p) { p.accounting = A::usable; }}}},
      {"request", {{"accounted", [](Profile &p) { p.request_rounded = true; }},
                   {"unrounded", [](Profile &p) { p.request_rounded = false; }}}},
      {"realloc_zero", {{"frees", [](Profile &p) { p.realloc_zero = R::frees; }},
                        {"resizes", [](Profile &p) { p.realloc_zero = R::resizes; }},
                        {"oom", [](Profile &p) { p.realloc_zero = R::oom; }}}},
      {"realloc_null_zero_oom", {{"handler", [](Profile &p) { p.realloc_null_zero_calls_handler = true; }},
                                 {"silent", [](Profile &p) { p.realloc_null_zero_calls_handler = false; }}}},
      {"huge", {{"fails", [](Profile &p) { p.huge = H::fails; }},
                {"backend", [](Profile &p) { p.huge = H::backend; }},
                {"skip", [](Profile &p) { p.huge = H::skip; }}}},
      {"huge_realloc", {{"keeps", [](Profile &p) { p.huge_realloc_frees = false; }},
                        {"frees", [](Profile &p) { p.huge_realloc_frees = true; }}}},
      {"calloc_num_zero_size", {{"succeeds", [](Profile &p) { p.calloc_num_zero_size_fails = false; }},
                                {"fails", [](Profile &p) { p.calloc_num_zero_size_fails = true; }}}},
      {"oom", {{"returns", [](Profile &p) { p.oom_fatal = false; }},
               {"fatal", [](Profile &p) { p.oom_fatal = true; }}}},
      {"strdup_oom", {{"returns", [](Profile &p) { p.strdup_oom_fatal = false; }},
                      {"fatal", [](Profile &p) { p.strdup_oom_fatal = true; }}}},
      {"free_usable_null", {{"zero", [](Profile &p) { p.free_usable_null_untouched = false; }},
                            {"untouched", [](Profile &p) { p.free_usable_null_untouched = true; }}}},
      {"failed_alloc_usable", {{"zero", [](Profile &p) { p.failed_alloc_usable_untouched = false; }},
                               {"untouched", [](Profile &p) { p.failed_alloc_usable_untouched = true; }}}},
      {"thread_safety", {{"always", [](Profile &p) { p.thread_safe_after_enable = false; }},
                         {"after_enable", [](Profile &p) { p.thread_safe_after_enable = true; }}}},
      {"wrapped_reads", {{"never", [](Profile &p) { p.reads_may_wrap = false; }},
                         {"transient", [](Profile &p) { p.reads_may_wrap = true; }}}},
      {"null_handler", {{"default", [](Profile &p) { p.null_handler_restores_default = true; }},
                        {"unchecked", [](Profile &p) { p.null_handler_restores_default = false; }}}},
      {"counter_reads", {{"synchronized", [](Profile &p) { p.racy_counter_reads = false; }},
                         {"racy", [](Profile &p) { p.racy_counter_reads = true; }}}},
  };
  return keys;
}

}  // namespace

uint64_t Profile::prefix_accounted(uint64_t n) const {
  uint64_t total = stored_size(n) + header;
  uint64_t rounded = granule > 1 ? (total + granule - 1) / granule * granule : total;
  return std::max(rounded, min_block);
}

bool Profile::prefix_wraps(uint64_t n) const {
  uint64_t stored = stored_size(n);
  return stored > UINT64_MAX - header || stored + header > UINT64_MAX - (granule > 1 ? granule - 1 : 0);
}

uint64_t Profile::backend_request(uint64_t n) const {
  if (accounting == Accounting::prefix) return request_rounded ? prefix_accounted(n) : stored_size(n) + header;
  return n == 0 ? 1 : n;
}

uint64_t Profile::prefix_usable(uint64_t n) const { return backend_request(n) - header; }

std::string Profile::oom_message_for(uint64_t n) const {
  std::string text = oom_message;
  size_t at = text.find("{n}");
  if (at != std::string::npos) text.replace(at, 3, std::to_string(n));
  return text;
}

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
    auto word_key = std::find_if(word_keys().begin(), word_keys().end(),
                                 [&](const WordKey &k) { return key == k.key; });
    if (word_key != word_keys().end()) {
      std::string choices;
      bool known = false;
      for (const auto &[word, set] : word_key->words) {
        choices += (choices.empty() ? "" : " or ") + std::string(word);
        if (value == word) set(p), known = true;
      }
      if (!known) return bad(std::string(key) + " is " + choices);
    } else if (key == "name") {
      p.name = std::string(value);
    } else if (key == "oom_message") {
      p.oom_message = std::string(value);
    } else if (key == "header" || key == "granule" || key == "min_block" || key == "zero_size" ||
               key == "calloc_num_overflow_size") {
      if (!parse_number(value, &number)) return bad(std::string(key) + " is a number");
      if (key == "header") p.header = number;
      if (key == "granule") p.granule = number;
      if (key == "min_block") p.min_block = number;
      if (key == "zero_size") p.zero_size = number;
      if (key == "calloc_num_overflow_size") p.calloc_num_overflow_size = number;
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
