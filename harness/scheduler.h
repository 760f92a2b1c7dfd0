// The deterministic scheduler: managed threads of which exactly one runs at a time.
//
// The caller (the director, T0) hands an op to a worker and waits until the op returns
// or the worker parks at a chosen preemption point inside the allocator (where the
// allocator has them: zmcheck's ZM_PREEMPTION_POINT, reached through the Sut's
// zm_test_set_preempt_hook). Every switch is decided by the program, never by the OS,
// so the same program replays the same interleaving. An allocator without preemption
// points is still run one op at a time; ops then never park.
#ifndef ZMCHECK_SCHEDULER_H
#define ZMCHECK_SCHEDULER_H

#include <sched.h>

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "baton.h"
#include "sut.h"

namespace zmcheck {

class Scheduler {
 public:
  explicit Scheduler(const Sut &sut);
  ~Scheduler();
  Scheduler(const Scheduler &) = delete;
  Scheduler &operator=(const Scheduler &) = delete;

  // Starts worker id: a new thread that waits for its first op.
  void spawn(int id);
  // Runs task on worker id. Returns when the task has returned, or when the worker
  // reached its preempt-th preemption point (0: never parks) and parked there. An
  // exception thrown by the task is rethrown here.
  void run(int id, std::function<void()> task, int preempt);
  // Lets a parked worker run on until its task returns.
  void resume(int id);
  // Ends worker id (resumed first if parked): its thread exits, thread-exit handlers
  // included, and is joined.
  void exit(int id);
  // Ends worker id as the end of its case does: its thread is forgotten by the
  // allocator and kept for a later case where the allocator can forget a thread
  // (thread_crew.h), else it exits as in exit().
  void retire(int id);

  bool started(int id) const;  // spawned and not yet exited
  bool parked(int id) const;
  int parked_count() const;
  std::vector<int> parked_workers() const;  // ascending
  std::vector<int> workers() const;         // live, ascending
  const char *parked_at(int id) const;      // the preemption point's name

  // How long the director waits for a worker before it reports a deadlock.
  static constexpr int kWatchdogSeconds = 30;

  struct Worker;

 private:
  void wait_for(Worker &w);
  void end(int id, bool thread_exits);
  static void on_preemption_point(const char *point);

  const Sut &sut_;
  // The CPU the director and its workers share while the case runs: one of them runs at
  // a time, and a handoff within a CPU costs a fifth of one between two.
  int cpu_ = -1;
  cpu_set_t director_cpus_{};  // the director's own, given back at the end
  bool director_bound_ = false;
  std::map<int, std::unique_ptr<Worker>> workers_;
  Baton director_;
};

}  // namespace zmcheck

#endif
