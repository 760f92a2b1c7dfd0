/* used_memory: which thread holds which slot of the counter table, and thread exit. */
#include "used_memory.h"

#include <pthread.h>

#include "testing/zmalloc_testing.h"

namespace zm {

constinit UsedMemoryTable used_memory_table;
__thread CounterSlot *this_thread_slot __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
pthread_key_t exit_key;
bool exit_key_ready = false;

/* Runs when a thread that holds a slot exits. */
void release_at_exit(void *value) {
  this_thread_slot = nullptr;
  used_memory_table.release_slot(static_cast<CounterSlot *>(value));
}

void create_exit_key() { exit_key_ready = pthread_key_create(&exit_key, release_at_exit) == 0; }

}  // namespace

CounterSlot *attach_thread() {
  pthread_once(&exit_key_once, create_exit_key);
  CounterSlot *slot = exit_key_ready ? used_memory_table.take_slot() : nullptr;
  if (slot != nullptr && pthread_setspecific(exit_key, slot) != 0) {
    /* Without an exit hook the slot could never be given back: give it back now. */
    used_memory_table.release_slot(slot);
    slot = nullptr;
  }
  if (slot == nullptr) slot = used_memory_table.overflow();
  this_thread_slot = slot;
  return slot;
}

}  // namespace zm

#if ZM_TESTING
extern "C" {

unsigned zm_test_set_thread_slots(unsigned n) { return zm::used_memory_table.set_limit(n); }

unsigned zm_test_thread_slots_max(void) { return zm::kThreadSlots; }

int zm_test_forget_thread(void) {
  pthread_once(&zm::exit_key_once, zm::create_exit_key);
  if (!zm::exit_key_ready) return -1;
  void *slot = pthread_getspecific(zm::exit_key);
  if (slot != nullptr) {  /* a slot of the table: exactly what the exit hook does */
    if (pthread_setspecific(zm::exit_key, nullptr) != 0) return -1;
    zm::release_at_exit(slot);
  }
  zm::this_thread_slot = nullptr;  /* the overflow counter, or none yet */
  return 0;
}

int zm_test_reset_counters(void) {
  pthread_once(&zm::exit_key_once, zm::create_exit_key);
  if (!zm::exit_key_ready) return -1;
  zm::CounterSlot *mine = zm::this_thread_slot;
  zm::CounterSlot *first = zm::used_memory_table.reset_to_first_slot(mine);
  if (first == nullptr) return -1;
  if (pthread_setspecific(zm::exit_key, first) != 0) return -1;
  zm::this_thread_slot = first;
  return 0;
}
}
#endif
