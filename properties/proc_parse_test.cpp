// The /proc stat parser reads the rss field of any valid line, whatever bytes the
// process name holds (spaces and parentheses included), and agrees with the reference
// parser on any text at all.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <optional>

#include <string>
#include <vector>

#include "isolation.h"
#include "proc_parse.h"
#include "proc_reference.h"

namespace zmcheck {
namespace {

std::string stat_line(const std::string &name, const std::vector<uint32_t> &fields, long long rss) {
  std::string line = "4242 (" + name + ") S";
  for (uint32_t f : fields) line += " " + std::to_string(f);
  return line + " " + std::to_string(rss) + " 18446744073709551615 1 1\n";
}

TEST(ProcStat, RssOfAnyValidLineWhateverTheProcessName) {
  EXPECT_TRUE(rc::check("the rss field of a valid stat line, any process name", [] {
    std::string name = *rc::gen::container<std::string>(
        rc::gen::weightedOneOf<char>({{3, rc::gen::elementOf(std::string(" ()"))}, {5, rc::gen::inRange<char>(33, 127)}}));
    std::vector<uint32_t> fields = *rc::gen::container<std::vector<uint32_t>>(20, rc::gen::arbitrary<uint32_t>());
    long long rss = *rc::gen::inRange<long long>(0, 1LL << 40);
    check_isolated([&] {
      std::string line = stat_line(name, fields, rss);
      long long pages = -1;
      int found = zm_parse_stat_rss_pages(line.data(), line.size(), &pages);
      require(found && pages == rss, "I8 parsers: the stat parser on \"" + line + "\"", std::to_string(rss),
              found ? std::to_string(pages) : std::string("no rss"));
    });
  }));
}

TEST(ProcStat, AgreesWithTheReferenceOnAnyText) {
  EXPECT_TRUE(rc::check("the stat parser and the reference agree on any text", [] {
    std::string text = *rc::gen::container<std::string>(rc::gen::elementOf(std::string("0123456789 ()\nSx")));
    check_isolated([&] {
      long long pages = -1;
      int found = zm_parse_stat_rss_pages(text.data(), text.size(), &pages);
      std::optional<long long> reference = reference_stat_rss_pages(text);
      require(found == reference.has_value() && (!found || pages == *reference), "I8 parsers: the stat parser on \"" + text + "\"",
              reference ? std::to_string(*reference) : std::string("no rss"), found ? std::to_string(pages) : std::string("no rss"));
    });
  }));
}

TEST(Smaps, AgreesWithTheReferenceOnAnyFieldLines) {
  EXPECT_TRUE(rc::check("the smaps parser and the reference agree on field lines of any value", [] {
    std::vector<uint64_t> values = *rc::gen::container<std::vector<uint64_t>>(
        rc::gen::weightedOneOf<uint64_t>({{4, rc::gen::inRange<uint64_t>(0, 100000)}, {1, rc::gen::arbitrary<uint64_t>()}}));
    check_isolated([&] {
      std::string text;
      for (uint64_t kb : values) text += "Private_Dirty:   " + std::to_string(kb) + " kB\nRss: 4 kB\n";
      size_t parsed = zm_parse_smaps_field_bytes(text.data(), text.size(), "Private_Dirty:", 14);
      size_t reference = reference_smaps_field_bytes(text, "Private_Dirty:");
      require(parsed == reference, "I8 parsers: the smaps parser on \"" + text.substr(0, 200) + "\"",
              std::to_string(reference), std::to_string(parsed));
    });
  }));
}

}  // namespace
}  // namespace zmcheck
