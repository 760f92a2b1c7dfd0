// zmalloc_get_rss, the smaps readers, the machine's memory and the fragmentation ratio,
// checked against what /proc and sysconf say.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace zm_test {
namespace {

class MemoryFigures : public ZmallocTest {};

size_t statm_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

TEST_F(MemoryFigures, RssAgreesWithStatm) {
  size_t before = statm_rss_bytes();
  size_t rss = zmalloc_get_rss();
  size_t after = statm_rss_bytes();
  EXPECT_GT(rss, 0u);
  // The process may grow between the reads; allow for it.
  EXPECT_GE(rss + (1 << 20), std::min(before, after));
  EXPECT_LE(rss, std::max(before, after) + (1 << 20));
}

TEST_F(MemoryFigures, SmapsFieldsAreReadForThisProcess) {
  std::vector<char> touched(8 << 20, 1);  // 8 MiB of private dirty pages
  size_t dirty = zmalloc_get_private_dirty(-1);
  EXPECT_GE(dirty, touched.size());
  char field[] = "Rss:";
  size_t rss_from_smaps = zmalloc_get_smap_bytes_by_field(field, -1);
  EXPECT_GE(rss_from_smaps, dirty);
  EXPECT_EQ(zmalloc_get_private_dirty(static_cast<long>(getpid())) > 0, true);
  EXPECT_EQ(zmalloc_get_private_dirty(999999999), 0u) << "no such process";
}

TEST_F(MemoryFigures, MemorySizeIsThePhysicalMemory) {
  size_t expected = static_cast<size_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  EXPECT_EQ(zmalloc_get_memory_size(), expected);
}

TEST_F(MemoryFigures, FragmentationRatioIsRssOverUsed) {
  void *p = zmalloc(1000);
  float expected = 4096.0f / static_cast<float>(zmalloc_used_memory());
  EXPECT_FLOAT_EQ(zmalloc_get_fragmentation_ratio(4096), expected);
  zfree(p);
}

}  // namespace
}  // namespace zm_test
