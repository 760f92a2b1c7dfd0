// The thread crew: members wait on a baton between bodies; kept ones in a list.
#include "thread_crew.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "baton.h"

namespace zmcheck {
#if defined(__SANITIZE_THREAD__)
constexpr bool kUnderThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kUnderThreadSanitizer = true;
#else
constexpr bool kUnderThreadSanitizer = false;
#endif
#else
constexpr bool kUnderThreadSanitizer = false;
#endif

// Under ThreadSanitizer every live thread is an entry in every vector clock: kept threads
// (a storm's hundreds) would make each synchronisation slower, so none is kept there.
bool keeps_threads(const Sut &sut) {
  if (kUnderThreadSanitizer) return false;
  return sut.zm_test_forget_thread != nullptr || (sut.thread_state_known && sut.thread_state.empty());
}

std::string how_threads_are_kept(const Sut &sut) {
  if (kUnderThreadSanitizer) return "new for every thread of a program: built with ThreadSanitizer";
  if (sut.zm_test_forget_thread != nullptr) return "kept between cases: zm_test_forget_thread() forgets each";
  if (!sut.thread_state_known) return "new for every thread of a program: its per-thread state is not known";
  if (sut.thread_state.empty())
    return "kept between cases: its objects hold no per-thread state and read no thread's identity";
  std::string why = "new for every thread of a program: ";
  for (size_t i = 0; i < sut.thread_state.size(); i++) why += (i == 0 ? "" : ", ") + std::string(sut.thread_state[i]);
  return why;
}

struct CrewThread::Member {
  const Sut *sut = nullptr;
  Baton go;    // a body to run
  Baton done;  // the body returned and the allocator forgot the thread
  std::function<void()> body;
  std::atomic<bool> exit_after{false};
  bool exited = false;  // the body returned and the thread ends (else it is kept)
  int cpu = CrewThread::kAnyCpu;  // the CPU it is bound to
  std::thread thread;

  void main() {
    for (;;) {
      go.take();
      body();
      body = nullptr;  // what it captured goes now, on this thread
      const bool exits = exit_after || !keeps_threads(*sut) ||
                         (sut->zm_test_forget_thread != nullptr && sut->zm_test_forget_thread() != 0);
      exited = exits;  // what the owner reads once done is given: join, or keep
      done.give();
      if (exits) return;
    }
  }
};

namespace {

std::mutex crew_lock;
// Members kept for a later body; never destroyed (a kept member waits for ever, and the
// process ends with it waiting).
std::vector<CrewThread::Member *> &kept() {
  static auto *members = [] {
    auto *v = new std::vector<CrewThread::Member *>;
    v->reserve(1024);  // so that keeping a member never reallocates within a case
    return v;
  }();
  return *members;
}
std::atomic<uint64_t> started{0}, reused{0};

// A forked child has only the thread that forked: the kept members are not in it.
void forget_members_in_child() { kept().clear(); }
const bool child_handler_installed = (pthread_atfork(nullptr, nullptr, forget_members_in_child), true);

CrewThread::Member *start_member(const Sut &sut) {
  auto *m = new CrewThread::Member;
  m->sut = &sut;
  m->thread = std::thread([m] { m->main(); });
  started.fetch_add(1, std::memory_order_relaxed);
  return m;
}

CrewThread::Member *take(const Sut &sut) {
  (void)child_handler_installed;
  {
    std::lock_guard<std::mutex> hold(crew_lock);
    for (size_t i = kept().size(); i-- > 0;) {
      CrewThread::Member *m = kept()[i];
      if (m->sut != &sut) continue;
      kept().erase(kept().begin() + static_cast<std::ptrdiff_t>(i));
      reused.fetch_add(1, std::memory_order_relaxed);
      return m;
    }
  }
  return start_member(sut);
}

// The CPUs the process may run on, as it started.
const cpu_set_t &process_cpus() {
  static const cpu_set_t cpus = [] {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) CPU_SET(0, &set);
    return set;
  }();
  return cpus;
}

void bind(CrewThread::Member &m, int cpu) {
  if (m.cpu == cpu) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  if (cpu != CrewThread::kAnyCpu) CPU_SET(cpu, &one);
  const cpu_set_t &set = cpu == CrewThread::kAnyCpu ? process_cpus() : one;
  if (pthread_setaffinity_np(m.thread.native_handle(), sizeof set, &set) == 0) m.cpu = cpu;
}

}  // namespace

CrewThread::CrewThread(const Sut &sut, std::function<void()> body, int cpu) : member_(take(sut)) {
  bind(*member_, cpu);
  member_->body = std::move(body);
  member_->exit_after = false;
  member_->go.give();
}

CrewThread::~CrewThread() { finish(); }

void CrewThread::exit_when_done() { member_->exit_after = true; }

void CrewThread::finish() {
  Member *m = member_;
  if (m == nullptr) return;
  member_ = nullptr;
  m->done.take();
  if (m->exited) {
    const Sut &sut = *m->sut;
    m->thread.join();
    delete m;
    // Where members are kept, one takes its place now, in the same case: a case that ends
    // with more heap blocks made than freed is one libFuzzer runs again, then under
    // LeakSanitizer, and after 1,000 of them it stops looking for leaks.
    if (keeps_threads(sut)) {
      CrewThread::Member *replacement = start_member(sut);
      std::lock_guard<std::mutex> hold(crew_lock);
      kept().push_back(replacement);
    }
    return;
  }
  std::lock_guard<std::mutex> hold(crew_lock);
  kept().push_back(m);
}

CrewCounts crew_counts() { return {started.load(), reused.load()}; }

}  // namespace zmcheck
