/* A counter kept per thread, and a call that names the thread: the two things
   cmake/ZmThreadState.cmake must find in an implementation's objects. */
#include <pthread.h>
#include <stddef.h>

static __thread size_t per_thread_total;

size_t add_to_this_thread(size_t n) {
  per_thread_total += n;
  return per_thread_total;
}

unsigned long this_thread(void) { return (unsigned long)pthread_self(); }
