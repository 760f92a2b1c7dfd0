/* sut_api.h -- the C API of zmalloc.h as the harness uses it: one X-macro list, read by
 * the binding (sut.h, sut_binding.cpp), the tools, and the build's signature probe
 * (cmake/ZmSignatureProbe.cmake), which declares each function after the
 * implementation's own sources to find those whose type differs. Plain C. */
#ifndef ZMCHECK_SUT_API_H
#define ZMCHECK_SUT_API_H

/* X(return type, function, parameter list) */
#define ZMCHECK_SUT_API(X)                                        \
  X(void *, zmalloc, (size_t))                                    \
  X(void *, zcalloc, (size_t))                                    \
  X(void *, zcalloc_num, (size_t, size_t))                        \
  X(void *, zrealloc, (void *, size_t))                           \
  X(void *, ztrymalloc, (size_t))                                 \
  X(void *, ztrycalloc, (size_t))                                 \
  X(void *, ztryrealloc, (void *, size_t))                        \
  X(void *, zmalloc_usable, (size_t, size_t *))                   \
  X(void *, zcalloc_usable, (size_t, size_t *))                   \
  X(void *, zrealloc_usable, (void *, size_t, size_t *))          \
  X(void *, ztrymalloc_usable, (size_t, size_t *))                \
  X(void *, ztrycalloc_usable, (size_t, size_t *))                \
  X(void *, ztryrealloc_usable, (void *, size_t, size_t *))       \
  X(void, zfree, (void *))                                        \
  X(void, zfree_usable, (void *, size_t *))                       \
  X(char *, zstrdup, (const char *))                              \
  X(size_t, zmalloc_size, (void *))                               \
  X(size_t, zmalloc_usable_size, (void *))                        \
  X(size_t, zmalloc_used_memory, (void))                          \
  X(void, zmalloc_set_oom_handler, (void (*)(size_t)))            \
  X(void, zmalloc_enable_thread_safeness, (void))                 \
  /* zmcheck's own test seams (src/testing/zmalloc_testing.h) */   \
  X(void, zm_test_set_preempt_hook, (void (*)(const char *)))     \
  X(unsigned, zm_test_set_thread_slots, (unsigned))               \
  X(int, zm_test_reset_counters, (void))                          \
  X(int, zm_test_forget_thread, (void))                           \
  X(const char *, zm_mutant_active, (void))

#endif
