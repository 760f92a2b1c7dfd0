// The model's predictions, from the contract of src/zmalloc.h and the profile.
#include "model.h"

namespace zmcheck {

int Model::live_count() const {
  int n = 0;
  for (bool l : live_) n += l;
  return n;
}

Prediction Model::predict(const Op &op) const {
  Prediction p;
  if (!stores_block(op.kind)) {
    p.frees_block = (op.kind == OpKind::free || op.kind == OpKind::free_usable) && live_[op.slot];
    return p;
  }
  p.request = op.size;
  if (op.kind == OpKind::strdup) p.request = op.size + 1;
  if (is_realloc(op.kind) && live_[op.slot]) {
    if (op.size == 0 && profile_->realloc_zero == Profile::ReallocZero::frees) {
      p.frees_block = true;
      return p;
    }
  } else {
    p.replaces_block = live_[op.slot];
  }
  auto fail = [&](const char *why, uint64_t handler_size) {
    p.outcome = Outcome::fails;
    p.why = why;
    p.handler_size = handler_size;
    return p;
  };
  bool overflows = op.kind == OpKind::calloc_num && __builtin_mul_overflow(op.count, op.size, &p.request);
  if ((overflows || p.request >= UINT64_MAX / 2) && !profile_->huge_fails) {
    p.outcome = Outcome::skipped;
    p.why = "a huge size, which this allocator does not check (profile: huge = skip)";
    p.replaces_block = false;
    return p;
  }
  if (overflows) return fail("num * size overflows", profile_->calloc_num_overflow_size);
  if (op.kind == OpKind::calloc_num && op.size == 0 && profile_->calloc_num_zero_size_fails)
    return fail("an element size of 0 (profile: calloc_num_zero_size = fails)", profile_->calloc_num_overflow_size);
  if (p.request >= UINT64_MAX / 2) {
    if (is_realloc(op.kind) && live_[op.slot] && profile_->huge_realloc_frees) {
      p.frees_block = true;  // and fails all the same
      return fail("a huge size, which frees the block (profile: huge_realloc = frees)", p.request);
    }
    return fail("a huge size", p.request);
  }
  p.backend_call = true;
  if (backend_fails_next()) return fail("an injected backend failure", p.request);
  if (profile_->backend_request(p.request) > limit_) return fail("the backend's limit (out of memory)", p.request);
  return p;
}

void Model::consume_backend_call() {
  if (fail_next_ > 0) fail_next_--;
  if (fail_countdown_ > 0) fail_countdown_--;
}

void Model::apply(const Op &op) {
  if (op.kind == OpKind::fail_next) {
    fail_next_ = op.k;
    return;
  }
  if (op.kind == OpKind::fail_nth) {
    fail_countdown_ = op.k;
    return;
  }
  Prediction p = predict(op);
  if (p.backend_call) consume_backend_call();
  if (p.frees_block) {
    live_[op.slot] = false;
    return;
  }
  if (!stores_block(op.kind) || p.outcome == Outcome::skipped) return;
  if (p.outcome == Outcome::fails) {
    if (!is_realloc(op.kind)) live_[op.slot] = false;  // the old block was freed first
    return;
  }
  live_[op.slot] = true;
}

}  // namespace zmcheck
