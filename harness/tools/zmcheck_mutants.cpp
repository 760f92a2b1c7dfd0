// zmcheck-mutants: the mutants compiled into this build of zmalloc, one per line as
// "name<TAB>description" (nothing in a build without ZM_MUTANTS). ci/zmcheck reads the
// catalogue here, from the library itself, never from a second list.
#include <cstdio>

#include "testing/zmalloc_testing.h"

int main() {
  for (size_t i = 0; i < zm_mutant_count(); i++)
    std::printf("%s\t%s\n", zm_mutant_name(i), zm_mutant_description(i));
  return 0;
}
