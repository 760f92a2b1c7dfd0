// Where an op may be preempted: inside the allocator calls that make up the op, never
// inside the harness's own observations of the allocator (the zmalloc_size and
// used_memory reads it checks with). The executor opens a window around an op's calls;
// the scheduler parks a thread only while its window is open.
#ifndef ZMCHECK_PREEMPTION_WINDOW_H
#define ZMCHECK_PREEMPTION_WINDOW_H

namespace zmcheck {

class PreemptionWindow {
 public:
  PreemptionWindow() { open_ = true; }
  ~PreemptionWindow() { open_ = false; }
  PreemptionWindow(const PreemptionWindow &) = delete;
  PreemptionWindow &operator=(const PreemptionWindow &) = delete;

  static bool open() { return open_; }

 private:
  static inline thread_local bool open_ = false;
};

}  // namespace zmcheck

#endif
