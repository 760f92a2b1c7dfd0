/* ZM_PREEMPTION_POINT(name): a place inside the library where a test scheduler may
 * switch threads (zm_test_set_preempt_hook). Nothing at all outside ZM_TESTING builds.
 * Never put one where a lock is held: a thread parked there would hold it. */
#ifndef ZM_PREEMPTION_H
#define ZM_PREEMPTION_H

#if ZM_TESTING
namespace zm::testing {
void preempt(const char *point);
}
#define ZM_PREEMPTION_POINT(name) ::zm::testing::preempt(name)
#else
#define ZM_PREEMPTION_POINT(name) ((void)0)
#endif

#endif
