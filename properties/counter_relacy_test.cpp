// The counter core (src/counter_core.h), the code the library runs, checked by Relacy
// under the C++ memory model over every interleaving of its atomic operations and mutex
// calls up to a context bound: threads that take a slot, free a block another thread made,
// exit holding blocks and hand their slot on, a thread beyond the slot table on the
// overflow counter, and a reader summing all the while. The reader never sees a wrapped
// total, and once every thread is done the sum is exact. Built without sanitizers (Relacy
// runs its threads as fibers); in a mutant build the counter mutants are switched on here
// too (ZM_MUTANT). A plain main, not GoogleTest: Relacy redefines new and delete.
#include <cstdint>
#include <cstdio>
#include <type_traits>

#include <relacy/relacy.hpp>

#include "counter_core.h"

#ifndef ZM_RELACY_CONTEXT_BOUND
#define ZM_RELACY_CONTEXT_BOUND 1
#endif

namespace {

struct RelacySync {
  template <class T>
  using Atomic = rl::atomic<T>;
  template <class T>
  using Var = rl::var<T>;

  static constexpr rl::memory_order relaxed = rl::mo_relaxed;
  static constexpr rl::memory_order acquire = rl::mo_acquire;
  static constexpr rl::memory_order release = rl::mo_release;

  template <class T>
  static T load(const rl::atomic<T> &a, rl::memory_order order) {
    return a($).load(order);
  }
  template <class T>
  static void store(rl::atomic<T> &a, std::type_identity_t<T> value, rl::memory_order order) {
    a($).store(value, order);
  }
  template <class T>
  static T fetch_add(rl::atomic<T> &a, std::type_identity_t<T> delta, rl::memory_order order) {
    return a($).fetch_add(delta, order);
  }
  template <class T>
  static T get(const rl::var<T> &v) {
    return v($);
  }
  template <class T>
  static void set(rl::var<T> &v, std::type_identity_t<T> value) {
    v($) = value;
  }

  struct Mutex {
    rl::mutex m;
    void lock() { m.lock($); }
    void unlock() { m.unlock($); }
  };
};

// One slot for three threads that allocate: slot hand-over on exit and two threads on the
// overflow counter at once are both reachable.
using Core = zm::CounterCore<RelacySync, 1>;

// maker: allocates 40 and 16, hands the 40 on, exits holding the 16.
// taker: frees the 40 if it was handed over in time, allocates 8, exits.
// third: allocates 24 and frees it (on the overflow counter when both slots are held).
// reader: sums twice.
struct SlotsHandOffAndOverflow : rl::test_suite<SlotsHandOffAndOverflow, 4> {
  Core core;
  rl::atomic<int> handed_over;
  rl::atomic<int> freed_by_taker;

  void before() {
    handed_over($).store(0, rl::mo_relaxed);
    freed_by_taker($).store(0, rl::mo_relaxed);
  }

  Core::Slot *attach() {
    Core::Slot *slot = core.take_slot();
    return slot != nullptr ? slot : core.overflow();
  }

  void exit_thread(Core::Slot *slot) {
    if (slot != core.overflow()) core.release_slot(slot);
  }

  void thread(unsigned index) {
    if (index == 3) {
      for (int i = 0; i < 2; i++) RL_ASSERT(core.sum() < SIZE_MAX / 2);
      return;
    }
    Core::Slot *slot = attach();
    if (index == 0) {
      core.add(slot, 40);
      handed_over($).store(1, rl::mo_release);
      core.add(slot, 16);
    } else if (index == 1) {
      if (handed_over($).load(rl::mo_acquire) == 1) {
        core.add(slot, -40);
        freed_by_taker($).store(1, rl::mo_relaxed);
      }
      core.add(slot, 8);
    } else {
      core.add(slot, 24);
      core.add(slot, -24);
    }
    exit_thread(slot);
  }

  void after() {
    size_t expected = 16 + 8 + (freed_by_taker($).load(rl::mo_relaxed) ? 0 : 40);
    RL_ASSERT(core.sum() == expected);
  }
};

bool simulate_bounded(int context_bound) {
  rl::test_params params;
  params.search_type = rl::sched_bound;
  params.context_bound = context_bound;
  params.collect_history = true;
  params.output_history = true;
  bool ok = rl::simulate<SlotsHandOffAndOverflow>(params);
  if (!ok)
    std::printf("Relacy: %s at iteration %llu\n", rl::test_result_str(params.test_result),
                static_cast<unsigned long long>(params.stop_iteration));
  return ok;
}

}  // namespace

int main() {
  std::printf("counter core: exact after every interleaving (context bound %d), never a wrapped read\n", ZM_RELACY_CONTEXT_BOUND);
  if (!simulate_bounded(ZM_RELACY_CONTEXT_BOUND)) {
    std::printf("FAILED: Relacy found an interleaving that breaks the counter core (its history is above)\n");
    return 1;
  }
  std::printf("ok\n");
  return 0;
}
