// Free-running threads: workers, a mailbox, a reader, and the totals after the joins.
#include "free_running.h"

#include <atomic>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "accepted.h"
#include "miscount.h"
#include "thread_crew.h"
#include "testing/test_backend.h"

namespace zmcheck {
namespace {

struct Block {
  void *p;
  uint64_t n;
  int maker;  // the worker that made it
};

uint64_t accounted(const Sut &sut, const Profile &profile, const Block &b) {
  if (profile.accounting == Profile::Accounting::prefix) return profile.prefix_accounted(b.n);
  (void)sut;
  return zm_test_usable_size(b.p);
}

}  // namespace

FreeRunningResult run_free_running(const Sut &sut, const Profile &profile, const FreeRunningPlan &plan) {
  FreeRunningResult result;
  enable_thread_safeness(sut);  // before the first thread, as a server does
  const int64_t baseline = static_cast<int64_t>(sut.zmalloc_used_memory());
  std::mutex mailbox_lock;
  std::deque<Block> mailbox;
  std::vector<Block> left_behind;  // blocks of workers that exited holding them
  std::atomic<uint64_t> cross_thread_frees{0};
  std::atomic<bool> done{false};

  // Threads new to the allocator (thread_crew.h): kept ones where it cannot tell them apart.
  std::unique_ptr<CrewThread> reader;
  if (plan.reader) {
    reader = std::make_unique<CrewThread>(sut, [&] {
      while (!done.load(std::memory_order_acquire)) {
        size_t v = sut.zmalloc_used_memory();
        result.reads++;
        if (v >= SIZE_MAX / 2) {
          result.wrapped_reads++;
          if (v > result.largest_wrapped_read) result.largest_wrapped_read = v;
        }
        // Runnable workers go first: a reader that keeps its CPU for a whole time slice
        // keeps the workers waiting behind it, two of them on one CPU and the rest idle.
        std::this_thread::yield();
      }
    });
  }

  // The workers of a generation start together: a thread's first ops would otherwise
  // be over before the next one is created, and their counter updates never overlap.
  std::atomic<int> arrived{0};
  auto worker = [&](int id, int generation) {
    arrived.fetch_add(1, std::memory_order_acq_rel);
    while (arrived.load(std::memory_order_acquire) < (generation + 1) * plan.threads) std::this_thread::yield();
    std::vector<Block> mine;
    for (int i = 0; i < plan.ops_per_worker; i++) {
      uint64_t n = plan.sizes[static_cast<size_t>(id * 7 + i) % plan.sizes.size()];
      Block b{sut.zmalloc(n), n, id};
      std::memset(b.p, id & 0xff, n);
      if ((i * 37 + id * 11) % 100 < plan.handoff_percent) {
        std::lock_guard<std::mutex> hold(mailbox_lock);
        mailbox.push_back(b);
      } else {
        mine.push_back(b);
      }
      if (i % 3 == 0) {  // free one block another thread may have made
        Block taken{};
        {
          std::lock_guard<std::mutex> hold(mailbox_lock);
          if (!mailbox.empty()) {
            taken = mailbox.front();
            mailbox.pop_front();
          }
        }
        if (taken.p != nullptr) {
          if (taken.maker != id) cross_thread_frees.fetch_add(1, std::memory_order_relaxed);
          sut.zfree(taken.p);
        }
      }
      if (i % 4 == 1 && !mine.empty()) {
        sut.zfree(mine.back().p);
        mine.pop_back();
      }
    }
    std::lock_guard<std::mutex> hold(mailbox_lock);  // exits holding the rest
    left_behind.insert(left_behind.end(), mine.begin(), mine.end());
  };

  int next_id = 1;
  for (int g = 0; g < plan.generations; g++) {
    std::vector<std::unique_ptr<CrewThread>> workers;
    for (int t = 0; t < plan.threads; t++) {
      const int id = next_id++;
      workers.push_back(std::make_unique<CrewThread>(sut, [&worker, id, g] { worker(id, g); }));
    }
    for (std::unique_ptr<CrewThread> &w : workers) w->finish();
  }
  done.store(true, std::memory_order_release);
  if (reader != nullptr) reader->finish();
  if (profile.reads_may_wrap) accept_wrapped_reads(result.wrapped_reads, result.largest_wrapped_read);

  auto count_live = [&](const Block &b) {
    result.expected += static_cast<int64_t>(accounted(sut, profile, b));
    result.live_requested.push_back(b.n);
  };
  for (const Block &b : left_behind) count_live(b);
  for (const Block &b : mailbox) count_live(b);
  result.seen = static_cast<int64_t>(sut.zmalloc_used_memory()) - baseline;
  result.blocks_left_by_exited_threads = left_behind.size();
  result.cross_thread_frees = cross_thread_frees.load();
  for (const Block &b : left_behind) sut.zfree(b.p);
  for (const Block &b : mailbox) sut.zfree(b.p);
  result.after_teardown = static_cast<int64_t>(sut.zmalloc_used_memory()) - baseline;
  return result;
}

FreeRunningVerdict judge(const FreeRunningResult &r, const Profile &profile) {
  auto s = [](auto v) { return std::to_string(v); };
  if (r.wrapped_reads != 0 && !profile.reads_may_wrap)
    return {"I6 threads", "no read of used_memory at or above SIZE_MAX/2", s(r.wrapped_reads) + " wrapped reads", ""};
  if (r.seen != r.expected)
    return {"I1 exactness", "used_memory - baseline == " + s(r.expected) + " after the joins (A over the blocks left live)",
            s(r.seen) + " (off by " + s(r.seen - r.expected) + ")", explain_total(profile, r.live_requested, r.seen)};
  if (r.after_teardown != 0)
    return {"I5 teardown", "used_memory back at the baseline after freeing every block",
            "off by " + s(r.after_teardown), ""};
  return {};
}

FreeRunningPlan plan_from_bytes(std::span<const uint8_t> bytes) {
  auto at = [&](size_t i) -> unsigned { return i < bytes.size() ? bytes[i] : 0; };
  FreeRunningPlan plan;
  plan.threads = 2 + static_cast<int>(at(0) % 3);
  plan.generations = 1 + static_cast<int>(at(1) % 2);
  plan.ops_per_worker = 16 * (1 + static_cast<int>(at(2) % 8));
  plan.handoff_percent = static_cast<int>(at(3) % 101);
  plan.sizes.clear();
  for (size_t i = 4; i + 1 < bytes.size() && plan.sizes.size() < 8; i += 2)
    plan.sizes.push_back((at(i) | at(i + 1) << 8) % 4096);
  if (plan.sizes.empty()) plan.sizes.push_back(24);
  return plan;
}

std::string plan_text(const FreeRunningPlan &plan) {
  std::string sizes;
  for (uint32_t n : plan.sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(n);
  return "free_running(threads=" + std::to_string(plan.threads) + ", generations=" + std::to_string(plan.generations) +
         ", ops=" + std::to_string(plan.ops_per_worker) + ", handoff=" + std::to_string(plan.handoff_percent) +
         "%, sizes=" + sizes + ")";
}

}  // namespace zmcheck
