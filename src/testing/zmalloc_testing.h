/* zmalloc_testing.h -- test seams of zmalloc itself, present only in ZM_TESTING builds.
 * The harness uses them to reach inside the per-thread counter; an allocator that lacks
 * them is still testable, with free-running threads only. */
#ifndef ZMALLOC_TESTING_H
#define ZMALLOC_TESTING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Called at every preemption point inside the library (between the load and the store
 * of a counter update, between the slots a reader sums), with the point's name. A
 * deterministic scheduler uses it to switch threads there. NULL removes it. */
typedef void (*zm_preempt_hook)(const char *point);
void zm_test_set_preempt_hook(zm_preempt_hook hook);

/* Size of the per-thread slot table for threads that attach from now on, clamped to
 * [1, zm_test_thread_slots_max()]; threads beyond it share the overflow counter. Lets
 * a test run more threads than the table with a handful of threads. Returns the old size. */
unsigned zm_test_set_thread_slots(unsigned n);
unsigned zm_test_thread_slots_max(void);

/* Puts the counter table in the same state in every process: every slot's count moves
 * into the overflow counter (the total does not change), the calling thread holds slot
 * 0 and every other slot is free. A threaded test case that starts with it replays the
 * same way whatever ran before it. Only while no other thread holds a slot: returns -1
 * (and changes nothing) if one does, 0 otherwise. */
int zm_test_reset_counters(void);

/* Forgets the calling thread as its exit would: its slot is given back, count and all, and
 * its next call attaches it again, as a new thread's would. Lets a test hand one OS thread
 * to case after case, each seeing a thread the allocator has never met. Returns 0, or -1
 * if the exit hook cannot be reached (nothing changes). */
int zm_test_forget_thread(void);

/* The mutants compiled in (ZM_MUTANTS=ON; otherwise the count is 0) and the one that
 * ZM_MUTANT switched on ("" for none). */
size_t zm_mutant_count(void);
const char *zm_mutant_name(size_t i);
const char *zm_mutant_description(size_t i);
const char *zm_mutant_active(void);

#ifdef __cplusplus
}
#endif

#endif
