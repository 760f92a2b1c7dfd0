// The deterministic scheduler: a baton passed with one semaphore per thread.
#include "scheduler.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include "preemption_window.h"

namespace zmcheck {

struct Scheduler::Worker {
  int id;
  Scheduler *owner;
  std::binary_semaphore go{0};
  std::function<void()> task;
  std::exception_ptr error;
  bool busy = false;
  bool exit_requested = false;
  bool parked = false;
  int preempt_at = 0;
  int points_hit = 0;
  const char *parked_point = "";
  std::thread thread;

  void main();
};

namespace {
thread_local Scheduler::Worker *this_worker = nullptr;
}

void Scheduler::Worker::main() {
  this_worker = this;
  for (;;) {
    go.acquire();
    if (exit_requested) return;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    busy = false;
    owner->director_.release();
  }
}

void Scheduler::on_preemption_point(const char *point) {
  Worker *w = this_worker;
  if (w == nullptr || !w->busy || w->preempt_at == 0 || !PreemptionWindow::open()) return;
  if (++w->points_hit != w->preempt_at) return;
  w->parked = true;
  w->parked_point = point;
  w->owner->director_.release();
  w->go.acquire();
  w->parked = false;
}

Scheduler::Scheduler(const Sut &sut) : sut_(sut) {
  if (sut_.zm_test_set_preempt_hook != nullptr) sut_.zm_test_set_preempt_hook(on_preemption_point);
}

Scheduler::~Scheduler() {
  for (int id : workers()) {
    try {
      exit(id);
    } catch (...) {  // a parked op that fails as it finishes, after the case already failed
    }
  }
  if (sut_.zm_test_set_preempt_hook != nullptr) sut_.zm_test_set_preempt_hook(nullptr);
}

void Scheduler::spawn(int id) {
  auto w = std::make_unique<Worker>();
  w->id = id;
  w->owner = this;
  Worker *raw = w.get();
  workers_[id] = std::move(w);
  raw->thread = std::thread([raw] { raw->main(); });
}

void Scheduler::wait_for(Worker &w) {
  if (!director_.try_acquire_for(std::chrono::seconds(kWatchdogSeconds))) {
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
  w.go.release();
  wait_for(w);
}

void Scheduler::resume(int id) {
  Worker &w = *workers_.at(id);
  if (!w.parked) return;
  w.go.release();
  wait_for(w);
}

void Scheduler::exit(int id) {
  auto it = workers_.find(id);
  if (it == workers_.end()) return;
  Worker &w = *it->second;
  if (w.parked) resume(id);
  w.exit_requested = true;
  w.go.release();
  w.thread.join();
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
