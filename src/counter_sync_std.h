/* counter_sync_std.h -- the synchronisation the library's counter core runs on:
 * std::atomic, plain variables and a pthread mutex that needs no constructor, so that
 * the counter table is initialised before any constructor can allocate. */
#ifndef ZM_COUNTER_SYNC_STD_H
#define ZM_COUNTER_SYNC_STD_H

#include <pthread.h>

#include <atomic>
#include <type_traits>

namespace zm {

struct StdSync {
  template <class T>
  using Atomic = std::atomic<T>;
  template <class T>
  using Var = T;

  static constexpr std::memory_order relaxed = std::memory_order_relaxed;
  static constexpr std::memory_order acquire = std::memory_order_acquire;
  static constexpr std::memory_order release = std::memory_order_release;

  template <class T>
  static T load(const std::atomic<T> &a, std::memory_order order) {
    return a.load(order);
  }
  template <class T>
  static void store(std::atomic<T> &a, std::type_identity_t<T> value, std::memory_order order) {
    a.store(value, order);
  }
  template <class T>
  static T fetch_add(std::atomic<T> &a, std::type_identity_t<T> delta, std::memory_order order) {
    return a.fetch_add(delta, order);
  }
  template <class T>
  static constexpr T get(const T &v) {
    return v;
  }
  template <class T>
  static constexpr void set(T &v, std::type_identity_t<T> value) {
    v = value;
  }

  struct Mutex {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    void lock() { pthread_mutex_lock(&m); }
    void unlock() { pthread_mutex_unlock(&m); }
  };
};

}  // namespace zm

#endif
