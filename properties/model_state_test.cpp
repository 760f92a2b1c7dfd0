// The stateful model test: RapidCheck generates op sequences over every op of the op
// language (try and usable variants, calloc_num, realloc to 0 and from NULL, huge sizes,
// injected failures) from the model's state; each op's return value and out-parameters
// and I1-I5 are checked after every step. A failure shrinks to the shortest sequence
// and is shown as a trace, one op per line.
#include <gtest/gtest.h>

#include "isolation.h"
#include "op_generators.h"
#include "profile.h"
#include "runner.h"
#include "sut.h"

namespace zmcheck {
namespace {

TEST(ModelState, EveryOpSequenceKeepsTheContractAndTheTotalExactAfterEveryStep) {
  const Dialect &dialect = *find_dialect("ops");
  ClassTally tally;
  int cases = 0;
  bool held = rc::check("every op sequence keeps the contract, I1-I5 after every step", [&] {
    OpCommands commands = *gen_commands(dialect);
    std::vector<std::string> classes = classes_of(to_program(commands));
    RC_TAG(largest_size_class(classes));
    tally.add(classes);
    cases++;
    check_isolated([&] {
      Executor executor(sut(), built_in_profile(), OnCheckFailure::throw_exception);
      CaseRunner runner{executor};
      executor.begin();
      rc::state::runAll(commands, CaseState::initial(dialect), runner);
      executor.end();
    });
  });
  ASSERT_TRUE(held);  // the class check below is about a property that held
  std::printf("%s", tally.summary(cases).c_str());
  // The classes this allocator can be in: an older one has no zcalloc_num (no calloc
  // overflow), one whose profile says huge = skip is never given a huge size, and one
  // whose every failure is fatal (oom = fatal, no try function) is never made to fail.
  const Profile &profile = built_in_profile();
  bool failures_run = runnable(OpKind::fail_next);
  std::vector<std::string> important{"size 0"};
  if (failures_run) important.insert(important.end(), {"failure path", "injected failure"});
  if (profile.huge != Profile::Huge::skip && failures_run) important.push_back("huge size");
  if (profile.huge != Profile::Huge::skip && runnable(OpKind::calloc_num) && !profile.oom_fatal)
    important.push_back("calloc overflow");
  if (runnable(OpKind::realloc)) important.insert(important.end(), {"realloc to 0", "realloc from NULL"});
  if (runnable(OpKind::enable_thread_safeness)) important.push_back("mode switch");
  std::vector<std::string> missing = tally.missing(important);
  EXPECT_TRUE(missing.empty()) << "no case of the property was in class \"" << (missing.empty() ? "" : missing[0])
                               << "\": it proved nothing about it";
}

TEST(ModelState, FailureHeavySequencesKeepTheContract) {
  const Dialect &dialect = *find_dialect("failures");
  bool held = rc::check("failure-heavy op sequences keep the contract", [&] {
    Program program = to_program(*gen_commands(dialect));
    RC_TAG(largest_size_class(classes_of(program)));
    check_isolated([&] {
      run_case(program, false, sut(), built_in_profile(), {OnCheckFailure::throw_exception, "", false});
    });
  });
  EXPECT_TRUE(held);
}

}  // namespace
}  // namespace zmcheck
