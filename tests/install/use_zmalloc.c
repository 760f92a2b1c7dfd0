/* A C program that knows only zmalloc.h: it must build against the installed library
 * and see its allocations in used_memory. Exits 0 when they add up. */
#include <stdio.h>
#include <string.h>

#include "zmalloc.h"

int main(void) {
  size_t before = zmalloc_used_memory();
  char *s = zstrdup("installed");
  void *block = zcalloc(100);
  size_t usable = 0;
  block = zrealloc_usable(block, 200, &usable);
  size_t expected = zmalloc_size(s) + zmalloc_size(block);
  size_t used = zmalloc_used_memory() - before;
  int ok = s != NULL && strcmp(s, "installed") == 0 && usable >= 200 && used == expected;
  zfree(s);
  zfree(block);
  ok = ok && zmalloc_used_memory() == before && zmalloc_get_rss() > 0;
  printf("zmalloc on %s: used %zu of expected %zu bytes: %s\n", ZMALLOC_LIB, used, expected,
         ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
