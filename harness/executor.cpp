// The executor: each op against the allocator, and the checks of executor.h.
#include "executor.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "accepted.h"
#include "miscount.h"
#include "preemption_window.h"
#include "storm.h"
#include "testing/test_backend.h"

namespace zmcheck {
namespace {

constexpr size_t kUnwritten = 0x5eed5eed;
constexpr size_t kJournalShown = 200;

// The recording OOM handler: it counts its calls on each thread and returns.
struct HandlerLog {
  int calls;
  size_t last_size;
};
__thread HandlerLog handler_log;

void recording_oom_handler(size_t n) {
  handler_log.calls++;
  handler_log.last_size = n;
}

// The op each thread is running, for its journal line and its failure report: an op
// parked on one thread resumes after ops of other threads have run.
struct CurrentOp {
  size_t index;
  Op op;
};
thread_local CurrentOp current;

// An allocator call in flight on this thread. If the process is ended by SIGABRT inside
// it (an implementation that aborts where its contract says the call returns: a try
// function's failure, say), the report names the op, what the contract expected of it,
// and the case as run, as any broken invariant's would.
struct CallInFlight {
  const std::vector<std::string> *journal = nullptr;
  const Prediction *prediction = nullptr;
  const char *profile = "";
  bool threaded = false;
};
thread_local CallInFlight in_call;
struct sigaction previous_abort_action;

void put(const std::string &text, int fd = STDERR_FILENO) {
  for (size_t at = 0; at < text.size();) {
    ssize_t n = write(fd, text.data() + at, text.size() - at);
    if (n <= 0) return;
    at += static_cast<size_t>(n);
  }
}

void on_abort(int signal_number) {
  const CallInFlight call = in_call;
  if (call.journal != nullptr) {
    const Prediction &p = *call.prediction;
    std::string op = op_text(current.op, call.threaded);
    std::string expected = p.outcome == Outcome::fails
                               ? std::string("NULL, because of ") + p.why +
                                     (p.calls_handler ? ", after the OOM handler" : ", without the OOM handler")
                           : stores_block(current.op.kind) ? "a block of " + size_text(p.request) + " bytes"
                                                           : "the call to return";
    put("\n==== zmcheck: I4 failure broken at op " + std::to_string(current.index) + ": " + op + "\n");
    put("expected: " + expected + "\n");
    put("seen:     the process ended by SIGABRT inside the call (the implementation aborted)\n");
    put(std::string("profile:  ") + call.profile + "\nthe case as run, one op per line (the last one broke the invariant):\n");
    for (const std::string &line : *call.journal) put("  " + line + "\n");
    put("  " + op + "  # op " + std::to_string(current.index) + ": BROKE I4 failure\n====\n");
  }
  sigaction(SIGABRT, &previous_abort_action, nullptr);
  raise(signal_number);
}

// Installs on_abort once, in front of whatever handled SIGABRT before (libFuzzer's).
void watch_aborts() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = on_abort;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGABRT, &action, &previous_abort_action) == 0;
  }();
  (void)installed;
}

// Marks the allocator calls of one op, on this thread, for on_abort.
class AllocatorCall {
 public:
  AllocatorCall(const std::vector<std::string> &journal, const Prediction &prediction, const Profile &profile,
                bool threaded) {
    in_call = {&journal, &prediction, profile.name.c_str(), threaded};
  }
  ~AllocatorCall() { in_call = {}; }
  AllocatorCall(const AllocatorCall &) = delete;
  AllocatorCall &operator=(const AllocatorCall &) = delete;
};

// A thread's thread-local cache (exit_free): a destructor of a key created after the
// allocator's own, so that it runs after the allocator's exit hook, as servers' caches do.
struct ExitCache {
  const Sut *sut;
  std::vector<void *> blocks;
};
pthread_key_t exit_cache_key;
pthread_once_t exit_cache_once = PTHREAD_ONCE_INIT;

void free_exit_cache(void *value) {
  auto *cache = static_cast<ExitCache *>(value);
  for (void *p : cache->blocks) cache->sut->zfree(p);
  cache->sut->zfree(cache->sut->zmalloc(24));  // and an allocation of its own, at exit
  delete cache;
}

void make_exit_cache_key() { pthread_key_create(&exit_cache_key, free_exit_cache); }

uint8_t fill_for(size_t index) { return static_cast<uint8_t>('A' + index % 26); }

size_t first_mismatch(const void *p, size_t n, uint8_t byte) {
  // Compared a chunk at a time with one memcmp each (one range check under ASan, where
  // a loop over words checks every load).
  constexpr size_t kChunk = 256;
  uint8_t pattern[kChunk];
  std::memset(pattern, byte, kChunk);
  const auto *bytes = static_cast<const uint8_t *>(p);
  for (size_t at = 0; at < n; at += kChunk) {
    size_t len = std::min(kChunk, n - at);
    if (std::memcmp(bytes + at, pattern, len) == 0) continue;
    for (size_t i = at; i < at + len; i++)
      if (bytes[i] != byte) return i;
  }
  return n;
}

std::string n(uint64_t v) { return size_text(v); }

// The why line a report ends its "seen" with, when there is a why.
std::string why_line(const std::string &why) { return why.empty() ? "" : "\nwhy:      " + why; }

// The parts of a block's first n bytes that the harness writes and reads: all of them
// up to 4 KiB, else the first and the last 2 KiB. A copy that is short, long or shifted,
// a zeroing that stops early and a write past the end all show at an edge; the middle of
// a big block would cost every op a memset and a compare of up to 16 MiB (and blocks of
// 4 GiB and more, reserved address space in the test backend, no memory at all).
constexpr uint64_t kTouchedWhole = 4096;
constexpr uint64_t kTouchedEdge = 2048;

template <class F>
void for_each_touched(uint64_t n, uint64_t limit, F f) {
  auto part = [&](uint64_t from, uint64_t to) {
    to = std::min(to, limit);
    if (from < to) f(from, to);
  };
  if (n <= kTouchedWhole) {
    part(0, n);
  } else {
    part(0, kTouchedEdge);
    part(n - kTouchedEdge, n);
  }
}

void fill_touched(void *p, uint64_t n, uint8_t byte) {
  for_each_touched(n, n, [&](uint64_t from, uint64_t to) { std::memset(static_cast<char *>(p) + from, byte, to - from); });
}

bool env_flag(const char *name) {
  const char *v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

}  // namespace

Executor::Executor(const Sut &sut, const Profile &profile, OnCheckFailure on_failure, bool threaded)
    : sut_(sut), profile_(profile), on_failure_(on_failure), threaded_(threaded) {
  echo_ = env_flag("ZMCHECK_TRACE");
}

void Executor::begin() {
  watch_aborts();
  zm_fault_reset();
  zm_test_backend_set_limit(backend_limit());
  if (sut_.zmalloc_set_oom_handler != nullptr) sut_.zmalloc_set_oom_handler(recording_oom_handler);
  if (sut_.zm_test_reset_counters != nullptr && sut_.zm_test_reset_counters() != 0)
    fail("the test setup", "no thread but this one holding a counter slot at the start of a case",
         "another thread holds one");
  blocks_ = {};
  expected_total_ = 0;
  journal_.clear();
  change_ = {};
  deferred_ = {};
  mode_switched_at_ = -1;
  handed_off_ = false;
  in_teardown_ = false;
  freed_at_exit_ = {};
  slot_in_call_ = {};
  baseline_ = sut_.zmalloc_used_memory();
  backend_live_at_begin_ = zm_test_backend_get_stats().live_blocks;
}

int64_t Executor::used() const {
  return static_cast<int64_t>(sut_.zmalloc_used_memory()) - static_cast<int64_t>(baseline_);
}

void Executor::record(size_t index, const Op &op, const std::string &result) {
  current = {index, op};
  note(result);
}

void Executor::note(const std::string &result) {
  std::string line = op_text(current.op, threaded_) + "  # op " + std::to_string(current.index) + ": " + result;
  if (echo_) std::fprintf(stderr, "%s\n", line.c_str());
  journal_.push_back(std::move(line));
}

void Executor::fail(const char *invariant, const std::string &expected, const std::string &seen) {
  std::string report = "\n==== zmcheck: " + std::string(invariant) + " broken at op " +
                       std::to_string(current.index) + ": " + op_text(current.op, threaded_) + "\n";
  report += "expected: " + expected + "\n";
  report += "seen:     " + seen + "\n";
  if (deferred_.set && (deferred_.index != current.index || deferred_.invariant != invariant))
    report += "also:     " + deferred_.invariant + " broken at op " + std::to_string(deferred_.index) + ": " +
              op_text(deferred_.op, threaded_) + ": expected " + deferred_.expected + ", seen " + deferred_.seen +
              (deferred_.why.empty() ? "" : ": " + deferred_.why) + "\n";
  report += "profile:  " + profile_.name;
  if (sut_.zm_mutant_active != nullptr && *sut_.zm_mutant_active() != '\0')
    report += "; mutant " + std::string(sut_.zm_mutant_active());
  report += "\nthe case as run, one op per line (the last one broke the invariant):\n";
  size_t first = journal_.size() > kJournalShown ? journal_.size() - kJournalShown : 0;
  if (first > 0) report += "  ... " + std::to_string(first) + " earlier ops (ZMCHECK_TRACE=1 prints all)\n";
  for (size_t i = first; i < journal_.size(); i++) report += "  " + journal_[i] + "\n";
  report += "  " + op_text(current.op, threaded_) + "  # op " + std::to_string(current.index) + ": BROKE " + invariant + "\n";
  if (!replay_hint_.empty()) report += "replay:   " + replay_hint_ + "\n";
  report += "====\n";
  bool settled = !in_teardown_;
  if (on_failure_ == OnCheckFailure::throw_exception) throw CheckFailure(report, invariant, settled);
  if (report_pipe_ >= 0) {  // the child of a mode switch whose parent throws: the report goes to it
    put(std::string(invariant) + "\n" + (settled ? "1" : "0") + "\n" + report, report_pipe_);
    _exit(3);
  }
  std::fputs(report.c_str(), stderr);
  std::fflush(stderr);
  std::abort();
}

uint64_t Executor::expected_accounted(void *p, uint64_t requested) const {
  if (profile_.accounting == Profile::Accounting::prefix) return profile_.prefix_accounted(requested);
  return zm_test_usable_size(p);
}

uint64_t Executor::usable_of(void *p, uint64_t requested) const {
  if (sut_.zmalloc_usable_size != nullptr) return sut_.zmalloc_usable_size(p);
  // No zmalloc_usable_size (older implementations): the bytes the block owns, as the
  // profile tells them. Never zmalloc_size, which counts the header and the rounding.
  if (profile_.accounting == Profile::Accounting::prefix) return profile_.prefix_usable(requested);
  return sut_.zmalloc_size(p);
}

void Executor::check_exact() {
  int64_t seen = used();
  if (seen != expected_total_) {
    int live = 0;
    for (const Block &b : blocks_) live += b.p != nullptr;
    std::string why;
    if (!threaded_ && change_.any && used_before_op_ == expected_before_op_)
      why = explain_change(seen - used_before_op_, expected_total_ - expected_before_op_);
    fail("I1 exactness",
         "used_memory - baseline == " + std::to_string(expected_total_) + " (A summed over " +
             std::to_string(live) + " live blocks)",
         std::to_string(seen) + " (off by " + std::to_string(seen - expected_total_) + ")" +
             why_line(why));
  }
}

uint64_t Executor::accounted_now(const Block &block) const {
  return sut_.zmalloc_size != nullptr ? sut_.zmalloc_size(block.p) : block.reported;
}

std::string Executor::explain_change(int64_t seen_delta, int64_t expected_delta) const {
  const Change &c = change_;
  std::string why = zmcheck::explain_change(profile_, {c.had_old, c.has_new, c.old_requested, c.new_requested},
                                            seen_delta, expected_delta);
  if (!why.empty() && c.had_old && mode_switched_at_ >= 0 && c.old_made_at < static_cast<size_t>(mode_switched_at_))
    why += "; the block it freed was made at op " + std::to_string(c.old_made_at) +
           ", before zmalloc_enable_thread_safeness() at op " + std::to_string(mode_switched_at_);
  return why;
}

std::string Executor::explain_size(uint64_t requested, uint64_t reported) const {
  return zmcheck::explain_size(profile_, requested, reported);
}

void Executor::check_distinct(void *p, int slot) {
  // A slot whose op is parked inside the allocator may hold a pointer that call has freed
  // already (a realloc that moved the block): the allocator may give that address again.
  for (int s = 0; s < kSlots; s++)
    if (s != slot && blocks_[s].p == p && !slot_in_call_[s])
      fail("I2 size", "a block distinct from every live one", "the same pointer as live block s" + std::to_string(s));
}

Executor::Block Executor::adopt(void *p, uint64_t requested, const Op &op) {
  Block b;
  b.p = p;
  b.requested = requested;
  b.usable = usable_of(p, requested);
  uint64_t expected = expected_accounted(p, requested);
  // The total is checked against the contract's A (also without zmalloc_size, as in the
  // older implementations); a zmalloc_size that disagrees is reported, after the rest.
  b.accounted = expected;
  b.reported = sut_.zmalloc_size != nullptr ? sut_.zmalloc_size(p) : expected;
  if (b.reported != expected && !deferred_.set)
    deferred_ = {true, current.index, current.op, "I2 size", "zmalloc_size == A(" + n(requested) + ") == " + n(expected),
                 n(b.reported), explain_size(requested, b.reported)};
  if (b.usable < requested)
    fail("I2 size", "zmalloc_usable_size >= the " + n(requested) + " bytes asked for", n(b.usable));
  (void)op;
  return b;
}

void Executor::check_contents(const Block &block, uint64_t bytes, const char *what) {
  size_t at = bytes;
  for_each_touched(block.valid, bytes, [&](uint64_t from, uint64_t to) {
    size_t off = first_mismatch(static_cast<const char *>(block.p) + from, to - from, block.fill);
    if (at == bytes && off != to - from) at = from + off;
  });
  if (at != bytes) {
    char seen[64];
    std::snprintf(seen, sizeof seen, "byte %zu is 0x%02x", at, static_cast<const uint8_t *>(block.p)[at]);
    fail("I3 contents", std::string(what) + ": " + std::to_string(bytes) + " bytes of 0x" +
                            [&] { char h[3]; std::snprintf(h, 3, "%02x", block.fill); return std::string(h); }(),
         seen);
  }
}

void Executor::check_handler(const Op &op, const Prediction &prediction, bool failed) {
  bool must_call = failed && prediction.calls_handler;
  if (must_call && handler_log.calls != 1)
    fail("I4 failure", "the OOM handler called once, with " + n(prediction.handler_size),
         "called " + std::to_string(handler_log.calls) + " times");
  if (must_call && handler_log.last_size != prediction.handler_size)
    fail("I4 failure", "the OOM handler called with " + n(prediction.handler_size),
         "called with " + n(handler_log.last_size));
  if (!must_call && handler_log.calls != 0)
    fail("I4 failure",
         !failed           ? "no OOM handler call when nothing failed"
         : is_try(op.kind) ? "no OOM handler call from a try op"
                           : "no OOM handler call from a failed zrealloc(NULL, 0) (profile: realloc_null_zero_oom = silent)",
         "called with " + n(handler_log.last_size));
}

void Executor::check_failed_usable_out(const Op &op, size_t seen, bool allocation) {
  if (!allocation || !profile_.failed_alloc_usable_untouched) return check_usable_out(op, seen, 0);
  if (has_usable_out(op.kind) && seen != kUnwritten)
    fail("I7 out-params", "*usable left as it was by a failed allocation (profile: failed_alloc_usable = untouched)",
         "*usable == " + n(seen));
}

void Executor::check_usable_out(const Op &op, size_t seen, size_t expected) {
  if (!has_usable_out(op.kind) || seen == expected) return;
  fail("I7 out-params", "*usable == " + n(expected),
       seen == kUnwritten ? "*usable not written" : "*usable == " + n(seen));
}

void *Executor::call_alloc(const Op &op, size_t *u, const std::string &text) {
  switch (op.kind) {
    case OpKind::malloc: return sut_.zmalloc(op.size);
    case OpKind::calloc: return sut_.zcalloc(op.size);
    case OpKind::calloc_num: return sut_.zcalloc_num(op.count, op.size);
    case OpKind::try_malloc: return sut_.ztrymalloc(op.size);
    case OpKind::try_calloc: return sut_.ztrycalloc(op.size);
    case OpKind::malloc_usable: return sut_.zmalloc_usable(op.size, u);
    case OpKind::calloc_usable: return sut_.zcalloc_usable(op.size, u);
    case OpKind::try_malloc_usable: return sut_.ztrymalloc_usable(op.size, u);
    case OpKind::try_calloc_usable: return sut_.ztrycalloc_usable(op.size, u);
    case OpKind::strdup: return sut_.zstrdup(text.c_str());
    default: return nullptr;
  }
}

void Executor::run_alloc(const Op &op, const Prediction &prediction, uint8_t fill) {
  Block old = blocks_[op.slot];
  std::string text;
  if (op.kind == OpKind::strdup) text.assign(op.size, static_cast<char>(fill));
  size_t u = kUnwritten;
  void *p;
  {
    PreemptionWindow window;
    AllocatorCall call(journal_, prediction, profile_, threaded_);
    p = call_alloc(op, &u, text);
  }
  bool failed = p == nullptr;
  if (failed && prediction.outcome == Outcome::succeeds)
    fail("I4 failure", "a block of " + n(prediction.request) + " bytes", "NULL");
  if (!failed && prediction.outcome == Outcome::fails)
    fail("I4 failure", std::string("NULL, because of ") + prediction.why, "a block");
  check_handler(op, prediction, failed);
  std::string result;
  if (failed) {
    check_failed_usable_out(op, u, true);
    result = std::string("NULL (") + prediction.why + ")";
    blocks_[op.slot] = {};
  } else {
    check_distinct(p, -1);
    Block b = adopt(p, prediction.request, op);
    check_usable_out(op, u, b.usable);
    if (op.kind == OpKind::strdup) {
      b.fill = fill;
      b.valid = op.size;
      check_contents(b, op.size, "zstrdup's copy");
      if (static_cast<char *>(p)[op.size] != '\0')
        fail("I3 contents", "zstrdup's copy ends with a NUL", "no NUL after the copy");
      b.valid = op.size;
    } else if (is_calloc(op.kind)) {
      b.fill = 0;
      b.valid = prediction.request;
      check_contents(b, prediction.request, "zeroed memory");
      b.valid = prediction.request;
    } else {
      b.fill = fill;
      fill_touched(p, prediction.request, fill);
      b.valid = prediction.request;
    }
    b.made_at = current.index;
    blocks_[op.slot] = b;
    expected_total_ += static_cast<int64_t>(b.accounted);
    change_.any = change_.has_new = true;
    change_.new_requested = prediction.request;
    result = "block A=" + n(b.accounted) + " usable=" + n(b.usable);
  }
  if (old.p != nullptr) {  // the op replaces the slot's block: the old one goes now
    check_contents(old, old.valid, "the replaced block, before its free");
    PreemptionWindow window;
    sut_.zfree(old.p);
    expected_total_ -= static_cast<int64_t>(old.accounted);
    change_.any = change_.had_old = true;
    change_.old_requested = old.requested;
    change_.old_made_at = old.made_at;
    result += "; the old s" + std::to_string(op.slot) + " freed";
  }
  note(result);
}

void Executor::run_realloc(const Op &op, const Prediction &prediction, uint8_t fill) {
  Block old = blocks_[op.slot];
  size_t u = kUnwritten;
  void *p = nullptr;
  {
    PreemptionWindow window;
    AllocatorCall call(journal_, prediction, profile_, threaded_);
    switch (op.kind) {
      case OpKind::realloc: p = sut_.zrealloc(old.p, op.size); break;
      case OpKind::try_realloc: p = sut_.ztryrealloc(old.p, op.size); break;
      case OpKind::realloc_usable: p = sut_.zrealloc_usable(old.p, op.size, &u); break;
      case OpKind::try_realloc_usable: p = sut_.ztryrealloc_usable(old.p, op.size, &u); break;
      default: break;
    }
  }
  if (prediction.frees_block) {  // realloc to 0, or to a huge size where that frees the block
    bool to_zero = prediction.outcome == Outcome::succeeds;
    if (p != nullptr) {  // the slot keeps what came back, so that abandon() frees it
      if (to_zero) {
        blocks_[op.slot] = adopt(p, 0, op);
        fail("I3 contents", "zrealloc(p, 0) frees p and returns NULL", "a live block");
      }
      blocks_[op.slot] = Block{.p = p};
      fail("I4 failure", std::string("NULL, because of ") + prediction.why, "a block");
    }
    check_handler(op, prediction, !to_zero);
    check_usable_out(op, u, 0);
    expected_total_ -= static_cast<int64_t>(old.accounted);
    change_ = {true, true, false, old.requested, 0, old.made_at};
    blocks_[op.slot] = {};
    note(to_zero ? "NULL: the block freed" : std::string("NULL (") + prediction.why + "): the block freed");
    return;
  }
  bool failed = p == nullptr;
  if (failed && prediction.outcome == Outcome::succeeds)
    fail("I4 failure", "a block of " + n(op.size) + " bytes", "NULL");
  if (!failed && prediction.outcome == Outcome::fails)
    fail("I4 failure", std::string("NULL, because of ") + prediction.why, "a block");
  check_handler(op, prediction, failed);
  if (failed) {
    check_failed_usable_out(op, u, old.p == nullptr);
    if (old.p != nullptr) {  // a failed realloc changes nothing
      check_contents(old, old.valid, "the block a failed realloc must leave intact");
      uint64_t a = accounted_now(old);
      if (a != old.reported)
        fail("I3 contents", "the block a failed realloc leaves to keep zmalloc_size == " + n(old.reported),
             "zmalloc_size == " + n(a));
    }
    note(std::string("NULL (") + prediction.why + "); s" + std::to_string(op.slot) + " unchanged");
    return;
  }
  if (p != old.p) check_distinct(p, op.slot);
  Block b = adopt(p, op.size, op);
  check_usable_out(op, u, b.usable);
  if (old.p != nullptr) {
    b.fill = old.fill;
    b.valid = old.valid;  // what old held: compared as far as the new size goes
    check_contents(b, std::min(old.valid, op.size), "realloc keeps min(old, new) bytes");
  }
  b.fill = fill;
  fill_touched(p, op.size, fill);
  b.valid = op.size;
  b.made_at = current.index;
  blocks_[op.slot] = b;
  expected_total_ += static_cast<int64_t>(b.accounted) - static_cast<int64_t>(old.accounted);
  change_ = {true, old.p != nullptr, true, old.requested, op.size, old.made_at};
  note((old.p == nullptr ? "from NULL: block A=" : "block A=") + n(b.accounted) + " usable=" + n(b.usable));
}

void Executor::run_free(const Op &op, const Prediction &prediction) {
  Block old = blocks_[op.slot];
  if (old.p != nullptr) check_contents(old, old.valid, "the block, before its free");
  size_t u = kUnwritten;
  {
    PreemptionWindow window;
    AllocatorCall call(journal_, prediction, profile_, threaded_);
    if (op.kind == OpKind::free_usable)
      sut_.zfree_usable(old.p, &u);
    else
      sut_.zfree(old.p);
  }
  if (op.kind == OpKind::free_usable) {
    if (old.p == nullptr && profile_.free_usable_null_untouched && u != kUnwritten)
      fail("I7 out-params", "zfree_usable(NULL, &u) leaves u as it was (profile: free_usable_null = untouched)",
           "*usable == " + n(u));
    if (old.p != nullptr || !profile_.free_usable_null_untouched) check_usable_out(op, u, old.usable);
  }
  expected_total_ -= static_cast<int64_t>(old.accounted);
  if (old.p != nullptr) change_ = {true, true, false, old.requested, 0, old.made_at};
  blocks_[op.slot] = {};
  note(old.p == nullptr ? "NULL: nothing to free" : "freed A=" + n(old.accounted));
}

void Executor::run(size_t index, const Op &op, const Prediction &prediction) {
  if (handed_off_) return;
  // The slot is in a call until this op returns (or throws), also while it is parked.
  struct SlotInCall {
    bool *flag;
    ~SlotInCall() {
      if (flag != nullptr) *flag = false;
    }
  } in_call_of_slot{info(op.kind).has_slot ? &slot_in_call_[op.slot] : nullptr};
  if (in_call_of_slot.flag != nullptr) *in_call_of_slot.flag = true;
  current.index = index;
  current.op = op;
  handler_log = {};
  change_ = {};
  if (!threaded_) {
    used_before_op_ = used();
    expected_before_op_ = expected_total_;
  }
  zm_test_backend_stats before = zm_test_backend_get_thread_stats();
  uint8_t fill = fill_for(index);
  if (prediction.outcome == Outcome::skipped) {
    note(std::string("skipped: ") + prediction.why);
    return;
  }
  switch (op.kind) {
    case OpKind::realloc:
    case OpKind::try_realloc:
    case OpKind::realloc_usable:
    case OpKind::try_realloc_usable:
      run_realloc(op, prediction, fill);
      break;
    case OpKind::free:
    case OpKind::free_usable:
      run_free(op, prediction);
      break;
    case OpKind::query: {
      Block &b = blocks_[op.slot];
      if (b.p == nullptr) {
        note("empty slot");
        break;
      }
      uint64_t a = accounted_now(b);
      if (a != b.reported) fail("I2 size", "zmalloc_size == " + n(b.reported) + " for the block's whole life", n(a));
      uint64_t usable = usable_of(b.p, b.requested);
      if (usable != b.usable) fail("I2 size", "zmalloc_usable_size == " + n(b.usable) + " for the block's whole life", n(usable));
      note("A=" + n(a) + " usable=" + n(usable));
      break;
    }
    case OpKind::write: {
      Block &b = blocks_[op.slot];
      if (b.p == nullptr) {
        note("empty slot");
        break;
      }
      fill_touched(b.p, b.usable, fill);  // every usable byte is the caller's (ASan, canary)
      b.fill = fill;
      b.valid = b.usable;
      note(n(b.usable) + " bytes written");
      break;
    }
    case OpKind::check:
      for (const Block &b : blocks_)
        if (b.p != nullptr) check_contents(b, b.valid, "a live block's contents");
      note("contents of every live block as written");
      break;
    case OpKind::read_used: {
      size_t v;
      {
        PreemptionWindow window;
        v = sut_.zmalloc_used_memory();
      }
      bool updates_in_flight = in_flight_ && in_flight_() > 0;
      if (v >= SIZE_MAX / 2 && !(profile_.reads_may_wrap && updates_in_flight))
        fail("I6 threads", "a total below SIZE_MAX/2", n(v) + ", a wrapped value");
      if (v >= SIZE_MAX / 2) accept_wrapped_reads(1, v);
      note("used_memory - baseline = " + std::to_string(static_cast<int64_t>(v) - static_cast<int64_t>(baseline_)));
      break;
    }
    case OpKind::fail_next:
      zm_fault_fail_next(op.k);
      note("the next " + std::to_string(op.k) + " backend calls fail");
      break;
    case OpKind::fail_nth:
      zm_fault_fail_nth(op.k);
      note("backend call " + std::to_string(op.k) + " from now fails");
      break;
    case OpKind::enable_thread_safeness:
      run_enable_thread_safeness();
      if (handed_off_) return;
      break;
    case OpKind::storm: {
      zm_fault_reset();  // the storm's threads allocate: no injected failure is left for them (nor after)
      StormResult r = run_storm(sut_, profile_, storm_threads());
      std::string alive = std::to_string(r.threads) + " threads alive at once";
      if (r.seen_at_barrier != r.expected_at_barrier)
        fail("I1 exactness",
             "used_memory - the total before the storm == " + std::to_string(r.expected_at_barrier) +
                 " at its barrier (A summed over the blocks of " + alive + ", each having freed one its neighbour made)",
             std::to_string(r.seen_at_barrier) + " (off by " + std::to_string(r.seen_at_barrier - r.expected_at_barrier) + ")" +
                 why_line(zmcheck::explain_total(profile_, r.live_requested, r.seen_at_barrier)));
      if (r.after != 0)
        fail("I1 exactness", "used_memory back at the total before the storm once its blocks are freed (" + alive +
                                 ", half of them exited holding blocks)",
             "off by " + std::to_string(r.after));
      note("a storm of " + alive + ": exact at the barrier and after; " + std::to_string(r.cross_thread_frees) +
           " cross-thread frees, " + std::to_string(r.blocks_left_by_exited_threads) + " blocks left by exited threads");
      break;
    }
    case OpKind::exit_free: {
      Block b = blocks_[op.slot];
      if (b.p == nullptr || !threaded_ || op.thread == 0) {
        note(b.p == nullptr ? "empty slot" : "skipped: only a spawned thread exits within a case");
        break;
      }
      check_contents(b, b.valid, "the block, before its thread's cache takes it");
      pthread_once(&exit_cache_once, make_exit_cache_key);
      auto *cache = static_cast<ExitCache *>(pthread_getspecific(exit_cache_key));
      if (cache == nullptr) {
        cache = new ExitCache{&sut_, {}};
        pthread_setspecific(exit_cache_key, cache);
      }
      cache->blocks.push_back(b.p);
      freed_at_exit_[op.thread] += static_cast<int64_t>(b.accounted);
      blocks_[op.slot] = {};
      note("T" + std::to_string(op.thread) + "'s thread-local cache holds it: its destructor frees it at exit");
      break;
    }
    case OpKind::spawn:
    case OpKind::exit:
      break;  // the threaded runner's
    default:
      run_alloc(op, prediction, fill);
      break;
  }
  zm_test_backend_stats after = zm_test_backend_get_thread_stats();
  unsigned long long calls = after.calls - before.calls;
  if (calls != (prediction.backend_call ? 1u : 0u))
    fail("I4 failure",
         prediction.backend_call ? "one allocating call to the backend"
                                 : std::string("no allocating call to the backend") +
                                       (prediction.why[0] ? std::string(" (") + prediction.why + ")" : ""),
         std::to_string(calls));
  if (!in_flight_ || in_flight_() == 0) check_exact();
}

void Executor::thread_exited(int thread) {
  expected_total_ -= freed_at_exit_[static_cast<size_t>(thread)];
  freed_at_exit_[static_cast<size_t>(thread)] = 0;
}

void Executor::abandon() {
  for (Block &b : blocks_) {
    if (b.p != nullptr) sut_.zfree(b.p);
    b = {};
  }
  zm_fault_reset();
}

void Executor::end() {
  if (handed_off_) {  // the child ran the rest and judged it; give back what this process holds
    abandon();
    return;
  }
  size_t index = journal_.size();
  in_teardown_ = true;
  std::string why;  // the first teardown free that moved the total by other than its A
  for (int s = 0; s < kSlots; s++) {  // each free in the journal: the story of an I5 failure
    Block &b = blocks_[s];
    if (b.p == nullptr) continue;
    current.index = index++;
    current.op = Op{.kind = OpKind::free, .slot = static_cast<uint8_t>(s)};
    check_contents(b, b.valid, "a live block's contents at teardown");
    int64_t before = used();
    sut_.zfree(b.p);
    expected_total_ -= static_cast<int64_t>(b.accounted);
    note("teardown: freed A=" + n(b.accounted) + ", used_memory - baseline = " + std::to_string(used()));
    int64_t moved = used() - before, expected = -static_cast<int64_t>(b.accounted);
    if (why.empty() && !threaded_ && moved != expected) {
      change_ = {true, true, false, b.requested, 0, b.made_at};
      std::string story = explain_change(moved, expected);
      if (!story.empty()) why = "the teardown's zfree(s" + std::to_string(s) + "): " + story;
    }
    b = {};
  }
  current.index = index;
  current.op = Op{};
  current.op.kind = OpKind::check;
  if (used() != 0)
    fail("I5 teardown", "used_memory back at the baseline after freeing every block",
         "off by " + std::to_string(used()) + why_line(why));
  long long leaked = zm_test_backend_get_stats().live_blocks - backend_live_at_begin_;
  if (leaked != 0)
    fail("I5 teardown", "every backend block given back", std::to_string(leaked) + " blocks still held by the allocator");
  if (deferred_.set) {  // the case broke nothing else: now the zmalloc_size it saw
    current.index = deferred_.index;
    current.op = deferred_.op;
    fail(deferred_.invariant.c_str(), deferred_.expected,
         deferred_.seen + " (at op " + std::to_string(deferred_.index) +
             "; the case went on, and broke nothing else, with the total checked against the contract's A)" +
             why_line(deferred_.why));
  }
  zm_fault_reset();
  if (in_child_) {  // the child of a mode switch: the case is over, and so is this process
    write_accepted();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(0);
  }
}

void Executor::run_enable_thread_safeness() {
  bool must_fork = profile_.thread_safe_after_enable && !thread_safeness_enabled() && !threaded_;
  if (!must_fork) {
    enable_thread_safeness(sut_);
    if (mode_switched_at_ < 0) mode_switched_at_ = static_cast<long>(current.index);
    note("the counter is thread-safe from here on");
    return;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  int channel[2] = {-1, -1};
  if (on_failure_ == OnCheckFailure::throw_exception && pipe(channel) != 0)
    fail("the test setup", "a pipe for the report of the rest of the case", std::strerror(errno));
  pid_t child = fork();
  if (child < 0) fail("the test setup", "a child process for the rest of the case (fork)", std::strerror(errno));
  if (child == 0) {
    in_child_ = true;
    forget_accepted();
    if (channel[0] >= 0) close(channel[0]);
    report_pipe_ = channel[1];
    on_failure_ = OnCheckFailure::abort_process;  // the parent reads the verdict off the exit status
    enable_thread_safeness(sut_);
    mode_switched_at_ = static_cast<long>(current.index);
    note("the counter is thread-safe from here on; the rest of the case runs in child process " +
         std::to_string(getpid()) + " (the switch cannot be undone, and this process must stay unswitched)");
    return;
  }
  std::string child_report;
  if (channel[1] >= 0) {
    close(channel[1]);
    char buffer[4096];
    ssize_t got;
    while ((got = read(channel[0], buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR))
      if (got > 0) child_report.append(buffer, static_cast<size_t>(got));
    close(channel[0]);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    handed_off_ = true;
    return;
  }
  if (!child_report.empty() && on_failure_ == OnCheckFailure::throw_exception) {
    // "<invariant>\n<settled>\n<report>": the child's own report, thrown here.
    size_t first = child_report.find('\n'), second = child_report.find('\n', first + 1);
    handed_off_ = true;
    if (first != std::string::npos && second != std::string::npos)
      throw CheckFailure(child_report.substr(second + 1), child_report.substr(0, first),
                         child_report.substr(first + 1, second - first - 1) == "1");
  }
  std::string how = WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                        : "exited with status " + std::to_string(WEXITSTATUS(status));
  std::string text = "zmcheck: the rest of the case ran in child process " + std::to_string(child) +
                     " after zmalloc_enable_thread_safeness() at op " + std::to_string(current.index) + ", and it " + how +
                     ": its report is above\n";
  if (!replay_hint_.empty()) text += "replay:   " + replay_hint_ + "\n";
  handed_off_ = true;
  if (on_failure_ == OnCheckFailure::throw_exception) throw CheckFailure(text);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  std::abort();
}

}  // namespace zmcheck
