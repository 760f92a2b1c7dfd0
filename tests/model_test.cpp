// The model's rule for storms (harness/model.h): a case runs its first storm and skips
// the later ones, which leave the injected failures as they were.
#include <gtest/gtest.h>

#include <string>

#include "model.h"

namespace zmcheck {
namespace {

TEST(Model, ACaseRunsOneStormAndSkipsTheNext) {
  Profile profile;
  Model model(profile, uint64_t{1} << 36);
  const Op storm{.kind = OpKind::storm};
  EXPECT_EQ(model.predict(storm).outcome, Outcome::succeeds);
  model.apply(Op{.kind = OpKind::fail_next, .k = 1});
  model.apply(storm);  // the first clears the injected failure: its threads allocate
  EXPECT_EQ(model.predict(Op{.kind = OpKind::malloc, .size = 8}).outcome, Outcome::succeeds);
  Prediction second = model.predict(storm);
  EXPECT_EQ(second.outcome, Outcome::skipped);
  EXPECT_NE(std::string(second.why).find("one storm per case"), std::string::npos);
  model.apply(Op{.kind = OpKind::fail_next, .k = 1});
  model.apply(storm);  // skipped: the failure stays
  EXPECT_EQ(model.predict(Op{.kind = OpKind::malloc, .size = 8}).outcome, Outcome::fails);
}

}  // namespace
}  // namespace zmcheck
