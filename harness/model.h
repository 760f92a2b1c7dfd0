// The model: what the harness knows an op must do before it runs. It tracks which
// slots hold a live block and the injected failures still pending, and predicts from
// them whether an op succeeds, fails, calls the backend and calls the OOM handler.
// It is a value (copyable, no pointers): RapidCheck's state tests use it as their model.
#ifndef ZMCHECK_MODEL_H
#define ZMCHECK_MODEL_H

#include <array>
#include <cstdint>

#include "ops.h"
#include "profile.h"

namespace zmcheck {

enum class Outcome {
  succeeds,  // a block (or, for realloc to 0 and free, the block's end) as the contract says
  fails,     // NULL; nothing changes but the handler call
  skipped,   // not run: a huge size the allocator does not check, a failure the
             // contract makes fatal (profile: oom, strdup_oom), a case's second storm
};

struct Prediction {
  Outcome outcome = Outcome::succeeds;
  uint64_t request = 0;          // the size asked for (zstrdup: length + 1; calloc_num: the product)
  bool backend_call = false;     // one allocating call reaches the backend
  bool frees_block = false;      // the slot's block is freed (free, realloc to 0, a huge
                                 // realloc where the profile says huge_realloc = frees)
  bool replaces_block = false;   // the slot held a block that an alloc op frees first
  bool calls_handler = false;    // when it fails: the OOM handler is called (not a try op,
                                 // not a silent zrealloc(NULL, 0))
  uint64_t handler_size = 0;     // then: the size the handler gets
  const char *why = "";          // why it fails, or why it is skipped
};

class Model {
 public:
  Model(const Profile &profile, uint64_t backend_limit) : profile_(&profile), limit_(backend_limit) {}

  Prediction predict(const Op &op) const;
  // What the contract says op does, before the fatal failures are taken out.
  Prediction contract(const Op &op) const;
  // The state after op, as predicted.
  void apply(const Op &op);

  bool live(int slot) const { return live_[slot]; }
  int live_count() const;
  const Profile &profile() const { return *profile_; }

 private:
  bool backend_fails_next() const { return fail_next_ > 0 || fail_countdown_ == 1; }
  void consume_backend_call();

  const Profile *profile_;
  uint64_t limit_;
  std::array<bool, kSlots> live_{};
  uint64_t fail_next_ = 0;
  uint64_t fail_countdown_ = 0;
  bool stormed_ = false;  // a case runs one storm; the later ones are skipped
};

}  // namespace zmcheck

#endif
