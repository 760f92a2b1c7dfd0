/* counter_core.h -- the algorithm of used_memory: a table of per-thread slots, an
 * overflow counter, taking and giving back slots, adding to them and summing them.
 *
 * It is generic over the synchronisation it runs on, Sync, so that the library
 * (counter_sync_std.h: std::atomic and a pthread mutex) and a Relacy model check
 * (properties/counter_relacy_test.cpp: rl::atomic, rl::mutex, rl::var) run this very
 * code. Which thread holds which slot is the library's business (used_memory.cpp).
 *
 * Sync provides Atomic<T>, Var<T> (a plain variable guarded by the mutex), Mutex,
 * load/store/fetch_add on Atomic, get/set on Var, and the memory orders relaxed,
 * acquire and release. */
#ifndef ZM_COUNTER_CORE_H
#define ZM_COUNTER_CORE_H

#include <cstddef>
#include <cstdint>

#include "mutants.h"
#include "preemption.h"

namespace zm {

template <class Sync, unsigned kSlots>
class CounterCore {
 public:
  struct alignas(64) Slot {
    typename Sync::template Atomic<int64_t> bytes{0};
  };

  /* Every slot free. constexpr: the library's table is initialised before any code runs. */
  constexpr CounterCore() {
    for (auto &taken : taken_) Sync::set(taken, false);
  }

  /* The lowest free slot of the first limit() ones, or nullptr if all are taken. */
  Slot *take_slot() {
    Slot *slot = nullptr;
    bool locked = !ZM_MUTANT(slot_taken_unlocked);
    if (locked) lock_.lock();
    for (unsigned i = 0; i < Sync::get(limit_); i++) {
      if (Sync::get(taken_[i])) continue;
      Sync::set(taken_[i], true);
      slot = &slots_[i];
      unsigned in_use = ZM_MUTANT(slot_count_off_by_one) ? i : i + 1;
      if (in_use > Sync::load(ever_taken_, Sync::relaxed)) Sync::store(ever_taken_, in_use, Sync::release);
      break;
    }
    if (locked) lock_.unlock();
    return slot;
  }

  /* Gives a slot back, its count still in it: the next owner continues from it. */
  void release_slot(Slot *slot) {
    lock_.lock();
    if (ZM_MUTANT(exited_thread_lost)) Sync::store(slot->bytes, 0, Sync::relaxed);
    Sync::set(taken_[slot - slots_], false);
    lock_.unlock();
  }

  /* The counter that threads beyond the table share. */
  Slot *overflow() { return &overflow_; }

  /* Adds delta to slot: a plain load and store on a slot only the caller writes, an
   * atomic add on the overflow counter that several threads share. */
  void add(Slot *slot, int64_t delta) {
    bool shared = slot == &overflow_;
    if (ZM_MUTANT(racy_shared_counter)) { /* the old design: one counter for all, plain updates */
      slot = &overflow_;
      shared = false;
    }
    if (__builtin_expect(shared, 0) && !ZM_MUTANT(slot_overflow)) {
      ZM_PREEMPTION_POINT("count-overflow");
      Sync::fetch_add(slot->bytes, delta, Sync::relaxed);
      return;
    }
    int64_t before = Sync::load(slot->bytes, Sync::relaxed);
    ZM_PREEMPTION_POINT("count");
    Sync::store(slot->bytes, before + delta, Sync::relaxed);
  }

  /* The sum of the overflow counter and of every slot ever taken, clamped to 0: a sum
   * taken while blocks move between threads may be transiently negative. */
  size_t sum() const {
    int64_t total = ZM_MUTANT(reader_skips_overflow) ? 0 : Sync::load(overflow_.bytes, Sync::relaxed);
    unsigned slots = Sync::load(ever_taken_, Sync::acquire);
    for (unsigned i = 0; i < slots; i++) {
      ZM_PREEMPTION_POINT("read");
      total += Sync::load(slots_[i].bytes, Sync::relaxed);
    }
    if (total < 0 && !ZM_MUTANT(reader_unclamped)) return 0;
    return static_cast<size_t>(total);
  }

  /* Test seams. How many slots threads that attach from now on may take (1..kSlots);
   * returns the old number. */
  unsigned set_limit(unsigned n) {
    if (n < 1) n = 1;
    if (n > kSlots) n = kSlots;
    lock_.lock();
    unsigned old = Sync::get(limit_);
    Sync::set(limit_, n);
    lock_.unlock();
    return old;
  }

  /* Folds every slot's count into the overflow counter (the sum does not change) and
   * frees every slot but slot 0, which it returns for the caller to hold. Refuses, and
   * returns nullptr, if a slot other than mine (the caller's, or nullptr) is taken. */
  Slot *reset_to_first_slot(Slot *mine) {
    lock_.lock();
    unsigned slots = Sync::load(ever_taken_, Sync::relaxed);
    for (unsigned i = 0; i < slots; i++) {
      if (Sync::get(taken_[i]) && &slots_[i] != mine) {
        lock_.unlock();
        return nullptr;
      }
    }
    for (unsigned i = 0; i < slots; i++) {
      Sync::fetch_add(overflow_.bytes, Sync::load(slots_[i].bytes, Sync::relaxed), Sync::relaxed);
      Sync::store(slots_[i].bytes, 0, Sync::relaxed);
      Sync::set(taken_[i], false);
    }
    Sync::set(taken_[0], true);
    Sync::store(ever_taken_, 1u, Sync::release);
    lock_.unlock();
    return &slots_[0];
  }

 private:
  Slot slots_[kSlots];
  Slot overflow_;
  mutable typename Sync::Mutex lock_;
  typename Sync::template Var<bool> taken_[kSlots];
  typename Sync::template Var<unsigned> limit_{kSlots};
  typename Sync::template Atomic<unsigned> ever_taken_{0};
};

}  // namespace zm

#endif
