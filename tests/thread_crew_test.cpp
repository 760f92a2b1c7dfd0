// The thread crew (harness/thread_crew.h): a kept thread is new to the allocator, a thread
// the program ends really exits, and without zmcheck's seam every thread exits.
#include "thread_crew.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <string>
#include <vector>

#include "sut.h"

namespace zmcheck {
namespace {

// A pthread key whose destructor, run at a thread's exit, counts the exit.
std::atomic<int> exits_seen{0};
pthread_key_t exit_key;
void count_exit(void *) { exits_seen.fetch_add(1); }
const bool exit_key_made = pthread_key_create(&exit_key, count_exit) == 0;
void mark_for_exit() { pthread_setspecific(exit_key, &exit_key); }

TEST(ThreadCrew, AKeptThreadHoldsNoSlotAndIsHandedOutAgain) {
  ASSERT_NE(sut().zm_test_forget_thread, nullptr);
  void *block = nullptr;
  CrewThread first(sut(), [&] { block = sut().zmalloc(40); });  // takes a slot of the table
  first.finish();
  EXPECT_EQ(sut().zm_test_reset_counters(), 0) << "the kept thread still holds its slot";
  const CrewCounts before = crew_counts();
  CrewThread second(sut(), [&] {
    sut().zfree(block);
    block = sut().zmalloc(8);  // attaches again, as a new thread would
  });
  second.finish();
  EXPECT_EQ(crew_counts().reused, before.reused + 1);
  EXPECT_EQ(crew_counts().started, before.started);
  EXPECT_EQ(sut().zm_test_reset_counters(), 0);
  sut().zfree(block);
}

TEST(ThreadCrew, AThreadEndedByExitRunsItsExitHandlersAndAKeptOneDoesNot) {
  ASSERT_TRUE(exit_key_made);
  int seen = exits_seen.load();
  CrewThread kept(sut(), mark_for_exit);
  kept.finish();
  EXPECT_EQ(exits_seen.load(), seen) << "a kept thread exited";
  std::atomic<bool> may_return{false};
  CrewThread ended(sut(), [&] {
    mark_for_exit();
    while (!may_return.load()) sched_yield();  // exit_when_done() comes while it runs
  });
  ended.exit_when_done();
  may_return.store(true);
  ended.finish();
  EXPECT_EQ(exits_seen.load(), seen + 1) << "exit_when_done() did not run the thread's exit handlers";
}

TEST(ThreadCrew, WithoutTheSeamToForgetAThreadEveryThreadExits) {
  Sut without_seam = sut();
  without_seam.zm_test_forget_thread = nullptr;
  int seen = exits_seen.load();
  const CrewCounts before = crew_counts();
  for (int i = 0; i < 3; i++) {
    CrewThread t(without_seam, mark_for_exit);
    t.finish();
  }
  EXPECT_EQ(exits_seen.load(), seen + 3);
  EXPECT_EQ(crew_counts().started, before.started + 3);
  EXPECT_EQ(crew_counts().reused, before.reused);
}

// An allocator without the seam, of which the build read the objects (Sut::thread_state).
const Sut &without_seam_with_thread_state(std::vector<const char *> thread_state) {
  auto *s = new Sut(sut());  // kept threads hold on to it: never freed
  s->zm_test_forget_thread = nullptr;
  s->thread_state_known = true;
  s->thread_state = std::move(thread_state);
  return *s;
}

TEST(ThreadCrew, WithoutTheSeamThreadsAreKeptOnlyWhereTheAllocatorHasNoPerThreadState) {
  const Sut &stateless = without_seam_with_thread_state({});
  ASSERT_TRUE(keeps_threads(stateless));
  int seen = exits_seen.load();
  CrewCounts before = crew_counts();
  for (int i = 0; i < 3; i++) {
    CrewThread t(stateless, mark_for_exit);
    t.finish();
  }
  EXPECT_EQ(exits_seen.load(), seen) << "a thread of an allocator without per-thread state exited";
  EXPECT_EQ(crew_counts().started, before.started + 1);
  EXPECT_EQ(crew_counts().reused, before.reused + 2);
  EXPECT_NE(how_threads_are_kept(stateless).find("kept between cases"), std::string::npos);

  const Sut &stateful = without_seam_with_thread_state({"thread-local thread_index (zmalloc.c)"});
  EXPECT_FALSE(keeps_threads(stateful));
  seen = exits_seen.load();
  before = crew_counts();
  for (int i = 0; i < 2; i++) {
    CrewThread t(stateful, mark_for_exit);
    t.finish();
  }
  EXPECT_EQ(exits_seen.load(), seen + 2);
  EXPECT_EQ(crew_counts().started, before.started + 2);
  EXPECT_EQ(how_threads_are_kept(stateful),
            "new for every thread of a program: thread-local thread_index (zmalloc.c)");
}

TEST(ThreadCrew, AThreadRunsOnTheCpuItIsGivenAndAnywhereOnceAgainUnbound) {
  cpu_set_t process;
  ASSERT_EQ(sched_getaffinity(0, sizeof process, &process), 0);
  int cpu = 0;
  while (!CPU_ISSET(cpu, &process)) cpu++;
  cpu_set_t bound{}, unbound{};
  CrewThread pinned(sut(), [&] { pthread_getaffinity_np(pthread_self(), sizeof bound, &bound); }, cpu);
  pinned.finish();
  EXPECT_EQ(CPU_COUNT(&bound), 1);
  EXPECT_TRUE(CPU_ISSET(cpu, &bound));
  CrewThread free_again(sut(), [&] { pthread_getaffinity_np(pthread_self(), sizeof unbound, &unbound); });
  free_again.finish();
  EXPECT_TRUE(CPU_EQUAL(&unbound, &process));
}

}  // namespace
}  // namespace zmcheck
