/* used_memory: the slot table, thread attach and exit, and the reader. */
#include "used_memory.h"

#include <pthread.h>

#include "testing/zmalloc_testing.h"

namespace zm {

UsedMemory used_memory_table;
__thread CounterSlot *this_thread_slot __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

/* Guards slot ownership. Taken only when a thread attaches or exits. */
pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
bool slot_taken[kThreadSlots];
unsigned slot_limit = kThreadSlots;

/* Slots [0, slots_ever_taken) hold counts; the reader sums only those. */
std::atomic<unsigned> slots_ever_taken{0};

pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
pthread_key_t exit_key;
bool exit_key_ready = false;

/* Runs when a thread that holds a slot exits: the slot goes back to the table with
 * its count, which the next owner continues. */
void release_slot(void *value) {
  auto *slot = static_cast<CounterSlot *>(value);
  this_thread_slot = nullptr;
  pthread_mutex_lock(&table_lock);
  if (ZM_MUTANT(exited_thread_lost)) slot->bytes.store(0, std::memory_order_relaxed);
  slot_taken[slot - used_memory_table.slots] = false;
  pthread_mutex_unlock(&table_lock);
}

void create_exit_key() { exit_key_ready = pthread_key_create(&exit_key, release_slot) == 0; }

CounterSlot *take_free_slot() {
  CounterSlot *slot = nullptr;
  pthread_mutex_lock(&table_lock);
  for (unsigned i = 0; i < slot_limit; i++) {
    if (slot_taken[i]) continue;
    slot_taken[i] = true;
    slot = &used_memory_table.slots[i];
    if (i + 1 > slots_ever_taken.load(std::memory_order_relaxed))
      slots_ever_taken.store(i + 1, std::memory_order_release);
    break;
  }
  pthread_mutex_unlock(&table_lock);
  return slot;
}

}  // namespace

CounterSlot *attach_thread() {
  pthread_once(&exit_key_once, create_exit_key);
  CounterSlot *slot = exit_key_ready ? take_free_slot() : nullptr;
  if (slot != nullptr && pthread_setspecific(exit_key, slot) != 0) {
    /* Without an exit hook the slot could never be released: give it back now. */
    release_slot(slot);
    slot = nullptr;
  }
  if (slot == nullptr) slot = &used_memory_table.overflow;
  this_thread_slot = slot;
  return slot;
}

size_t used_memory_sum() {
  int64_t sum = used_memory_table.overflow.bytes.load(std::memory_order_relaxed);
  unsigned slots = slots_ever_taken.load(std::memory_order_acquire);
  for (unsigned i = 0; i < slots; i++) {
    ZM_PREEMPTION_POINT("read");
    sum += used_memory_table.slots[i].bytes.load(std::memory_order_relaxed);
  }
  if (sum < 0 && !ZM_MUTANT(reader_unclamped)) return 0;
  return static_cast<size_t>(sum);
}

}  // namespace zm

#if ZM_TESTING
extern "C" {

unsigned zm_test_set_thread_slots(unsigned n) {
  if (n < 1) n = 1;
  if (n > zm::kThreadSlots) n = zm::kThreadSlots;
  pthread_mutex_lock(&zm::table_lock);
  unsigned old = zm::slot_limit;
  zm::slot_limit = n;
  pthread_mutex_unlock(&zm::table_lock);
  return old;
}

unsigned zm_test_thread_slots_max(void) { return zm::kThreadSlots; }

int zm_test_reset_counters(void) {
  pthread_once(&zm::exit_key_once, zm::create_exit_key);
  pthread_mutex_lock(&zm::table_lock);
  zm::CounterSlot *mine = zm::this_thread_slot;
  zm::CounterSlot *first = &zm::used_memory_table.slots[0];
  unsigned slots = zm::slots_ever_taken.load(std::memory_order_relaxed);
  for (unsigned i = 0; i < slots; i++) {
    if (zm::slot_taken[i] && &zm::used_memory_table.slots[i] != mine) {
      pthread_mutex_unlock(&zm::table_lock);
      return -1;
    }
  }
  for (unsigned i = 0; i < slots; i++) {
    std::atomic<int64_t> &bytes = zm::used_memory_table.slots[i].bytes;
    zm::used_memory_table.overflow.bytes.fetch_add(bytes.load(std::memory_order_relaxed),
                                                   std::memory_order_relaxed);
    bytes.store(0, std::memory_order_relaxed);
    zm::slot_taken[i] = false;
  }
  if (!zm::exit_key_ready || pthread_setspecific(zm::exit_key, first) != 0) {
    pthread_mutex_unlock(&zm::table_lock);
    return -1;
  }
  zm::slot_taken[0] = true;
  zm::slots_ever_taken.store(1, std::memory_order_release);
  zm::this_thread_slot = first;
  pthread_mutex_unlock(&zm::table_lock);
  return 0;
}
}
#endif
