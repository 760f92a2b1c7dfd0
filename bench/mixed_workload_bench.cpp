// The mixed workload: each thread keeps 1,000 live blocks of 8-256 bytes and, per
// operation, replaces a random one (free + malloc) or reallocs it to a new random size.
// Run through zmalloc and through the raw backend it sits on, side by side, at 1 and 2
// threads; main() prints the ratio of their median times. Also the cost of a
// zmalloc_used_memory() read.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "zmalloc.h"
#include ZM_BACKEND_HEADER

namespace {

constexpr size_t kLiveBlocks = 1000;
constexpr size_t kMinSize = 8;
constexpr size_t kMaxSize = 256;
constexpr size_t kScriptLength = 1 << 16;

struct Step {
  uint32_t index;
  uint32_t size;
  bool realloc;
};

// The same pseudo-random script for every run, so both allocators do identical work.
const std::vector<Step> &script() {
  static const std::vector<Step> steps = [] {
    std::vector<Step> s(kScriptLength);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (Step &step : s) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      step.index = static_cast<uint32_t>(x % kLiveBlocks);
      step.size = static_cast<uint32_t>(kMinSize + (x >> 20) % (kMaxSize - kMinSize + 1));
      step.realloc = (x >> 40) & 1;
    }
    return s;
  }();
  return steps;
}

struct Zmalloc {
  static void *alloc(size_t n) { return zmalloc(n); }
  static void *resize(void *p, size_t n) { return zrealloc(p, n); }
  static void release(void *p) { zfree(p); }
};

struct Raw {
  static void *alloc(size_t n) { return zm_raw_malloc(n); }
  static void *resize(void *p, size_t n) { return zm_raw_realloc(p, n); }
  static void release(void *p) { zm_raw_free(p); }
};

template <class Allocator>
void BM_Mixed(benchmark::State &state) {
  const std::vector<Step> &steps = script();
  std::vector<void *> live(kLiveBlocks);
  for (size_t i = 0; i < kLiveBlocks; i++) live[i] = Allocator::alloc(kMinSize + i % (kMaxSize - kMinSize));
  size_t at = static_cast<size_t>(state.thread_index()) * 7919 % kScriptLength;
  for (auto _ : state) {
    const Step &step = steps[at];
    at = (at + 1) & (kScriptLength - 1);
    void *&slot = live[step.index];
    if (step.realloc) {
      slot = Allocator::resize(slot, step.size);
    } else {
      Allocator::release(slot);
      slot = Allocator::alloc(step.size);
    }
    // By value: the by-reference overload's "+m,r" constraint loses this store under gcc.
    benchmark::DoNotOptimize(static_cast<const void *>(slot));
  }
  for (void *p : live) Allocator::release(p);
  state.SetItemsProcessed(state.iterations());
}

void BM_UsedMemoryRead(benchmark::State &state) {
  for (auto _ : state) benchmark::DoNotOptimize(zmalloc_used_memory());
}

constexpr int kRepetitions = 15;

BENCHMARK_TEMPLATE(BM_Mixed, Zmalloc)->Name("mixed/zmalloc")->Threads(1)->Threads(2)
    ->UseRealTime()->Repetitions(kRepetitions)->ReportAggregatesOnly(true)->MinTime(0.1);
BENCHMARK_TEMPLATE(BM_Mixed, Raw)->Name("mixed/raw")->Threads(1)->Threads(2)
    ->UseRealTime()->Repetitions(kRepetitions)->ReportAggregatesOnly(true)->MinTime(0.1);
BENCHMARK(BM_UsedMemoryRead)->Name("used_memory_read")->Repetitions(5)->ReportAggregatesOnly(true);

// Keeps the median of every benchmark while the console shows them as usual.
class MedianCollector : public benchmark::ConsoleReporter {
 public:
  std::map<std::pair<std::string, int>, double> median_ns;  // (name, threads) -> ns
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &run : runs)
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        median_ns[{run.run_name.function_name, static_cast<int>(run.threads)}] =
            run.GetAdjustedRealTime();
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char **argv) {
  std::vector<char *> args(argv, argv + argc);
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  args.insert(args.begin() + 1, interleave.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 2;
  MedianCollector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::Shutdown();

  std::printf("\nbackend %s; median time per operation over %d repetitions\n", ZMALLOC_LIB,
              kRepetitions);
  std::printf("%-10s %12s %12s %8s\n", "threads", "zmalloc ns", "raw ns", "ratio");
  for (int threads : {1, 2}) {
    auto z = collector.median_ns.find({"mixed/zmalloc", threads});
    auto r = collector.median_ns.find({"mixed/raw", threads});
    if (z == collector.median_ns.end() || r == collector.median_ns.end()) continue;
    std::printf("%-10d %12.2f %12.2f %8.3f\n", threads, z->second, r->second, z->second / r->second);
  }
  auto read = collector.median_ns.find({"used_memory_read", 1});
  if (read != collector.median_ns.end())
    std::printf("zmalloc_used_memory(): %.2f ns\n", read->second);
  return 0;
}
