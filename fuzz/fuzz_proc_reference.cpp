// fuzz_proc_reference: the /proc parsers of src/proc_parse.h against the reference parser
// (harness/proc_reference.h) on arbitrary text, where they must agree exactly, and on
// valid text built from the input, where the answer is known: a stat line whose process
// name holds any bytes (spaces and parentheses too), smaps text with a known sum.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "proc_parse.h"
#include "proc_reference.h"

namespace {

const char *const kFields[] = {"Private_Dirty:", "Rss:", "Swap:", "Size:"};

[[noreturn]] void broken(const std::string &what, const std::string &text) {
  std::fprintf(stderr, "\n==== zmcheck: I8 parsers broken: %s\ntext (%zu bytes): \"", what.c_str(), text.size());
  for (unsigned char c : text) std::fprintf(stderr, c >= 32 && c < 127 && c != '"' ? "%c" : "\\x%02x", c);
  std::fprintf(stderr, "\"\n====\n");
  std::abort();
}

// Reads the input front to back; past its end every read gives 0.
struct Bytes {
  const uint8_t *data;
  size_t size;
  size_t at = 0;
  uint8_t byte() { return at < size ? data[at++] : 0; }
  uint64_t number(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = v << 8 | byte();
    return v;
  }
};

void compare_on(const std::string &text, const char *field) {
  std::vector<char> exact(text.begin(), text.end());  // a heap block of exactly the text: ASan sees overreads
  long long pages = -1;
  int found = zm_parse_stat_rss_pages(exact.data(), exact.size(), &pages);
  std::optional<long long> reference = zmcheck::reference_stat_rss_pages(text);
  if (found != reference.has_value() || (found && pages != *reference))
    broken("stat rss: parser says " + (found ? std::to_string(pages) : std::string("none")) +
               ", the reference " + (reference ? std::to_string(*reference) : std::string("none")),
           text);
  size_t bytes = zm_parse_smaps_field_bytes(exact.data(), exact.size(), field, std::strlen(field));
  size_t expected = zmcheck::reference_smaps_field_bytes(text, field);
  if (bytes != expected)
    broken(std::string("smaps ") + field + " parser says " + std::to_string(bytes) + ", the reference " +
               std::to_string(expected),
           text);
}

void known_stat_line(Bytes &in) {
  std::string name;
  for (int length = in.byte() % 24; length > 0; length--) {
    char c = static_cast<char>(in.byte());
    name.push_back(c == '\0' ? ' ' : c);
  }
  long long rss = static_cast<long long>(in.number(8) >> 1);
  std::string line = std::to_string(in.number(2)) + " (" + name + ") " + "RSDZT"[in.byte() % 5];
  for (int field = 4; field <= 23; field++) line += " " + std::to_string(in.number(in.byte() % 9));
  line += " " + std::to_string(rss);
  for (int more = in.byte() % 4; more > 0; more--) line += " " + std::to_string(in.number(2));
  if (in.byte() & 1) line += "\n";
  std::vector<char> exact(line.begin(), line.end());
  long long pages = -1;
  if (!zm_parse_stat_rss_pages(exact.data(), exact.size(), &pages) || pages != rss)
    broken("stat rss of a valid line: expected " + std::to_string(rss) + ", parser says " + std::to_string(pages), line);
}

void known_smaps(Bytes &in) {
  const char *field = kFields[in.byte() % 4];
  std::string text;
  size_t sum = 0;
  for (int lines = in.byte() % 16; lines > 0; lines--) {
    uint64_t kb = in.number(1 + in.byte() % 8);  // up to 2^64 - 1 kB: the sum saturates
    const char *name = kFields[in.byte() % 4];
    text += std::string(name) + std::string(1 + in.byte() % 8, in.byte() & 1 ? ' ' : '\t') +
            std::to_string(kb) + " kB\n";
    uint64_t bytes;
    if (std::string(name) != field) continue;
    if (__builtin_mul_overflow(kb, 1024, &bytes) || bytes > SIZE_MAX - sum)
      sum = SIZE_MAX;
    else
      sum += bytes;
  }
  size_t bytes = zm_parse_smaps_field_bytes(text.data(), text.size(), field, std::strlen(field));
  if (bytes != sum)
    broken(std::string("smaps ") + field + " of valid text: expected " + std::to_string(sum) + ", parser says " +
               std::to_string(bytes),
           text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  compare_on(std::string(reinterpret_cast<const char *>(data) + 1, size - 1), kFields[data[0] % 4]);
  Bytes in{data, size};
  known_stat_line(in);
  known_smaps(in);
  return 0;
}
