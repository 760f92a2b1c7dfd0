// The /proc parsers on hand-written text: names with spaces and parentheses, bad fields.
#include <string>

#include <gtest/gtest.h>

#include "proc_parse.h"

namespace {

std::string stat_line(const std::string &name, const std::string &rss) {
  // pid (name) state, then fields 4..23, then rss (24) and a few more.
  std::string line = "4242 (" + name + ") S";
  for (int field = 4; field <= 23; field++) line += " " + std::to_string(field * 11);
  return line + " " + rss + " 18446744073709551615 1 1 0 0\n";
}

long long rss_of(const std::string &text) {
  long long pages = -1;
  return zm_parse_stat_rss_pages(text.data(), text.size(), &pages) ? pages : -1;
}

TEST(ProcStat, ReadsRssFromAPlainLine) { EXPECT_EQ(rss_of(stat_line("redis-server", "1234")), 1234); }

TEST(ProcStat, ProcessNamesWithSpacesAndParenthesesDoNotShiftTheFields) {
  for (std::string name : {"a b", "  ", "x) (y", "(", ")", ") 1 2 3 (", "tmux: server", "a\nb"})
    EXPECT_EQ(rss_of(stat_line(name, "777")), 777) << "name: '" << name << "'";
}

TEST(ProcStat, RejectsTextWithoutAnRssField) {
  EXPECT_EQ(rss_of(""), -1);
  EXPECT_EQ(rss_of("4242 redis S 1 2 3"), -1);
  EXPECT_EQ(rss_of("4242 (redis) S 1 2 3"), -1);
  EXPECT_EQ(rss_of(stat_line("redis", "-5")), -1);
  EXPECT_EQ(rss_of(stat_line("redis", "12x")), -1);
  EXPECT_EQ(rss_of(stat_line("redis", "99999999999999999999999")), -1);
}

TEST(ProcStat, RssMayEndTheText) {
  std::string line = stat_line("r", "98765");
  line = line.substr(0, line.find(" 98765 ") + 6);
  EXPECT_EQ(rss_of(line), 98765);
}

size_t smaps(const std::string &text, const std::string &field) {
  return zm_parse_smaps_field_bytes(text.data(), text.size(), field.data(), field.size());
}

TEST(Smaps, SumsTheFieldOverAllMappingsInBytes) {
  std::string text =
      "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/redis-server\n"
      "Size:                328 kB\n"
      "Private_Dirty:        12 kB\n"
      "Private_Clean:         4 kB\n"
      "7f0000000000-7f0000021000 rw-p 00000000 00:00 0\n"
      "Private_Dirty:\t3 kB\n"
      "Private_Dirty:        10 kB";
  EXPECT_EQ(smaps(text, "Private_Dirty:"), 25u * 1024);
  EXPECT_EQ(smaps(text, "Private_Clean:"), 4u * 1024);
  EXPECT_EQ(smaps(text, "Swap:"), 0u);
}

TEST(Smaps, IgnoresLinesOfAnotherForm) {
  EXPECT_EQ(smaps("Private_Dirty: 12 MB\n", "Private_Dirty:"), 0u);
  EXPECT_EQ(smaps("Private_Dirty:12 kB\n", "Private_Dirty:"), 0u);
  EXPECT_EQ(smaps("Private_Dirty: 12 kB extra\n", "Private_Dirty:"), 0u);
  EXPECT_EQ(smaps(" Private_Dirty: 12 kB\n", "Private_Dirty:"), 0u);
  EXPECT_EQ(smaps("Private_Dirty: kB\n", "Private_Dirty:"), 0u);
}

TEST(Smaps, SaturatesInsteadOfWrapping) {
  EXPECT_EQ(smaps("F: 18446744073709551615 kB\nF: 1 kB\n", "F:"), SIZE_MAX);
}

}  // namespace
