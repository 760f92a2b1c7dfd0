/* used_memory: the total of accounted bytes, kept in per-thread slots.
 *
 * Each thread that allocates takes a slot of the table on its first call and is its
 * only writer: the update is a plain load and store of its own cache line, with no
 * contended read-modify-write. When the thread exits the slot is released with its
 * count still in it, and the next thread to take the slot continues from that count,
 * so nothing is lost. Threads beyond the table share one overflow counter, updated
 * with an atomic add. The reader sums the overflow counter and the slots in use; the
 * sum of a moment when no call is in flight is exact, a sum taken while blocks move
 * between threads may be transiently negative and is clamped to 0. */
#ifndef ZM_USED_MEMORY_H
#define ZM_USED_MEMORY_H

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "mutants.h"
#include "preemption.h"

namespace zm {

constexpr unsigned kThreadSlots = 128;

struct alignas(64) CounterSlot {
  std::atomic<int64_t> bytes{0};
};

struct UsedMemory {
  CounterSlot slots[kThreadSlots];
  CounterSlot overflow;
};

extern UsedMemory used_memory_table;
/* __thread, not thread_local: no dynamic initialisation, so no TLS-init wrapper call. */
extern __thread CounterSlot *this_thread_slot __attribute__((tls_model("initial-exec")));

/* The slot of the calling thread, taken on its first call. */
CounterSlot *attach_thread();

/* The old single-counter design, for the racy_shared_counter mutant only: every thread
 * updates one counter with a plain load and store. */
inline void count_in_shared_counter(int64_t delta) {
  std::atomic<int64_t> &shared = used_memory_table.overflow.bytes;
  int64_t before = shared.load(std::memory_order_relaxed);
  ZM_PREEMPTION_POINT("count");
  shared.store(before + delta, std::memory_order_relaxed);
}

/* Adds delta (negative for a free) to the calling thread's count. */
inline void count(int64_t delta) {
  if (ZM_MUTANT(racy_shared_counter)) return count_in_shared_counter(delta);
  CounterSlot *slot = this_thread_slot;
  if (__builtin_expect(slot == nullptr, 0)) slot = attach_thread();
  if (__builtin_expect(slot == &used_memory_table.overflow, 0) && !ZM_MUTANT(slot_overflow)) {
    ZM_PREEMPTION_POINT("count-overflow");
    slot->bytes.fetch_add(delta, std::memory_order_relaxed);
    return;
  }
  int64_t before = slot->bytes.load(std::memory_order_relaxed);
  ZM_PREEMPTION_POINT("count");
  slot->bytes.store(before + delta, std::memory_order_relaxed);
}

/* The sum of all counts, clamped to 0. */
size_t used_memory_sum();

}  // namespace zm

#endif
