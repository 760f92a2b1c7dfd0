// The model's predictions, from the contract of src/zmalloc.h and the profile.
#include "model.h"

namespace zmcheck {

int Model::live_count() const {
  int n = 0;
  for (bool l : live_) n += l;
  return n;
}

Prediction Model::predict(const Op &op) const {
  Prediction p = contract(op);
  if (p.outcome != Outcome::fails) return p;
  bool fatal = (p.calls_handler && profile_->oom_fatal) || (op.kind == OpKind::strdup && profile_->strdup_oom_fatal);
  if (!fatal) return p;
  Prediction skipped;
  skipped.outcome = Outcome::skipped;
  skipped.request = p.request;
  skipped.why = op.kind == OpKind::strdup && profile_->strdup_oom_fatal
                    ? "a failing zstrdup is fatal (profile: strdup_oom = fatal): not run"
                    : "a failure here is fatal (profile: oom = fatal): not run";
  return skipped;
}

Prediction Model::contract(const Op &op) const {
  Prediction p;
  if (op.kind == OpKind::storm && stormed_) {
    p.outcome = Outcome::skipped;
    p.why = "one storm per case (a second would hold threads beyond the table again, at their cost)";
    return p;
  }
  if (!stores_block(op.kind)) {
    p.frees_block = (op.kind == OpKind::free || op.kind == OpKind::free_usable || op.kind == OpKind::exit_free) &&
                    live_[op.slot] && (op.kind != OpKind::exit_free || op.thread != 0);
    return p;
  }
  p.request = op.size;
  if (op.kind == OpKind::strdup) p.request = op.size + 1;
  bool realloc_of_live = is_realloc(op.kind) && live_[op.slot];
  auto fail = [&](const char *why, uint64_t handler_size) {
    p.outcome = Outcome::fails;
    p.why = why;
    p.calls_handler = !is_try(op.kind);
    p.handler_size = handler_size;
    return p;
  };
  if (realloc_of_live && op.size == 0) {
    if (profile_->realloc_zero == Profile::ReallocZero::frees) {
      p.frees_block = true;
      return p;
    }
    if (profile_->realloc_zero == Profile::ReallocZero::oom) {
      p.frees_block = true;  // by the backend's realloc, which then gives NULL
      return fail("zrealloc(p, 0) is an out-of-memory (profile: realloc_zero = oom)", 0);
    }
  } else if (!realloc_of_live) {
    p.replaces_block = live_[op.slot];
  }
  auto skip = [&](const char *why) {
    p.outcome = Outcome::skipped;
    p.why = why;
    p.replaces_block = false;
    return p;
  };
  bool overflows = op.kind == OpKind::calloc_num && __builtin_mul_overflow(op.count, op.size, &p.request);
  bool huge = overflows || p.request >= UINT64_MAX / 2;
  if (huge && profile_->huge == Profile::Huge::skip)
    return skip("a huge size, which this allocator does not check (profile: huge = skip)");
  if (overflows) return fail("num * size overflows", profile_->calloc_num_overflow_size);
  if (op.kind == OpKind::calloc_num && op.size == 0 && profile_->calloc_num_zero_size_fails)
    return fail("an element size of 0 (profile: calloc_num_zero_size = fails)", profile_->calloc_num_overflow_size);
  if (huge && profile_->huge == Profile::Huge::fails) {
    if (realloc_of_live && profile_->huge_realloc_frees) {
      p.frees_block = true;  // and fails all the same
      return fail("a huge size, which frees the block (profile: huge_realloc = frees)", p.request);
    }
    return fail("a huge size", p.request);
  }
  if (huge && profile_->accounting == Profile::Accounting::prefix && profile_->prefix_wraps(p.request))
    return skip("a huge size whose n + header wraps around, which the allocator must refuse before the backend "
                "(profile: huge = backend): not asked");
  p.backend_call = true;
  bool null_zero = is_realloc(op.kind) && !realloc_of_live && op.size == 0;
  auto backend_fail = [&](const char *why) {
    fail(why, p.request);
    if (null_zero && !profile_->realloc_null_zero_calls_handler) p.calls_handler = false;
    return p;
  };
  if (backend_fails_next()) return backend_fail("an injected backend failure");
  if (huge) return backend_fail("a huge size, which the backend refuses (profile: huge = backend)");
  if (profile_->backend_request(p.request) > limit_) return backend_fail("the backend's limit (out of memory)");
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
  if (op.kind == OpKind::storm) {  // a storm clears the injected failures: its threads must allocate
    if (!stormed_) fail_next_ = fail_countdown_ = 0;
    stormed_ = true;
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
