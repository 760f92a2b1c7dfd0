// The mutant switch: ZM_MUTANT names one mutant of the catalogue; anything else stops
// the process before main with a message that says why.
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "testing/zmalloc_testing.h"

namespace {

[[noreturn]] void rerun_self_with_mutant(const char *name) {
  setenv("ZM_MUTANT", name, 1);
  execl("/proc/self/exe", "self", "--gtest_list_tests", static_cast<char *>(nullptr));
  _exit(99);
}

TEST(MutantSwitchDeathTest, AnUnknownNameStopsTheProcessWithExitCode2) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const char *why = zm_mutant_count() > 0 ? "unknown mutant ZM_MUTANT=no_such_mutant"
                                          : "this build has no mutants";
  EXPECT_EXIT(rerun_self_with_mutant("no_such_mutant"), testing::ExitedWithCode(2), why);
}

TEST(MutantSwitch, NoMutantIsActiveUnlessAsked) {
  if (std::getenv("ZM_MUTANT") != nullptr) GTEST_SKIP() << "ZM_MUTANT is set";
  EXPECT_STREQ(zm_mutant_active(), "");
}

TEST(MutantSwitch, EveryMutantHasAUniqueNameAndADescription) {
  std::set<std::string> names;
  for (size_t i = 0; i < zm_mutant_count(); i++) {
    ASSERT_NE(zm_mutant_name(i), nullptr);
    EXPECT_TRUE(names.insert(zm_mutant_name(i)).second) << zm_mutant_name(i);
    EXPECT_GT(std::string(zm_mutant_description(i)).size(), 10u) << zm_mutant_name(i);
  }
  EXPECT_EQ(zm_mutant_name(zm_mutant_count()), nullptr);
}

}  // namespace
