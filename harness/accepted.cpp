// The process's tallies of what the profile accepted, written once at exit.
#include "accepted.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace zmcheck {
namespace {

constexpr char kWrappedReads[] = "zmcheck accepted: wrapped_reads = transient: ";
constexpr char kWrappedReadsTail[] = "%llu wrapped reads of used_memory, the largest %llu";
constexpr char kSuppressed[] = "zmcheck accepted: counter_reads = racy: ";
constexpr char kSuppressedTail[] = "%llu ThreadSanitizer reports suppressed (%255[^)])";  // as read back
constexpr char kSuppressedTailWritten[] = "%llu ThreadSanitizer reports suppressed (%s)";
constexpr char kTsanMatched[] = "ThreadSanitizer: Matched ";  // "... N suppressions (pid=P):\n" "N race:f\n"...

std::atomic<uint64_t> wrapped_reads{0};
std::atomic<size_t> largest_wrapped{0};
std::mutex suppressed_lock;
std::map<std::string, uint64_t> suppressed;  // "race:zmalloc_used_memory" -> reports
std::once_flag at_exit;

void write_at_exit() { write_accepted(); }
void write_at_exit_once() {
  std::call_once(at_exit, [] { std::atexit(write_at_exit); });
}

void accept_suppressed(const std::string &suppression, uint64_t count) {
  if (count == 0) return;
  write_at_exit_once();
  std::lock_guard<std::mutex> hold(suppressed_lock);
  suppressed[suppression] += count;
}

// Every line after `at` that reads "<count> <type>:<pattern>", as ThreadSanitizer lists
// the suppressions a process matched.
void absorb_tsan_block(const std::string &output, size_t at) {
  for (size_t line = output.find('\n', at); line != std::string::npos; line = output.find('\n', line + 1)) {
    unsigned long long count = 0;
    char what[256];
    if (std::sscanf(output.c_str() + line + 1, "%llu %255[^\n]", &count, what) != 2 || std::strchr(what, ':') == nullptr)
      return;
    accept_suppressed(what, count);
  }
}

}  // namespace

void accept_wrapped_reads(uint64_t count, size_t largest) {
  if (count == 0) return;
  write_at_exit_once();
  wrapped_reads.fetch_add(count, std::memory_order_relaxed);
  size_t seen = largest_wrapped.load(std::memory_order_relaxed);
  while (largest > seen && !largest_wrapped.compare_exchange_weak(seen, largest, std::memory_order_relaxed)) {
  }
}

std::string accepted_lines() {
  std::string lines;
  char tail[400];
  if (uint64_t n = wrapped_reads.load(std::memory_order_relaxed); n != 0) {
    std::snprintf(tail, sizeof tail, kWrappedReadsTail, static_cast<unsigned long long>(n),
                  static_cast<unsigned long long>(largest_wrapped.load(std::memory_order_relaxed)));
    lines += kWrappedReads + std::string(tail) + "\n";
  }
  std::lock_guard<std::mutex> hold(suppressed_lock);
  for (const auto &[what, n] : suppressed) {
    std::snprintf(tail, sizeof tail, kSuppressedTailWritten, static_cast<unsigned long long>(n), what.c_str());
    lines += kSuppressed + std::string(tail) + "\n";
  }
  return lines;
}

void forget_accepted() {
  wrapped_reads.store(0, std::memory_order_relaxed);
  largest_wrapped.store(0, std::memory_order_relaxed);
  std::lock_guard<std::mutex> hold(suppressed_lock);
  suppressed.clear();
}

void write_accepted() {
  std::string lines = accepted_lines();
  if (lines.empty()) return;
  forget_accepted();
  const char *path = std::getenv("ZMCHECK_ACCEPTED");
  FILE *out = path != nullptr && *path != '\0' ? std::fopen(path, "a") : nullptr;
  std::fputs(lines.c_str(), out != nullptr ? out : stderr);
  if (out != nullptr) std::fclose(out);
  else std::fflush(stderr);
}

void absorb_accepted(const std::string &output) {
  for (size_t at = output.find(kWrappedReads); at != std::string::npos; at = output.find(kWrappedReads, at + 1)) {
    unsigned long long count = 0, largest = 0;
    if (std::sscanf(output.c_str() + at + sizeof kWrappedReads - 1, kWrappedReadsTail, &count, &largest) == 2)
      accept_wrapped_reads(count, static_cast<size_t>(largest));
  }
  for (size_t at = output.find(kSuppressed); at != std::string::npos; at = output.find(kSuppressed, at + 1)) {
    unsigned long long count = 0;
    char what[256];
    if (std::sscanf(output.c_str() + at + sizeof kSuppressed - 1, kSuppressedTail, &count, what) == 2)
      accept_suppressed(what, count);
  }
  for (size_t at = output.find(kTsanMatched); at != std::string::npos; at = output.find(kTsanMatched, at + 1))
    absorb_tsan_block(output, at);
}

}  // namespace zmcheck
