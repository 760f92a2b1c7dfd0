/* used_memory: the total of accounted bytes, kept in per-thread slots.
 *
 * Each thread that allocates takes a slot of the table on its first call and is its
 * only writer: the update is a plain load and store of its own cache line, with no
 * contended read-modify-write. When the thread exits the slot is released with its
 * count still in it, and the next thread to take the slot continues from that count,
 * so nothing is lost. Threads beyond the table share one overflow counter, updated
 * with an atomic add. The reader sums the overflow counter and the slots in use; the
 * sum of a moment when no call is in flight is exact, a sum taken while blocks move
 * between threads may be transiently negative and is clamped to 0.
 *
 * The algorithm is counter_core.h; this file adds which thread holds which slot. */
#ifndef ZM_USED_MEMORY_H
#define ZM_USED_MEMORY_H

#include <cstddef>
#include <cstdint>

#include "counter_core.h"
#include "counter_sync_std.h"

namespace zm {

constexpr unsigned kThreadSlots = 128;

using UsedMemoryTable = CounterCore<StdSync, kThreadSlots>;
using CounterSlot = UsedMemoryTable::Slot;

extern constinit UsedMemoryTable used_memory_table;

/* __thread, not thread_local: no dynamic initialisation, so no TLS-init wrapper call. */
extern __thread CounterSlot *this_thread_slot __attribute__((tls_model("initial-exec")));

/* The slot of the calling thread, taken on its first call. */
CounterSlot *attach_thread();

/* Adds delta (negative for a free) to the calling thread's count. */
inline void count(int64_t delta) {
  CounterSlot *slot = this_thread_slot;
  if (__builtin_expect(slot == nullptr, 0)) slot = attach_thread();
  used_memory_table.add(slot, delta);
}

/* The sum of all counts, clamped to 0. */
inline size_t used_memory_sum() { return used_memory_table.sum(); }

}  // namespace zm

#endif
