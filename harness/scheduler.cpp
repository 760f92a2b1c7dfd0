// The deterministic scheduler: a baton passed with one semaphore per thread.
#include "scheduler.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "preemption_window.h"
#include "thread_crew.h"

namespace zmcheck {

struct Scheduler::Worker {
  int id;
  Scheduler *owner;
  Baton go;
  std::function<void()> task;
  std::exception_ptr error;
  bool busy = false;
  bool exit_requested = false;
  bool parked = false;
  int preempt_at = 0;
  int points_hit = 0;
  const char *parked_point = "";
  std::unique_ptr<CrewThread> thread;

  void main();
};

namespace {
thread_local Scheduler::Worker *this_worker = nullptr;
}

void Scheduler::Worker::main() {
  this_worker = this;
  for (;;) {
    go.take();
    if (exit_requested) {
      this_worker = nullptr;  // the thread may serve another case's worker
      return;
    }
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    busy = false;
    owner->director_.give();
  }
}

void Scheduler::on_preemption_point(const char *point) {
  Worker *w = this_worker;
  if (w == nullptr || !w->busy || w->preempt_at == 0 || !PreemptionWindow::open()) return;
  if (++w->points_hit != w->preempt_at) return;
  w->parked = true;
  w->parked_point = point;
  w->owner->director_.give();
  w->go.take();
  w->parked = false;
}

Scheduler::Scheduler(const Sut &sut) : sut_(sut) {
  if (sut_.zm_test_set_preempt_hook != nullptr) sut_.zm_test_set_preempt_hook(on_preemption_point);
  cpu_ = sched_getcpu();
  if (cpu_ >= 0 && pthread_getaffinity_np(pthread_self(), sizeof director_cpus_, &director_cpus_) == 0) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu_, &one);
    director_bound_ = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  }
  if (!director_bound_) cpu_ = CrewThread::kAnyCpu;
}

Scheduler::~Scheduler() {
  for (int id : workers()) {
    try {
      retire(id);
    } catch (...) {  // a parked op that fails as it finishes, after the case already failed
    }
  }
  if (sut_.zm_test_set_preempt_hook != nullptr) sut_.zm_test_set_preempt_hook(nullptr);
  if (director_bound_) pthread_setaffinity_np(pthread_self(), sizeof director_cpus_, &director_cpus_);
}

void Scheduler::spawn(int id) {
  auto w = std::make_unique<Worker>();
  w->id = id;
  w->owner = this;
  Worker *raw = w.get();
  workers_[id] = std::move(w);
  raw->thread = std::make_unique<CrewThread>(sut_, [raw] { raw->main(); }, cpu_);
}

void Scheduler::wait_for(Worker &w) {
  if (!director_.take_for(std::chrono::seconds(kWatchdogSeconds))) {
    std::fprintf(stderr,
                 "\n==== zmcheck scheduler: T%d neither finished its op nor reached a preemption point "
                 "in %d s: a deadlock inside the allocator?\n",
                 w.id, kWatchdogSeconds);
    std::abort();
  }
  if (w.error) {
    std::exception_ptr error = w.error;
    w.error = nullptr;
    std::rethrow_exception(error);
  }
}

void Scheduler::run(int id, std::function<void()> task, int preempt) {
  Worker &w = *workers_.at(id);
  w.task = std::move(task);
  w.preempt_at = preempt;
  w.points_hit = 0;
  w.busy = true;
  w.go.give();
  wait_for(w);
}

void Scheduler::resume(int id) {
  Worker &w = *workers_.at(id);
  if (!w.parked) return;
  w.go.give();
  wait_for(w);
}

void Scheduler::exit(int id) { end(id, true); }

void Scheduler::retire(int id) { end(id, false); }

void Scheduler::end(int id, bool thread_exits) {
  auto it = workers_.find(id);
  if (it == workers_.end()) return;
  Worker &w = *it->second;
  if (w.parked) resume(id);
  if (thread_exits) w.thread->exit_when_done();
  w.exit_requested = true;
  w.go.give();
  w.thread->finish();
  workers_.erase(it);
}

bool Scheduler::started(int id) const { return workers_.count(id) != 0; }

bool Scheduler::parked(int id) const {
  auto it = workers_.find(id);
  return it != workers_.end() && it->second->parked;
}

int Scheduler::parked_count() const {
  int n = 0;
  for (const auto &[id, w] : workers_) n += w->parked;
  return n;
}

std::vector<int> Scheduler::parked_workers() const {
  std::vector<int> out;
  for (const auto &[id, w] : workers_)
    if (w->parked) out.push_back(id);
  return out;
}

std::vector<int> Scheduler::workers() const {
  std::vector<int> out;
  for (const auto &[id, w] : workers_) out.push_back(id);
  return out;
}

const char *Scheduler::parked_at(int id) const {
  auto it = workers_.find(id);
  return it != workers_.end() && it->second->parked ? it->second->parked_point : "";
}

}  // namespace zmcheck
