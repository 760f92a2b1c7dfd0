// What a profile accepts is tallied, written once and gathered from forked cases.
#include "accepted.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace zmcheck {
namespace {

TEST(Accepted, NothingAcceptedWritesNothing) {
  forget_accepted();
  EXPECT_EQ(accepted_lines(), "");
}

TEST(Accepted, WrappedReadsAddUpAndKeepTheLargest) {
  forget_accepted();
  accept_wrapped_reads(2, 18446744073709551600u);
  accept_wrapped_reads(1, 18446744073709551608u);
  accept_wrapped_reads(0, 18446744073709551615u);  // no read: not the largest either
  EXPECT_EQ(accepted_lines(),
            "zmcheck accepted: wrapped_reads = transient: 3 wrapped reads of used_memory, the largest "
            "18446744073709551608\n");
}

TEST(Accepted, AForkedCaseIsGatheredLinesAndThreadSanitizersOwnList) {
  forget_accepted();
  absorb_accepted(
      "case output\n"
      "zmcheck accepted: wrapped_reads = transient: 4 wrapped reads of used_memory, the largest 18446744073709551612\n"
      "ThreadSanitizer: Matched 3 suppressions (pid=77):\n"
      "3 race:zmalloc_used_memory\n"
      "[the case exited with status 0]\n"
      "zmcheck accepted: counter_reads = racy: 2 ThreadSanitizer reports suppressed (race:zmalloc_used_memory)\n");
  EXPECT_EQ(accepted_lines(),
            "zmcheck accepted: wrapped_reads = transient: 4 wrapped reads of used_memory, the largest "
            "18446744073709551612\n"
            "zmcheck accepted: counter_reads = racy: 5 ThreadSanitizer reports suppressed (race:zmalloc_used_memory)\n");
  forget_accepted();
  EXPECT_EQ(accepted_lines(), "");
}

TEST(Accepted, WrittenOnceToTheFileNamedByTheEnvironment) {
  forget_accepted();
  std::string path = ::testing::TempDir() + "zmcheck-accepted-test.txt";
  std::remove(path.c_str());
  setenv("ZMCHECK_ACCEPTED", path.c_str(), 1);
  accept_wrapped_reads(1, 18446744073709551608u);
  write_accepted();
  write_accepted();  // the tallies were cleared: nothing more
  unsetenv("ZMCHECK_ACCEPTED");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "zmcheck accepted: wrapped_reads = transient: 1 wrapped reads of used_memory, the largest "
            "18446744073709551608\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace zmcheck
