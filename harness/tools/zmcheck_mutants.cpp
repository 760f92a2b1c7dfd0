// zmcheck-mutants: the mutants compiled into this build of zmalloc, one per line as
// "name<TAB>description<TAB>accounting" (nothing in a build without ZM_MUTANTS), the
// accounting being "usable" for a mutant of the usable-size layout, else empty.
// ci/zmcheck reads the catalogue here, from the library itself, never from a second list.
#include <cstdio>
#include <cstring>

#include "mutant_catalogue.h"
#include "testing/zmalloc_testing.h"

namespace {

bool of_usable_accounting(const char *name) {
  const char *list = ZM_MUTANTS_OF_USABLE_ACCOUNTING;
  size_t length = std::strlen(name);
  for (const char *at = std::strstr(list, name); at != nullptr; at = std::strstr(at + 1, name))
    if ((at == list || at[-1] == ' ') && (at[length] == '\0' || at[length] == ' ')) return true;
  return false;
}

}  // namespace

int main() {
  for (size_t i = 0; i < zm_mutant_count(); i++)
    std::printf("%s\t%s\t%s\n", zm_mutant_name(i), zm_mutant_description(i),
                of_usable_accounting(zm_mutant_name(i)) ? "usable" : "");
  return 0;
}
