/* Process and machine memory figures on Linux: the /proc files read here, parsed by the
 * pure functions of proc_parse.cpp. */
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "proc_parse.h"
#include "zmalloc.h"

namespace {

/* Reads at most capacity bytes of path into buffer; -1 if it cannot be opened. */
ssize_t read_file_prefix(const char *path, char *buffer, size_t capacity) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t filled = 0;
  while (filled < capacity) {
    ssize_t got = read(fd, buffer + filled, capacity - filled);
    if (got < 0) {
      close(fd);
      return -1;
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  close(fd);
  return static_cast<ssize_t>(filled);
}

void proc_path(char *out, size_t capacity, long pid, const char *file) {
  if (pid == -1)
    std::snprintf(out, capacity, "/proc/self/%s", file);
  else
    std::snprintf(out, capacity, "/proc/%ld/%s", pid, file);
}

}  // namespace

extern "C" {

size_t zmalloc_get_rss(void) {
  char stat[4096];
  ssize_t length = read_file_prefix("/proc/self/stat", stat, sizeof(stat));
  long page = sysconf(_SC_PAGESIZE);
  long long pages;
  if (length < 0 || page <= 0 || !zm_parse_stat_rss_pages(stat, static_cast<size_t>(length), &pages))
    return zmalloc_used_memory();
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

/* smaps can be megabytes long: it is read in chunks, and only whole lines are parsed;
 * a line longer than the chunk cannot be a field line and is skipped. */
size_t zmalloc_get_smap_bytes_by_field(char *field, long pid) {
  char path[64];
  proc_path(path, sizeof(path), pid, "smaps");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  size_t field_length = std::strlen(field);
  char chunk[16384];
  size_t kept = 0; /* bytes of an unfinished line at the start of chunk */
  bool skipping_long_line = false;
  size_t total = 0;
  for (;;) {
    ssize_t got = read(fd, chunk + kept, sizeof(chunk) - kept);
    if (got <= 0) break;
    size_t filled = kept + static_cast<size_t>(got);
    const char *last_newline = static_cast<const char *>(memrchr(chunk, '\n', filled));
    if (last_newline == nullptr) {
      kept = 0; /* no line ends in a full chunk: drop it and the rest of that line */
      skipping_long_line = true;
      continue;
    }
    size_t whole = static_cast<size_t>(last_newline - chunk) + 1;
    const char *start = chunk;
    if (skipping_long_line) {
      start = static_cast<const char *>(std::memchr(chunk, '\n', whole)) + 1;
      skipping_long_line = false;
    }
    size_t bytes = zm_parse_smaps_field_bytes(start, whole - (start - chunk), field, field_length);
    total = bytes > SIZE_MAX - total ? SIZE_MAX : total + bytes;
    kept = filled - whole;
    std::memmove(chunk, chunk + whole, kept);
  }
  close(fd);
  if (kept > 0 && !skipping_long_line) {
    size_t bytes = zm_parse_smaps_field_bytes(chunk, kept, field, field_length);
    total = bytes > SIZE_MAX - total ? SIZE_MAX : total + bytes;
  }
  return total;
}

size_t zmalloc_get_private_dirty(long pid) {
  char field[] = "Private_Dirty:";
  return zmalloc_get_smap_bytes_by_field(field, pid);
}

size_t zmalloc_get_memory_size(void) {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

float zmalloc_get_fragmentation_ratio(size_t rss) {
  size_t used = zmalloc_used_memory();
  return used == 0 ? 0.0f : static_cast<float>(rss) / static_cast<float>(used);
}

}  // extern "C"
