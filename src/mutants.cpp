/* The mutant switch. In a ZM_MUTANTS=ON build, ZM_MUTANT=<name> in the environment picks
 * one mutant of the catalogue before main runs, and an unknown name stops the process.
 * In other test builds the catalogue is empty. */
#include "mutants.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mutant_catalogue.h"
#include "testing/zmalloc_testing.h"

namespace zm {
namespace {

struct MutantEntry {
  const char *name;
  const char *description;
};

#if ZM_MUTANTS
constexpr MutantEntry kCatalogue[] = {
#define ZM_MUTANT_ENTRY(name, description) {#name, description},
    ZM_MUTANT_CATALOGUE(ZM_MUTANT_ENTRY)
#undef ZM_MUTANT_ENTRY
};
constexpr size_t kCount = sizeof(kCatalogue) / sizeof(kCatalogue[0]);
#else
constexpr MutantEntry kCatalogue[1] = {{"", ""}};
constexpr size_t kCount = 0;
#endif

int active_index = -1;

__attribute__((constructor(101))) void select_mutant_from_environment() {
#ifdef ZM_MUTANT_FORCED
  /* A build of one mutant (ci/zmcheck mutants --external): on whatever the environment says. */
  const char *wanted = ZM_MUTANT_FORCED;
#else
  const char *wanted = std::getenv("ZM_MUTANT");
#endif
  if (wanted == nullptr || *wanted == '\0') return;
  for (size_t i = 0; i < kCount; i++) {
    if (std::strcmp(wanted, kCatalogue[i].name) == 0) {
      active_index = static_cast<int>(i);
#if ZM_MUTANTS
      active_mutant = static_cast<Mutant>(i + 1);
#endif
      return;
    }
  }
  if (kCount == 0) {
    std::fprintf(stderr, "zmalloc: ZM_MUTANT=%s, but this build has no mutants (ZM_MUTANTS=OFF)\n",
                 wanted);
  } else {
    std::fprintf(stderr, "zmalloc: unknown mutant ZM_MUTANT=%s; the known ones are:\n", wanted);
    for (size_t i = 0; i < kCount; i++) std::fprintf(stderr, "  %s\n", kCatalogue[i].name);
  }
  std::exit(2);
}

}  // namespace

#if ZM_MUTANTS
Mutant active_mutant = Mutant::none;
#endif

}  // namespace zm

extern "C" {

size_t zm_mutant_count(void) { return zm::kCount; }

const char *zm_mutant_name(size_t i) { return i < zm::kCount ? zm::kCatalogue[i].name : nullptr; }

const char *zm_mutant_description(size_t i) {
  return i < zm::kCount ? zm::kCatalogue[i].description : nullptr;
}

const char *zm_mutant_active(void) {
  return zm::active_index < 0 ? "" : zm::kCatalogue[zm::active_index].name;
}
}
