// Threads. Under the deterministic scheduler: generated per-thread programs with
// hand-offs (any thread frees any block), thread exits holding blocks, more threads than
// the slot table and ops parked inside the allocator stay exact at every quiescent
// point, and a failure replays from its RC_PARAMS and shrinks to few threads and ops.
// Free-running: threads churn and free each other's blocks at full speed while a reader
// sums; exact after the joins, no read ever wrapped (run it under the tsan preset).
// An allocator without preemption points (another team's) runs the scheduled programs
// one whole op at a time: the free-running property is what interleaves inside its
// counter, and the claims about ops parked inside the allocator are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "free_running.h"
#include "isolation.h"
#include "op_generators.h"
#include "profile.h"
#include "runner.h"
#include "storm.h"
#include "sut.h"

namespace zmcheck {
namespace {

TEST(Threads, ScheduledThreadProgramsAreExactAtEveryQuiescentPoint) {
  const Dialect &dialect = *find_dialect("threads");
  ClassTally tally;
  int cases = 0;
  bool held = rc::check("threaded programs under the scheduler stay exact", [&] {
    Program program = to_program(*gen_commands(dialect));
    std::vector<std::string> classes = classes_of(program);
    RC_TAG(largest_size_class(classes));
    tally.add(classes);
    cases++;
    check_isolated([&] {
      run_case(program, true, sut(), built_in_profile(), {OnCheckFailure::throw_exception, "", false});
    });
  });
  ASSERT_TRUE(held);  // the class check below is about a property that held
  std::printf("%s", tally.summary(cases).c_str());
  std::vector<std::string> important{"cross-thread free", "thread exits holding blocks"};
  if (sut().zm_test_set_thread_slots != nullptr) {
    important.push_back("more threads than slots");
    std::printf("zmcheck coverage: threads beyond the slot table (set to %u): %d of %d cases\n",
                kThreadSlotsUnderTest, tally.count("more threads than slots"), cases);
  } else {
    std::printf("zmcheck coverage: the slot table cannot be shrunk (no zm_test_set_thread_slots): threads go "
                "beyond it only in a storm\n");
  }
  if (sut().preemptible())
    important.push_back("parked op");
  else
    std::printf("no preemption points in this allocator: every op ran whole (see the free-running property)\n");
  std::vector<std::string> missing = tally.missing(important);
  EXPECT_TRUE(missing.empty()) << "no case was in class \"" << (missing.empty() ? "" : missing[0])
                               << "\": the property proved nothing about it";
}

// n workers spawned, and every thread (T0 too) holding a block: all of them attached to
// the counter, the ones beyond the slot table on the overflow counter.
Program attached_threads(int n) {
  Program prelude;
  for (int t = 1; t <= n; t++) prelude.push_back(Op{.kind = OpKind::spawn, .thread = static_cast<uint8_t>(t)});
  for (int t = 0; t <= n; t++)
    prelude.push_back(Op{.kind = OpKind::malloc, .slot = static_cast<uint8_t>(t), .size = 8, .thread = static_cast<uint8_t>(t)});
  return prelude;
}

// A mix for the states below: mostly allocations, frees and reads, many parked.
constexpr Dialect kMovingBlocks = {"moving blocks", true, [] {
  std::array<uint8_t, kOpKinds> w{};
  w[static_cast<size_t>(OpKind::malloc)] = 8;
  w[static_cast<size_t>(OpKind::realloc)] = 3;
  w[static_cast<size_t>(OpKind::free)] = 8;
  w[static_cast<size_t>(OpKind::read_used)] = 6;
  w[static_cast<size_t>(OpKind::check)] = 1;
  return w;
}()};

void check_programs_after(const Program &prelude, const char *claim) {
  bool held = rc::check(claim, [&] {
    Program program = to_program(*gen_commands(kMovingBlocks, prelude), prelude);
    RC_TAG(largest_size_class(classes_of(program)));
    check_isolated([&] {
      run_case(program, true, sut(), built_in_profile(), {OnCheckFailure::throw_exception, "", false});
    });
  });
  EXPECT_TRUE(held);
}

TEST(Threads, ThreadsBeyondTheSlotTableLoseNoUpdate) {
  check_programs_after(attached_threads(5), "five workers, three of them beyond the slot table, lose no update");
}

TEST(Threads, AStormOfThreadsBeyondAnyCounterTableIsExactAtItsBarrier) {
  Program prelude = attached_threads(2);
  prelude.push_back(Op{.kind = OpKind::storm});
  int reached = 0;
  bool held = rc::check("a storm of threads, more than any counter table, is exact at its barrier and after", [&] {
    Program program = to_program(*gen_commands(kMovingBlocks, prelude), prelude);
    // How many threads the storm held alive travels back from the isolated case.
    CaseOutcome outcome = run_isolated([&] {
      run_case(program, true, sut(), built_in_profile(), {OnCheckFailure::throw_exception, "", false});
      std::printf("storm of %d threads\n", storm_threads_reached());
    });
    if (!outcome.passed) RC_FAIL(outcome.report);
    int n = storm_threads_reached();
    const char *line = std::strstr(outcome.report.c_str(), "storm of ");
    if (line != nullptr) std::sscanf(line, "storm of %d threads", &n);
    reached = std::max(reached, n);
  });
  EXPECT_TRUE(held);
  if (held)
    std::printf("zmcheck coverage: threads beyond the counter table: storms of %d threads alive at once (Redis 8's "
                "table has 16 slots, Valkey 8's 20)\n",
                reached);
  EXPECT_GE(reached, storm_threads()) << "no storm ran";
}

TEST(Threads, AReaderParkedMidSumNeverSeesAWrappedTotal) {
  if (!sut().preemptible())
    GTEST_SKIP() << "no preemption points in this allocator: no reader can be parked mid-sum "
                    "(the free-running property reads while threads run)";
  check_programs_after(attached_threads(2), "reads while blocks move between threads never wrap");
}

TEST(Threads, FreeRunningThreadsAreExactAfterTheJoinsAndNeverReadWrapped) {
  uint64_t cross_thread_frees = 0;
  uint64_t left_behind = 0;
  bool held = rc::check("free-running threads: exact after the joins, no wrapped read", [&] {
    FreeRunningPlan plan;
    plan.threads = *rc::gen::inRange(2, 7);
    plan.generations = *rc::gen::inRange(1, 4);
    plan.ops_per_worker = *rc::gen::inRange(20, 400);
    plan.handoff_percent = *rc::gen::inRange(0, 101);
    plan.sizes = *rc::gen::nonEmpty(rc::gen::container<std::vector<uint32_t>>(rc::gen::inRange<uint32_t>(0, 300)));
    RC_CLASSIFY(plan.threads * plan.generations > 3, "more threads than slots");
    RC_CLASSIFY(plan.handoff_percent > 0, "cross-thread frees");
    // The counts travel back from the isolated case through its report.
    CaseOutcome outcome = run_isolated([&] {
      FreeRunningResult r = run_free_running(sut(), built_in_profile(), plan);
      FreeRunningVerdict verdict = judge(r, built_in_profile());
      require(verdict.held(), verdict.invariant + " (" + plan_text(plan) + ")", verdict.expected, verdict.seen, verdict.why);
      std::printf("cross-thread frees %llu, left behind %llu\n", static_cast<unsigned long long>(r.cross_thread_frees),
                  static_cast<unsigned long long>(r.blocks_left_by_exited_threads));
    });
    if (!outcome.passed) RC_FAIL(outcome.report);
    unsigned long long frees = 0, left = 0;
    if (std::sscanf(outcome.report.c_str(), "cross-thread frees %llu, left behind %llu", &frees, &left) == 2) {
      cross_thread_frees += frees;
      left_behind += left;
    }
  });
  EXPECT_TRUE(held);
  EXPECT_GT(cross_thread_frees, 0u) << "no block was freed by a thread other than its maker";
  EXPECT_GT(left_behind, 0u) << "no thread exited holding blocks";
}

}  // namespace
}  // namespace zmcheck
