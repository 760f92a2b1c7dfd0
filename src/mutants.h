/* ZM_MUTANT(name): true when the mutant <name> of mutant_catalogue.h is switched on.
 * In a build without ZM_MUTANTS it is the constant false, so every mutant's code is
 * dead and compiled out, and no name or description reaches the library. */
#ifndef ZM_MUTANTS_H
#define ZM_MUTANTS_H

#if ZM_MUTANTS

#include "mutant_catalogue.h"

namespace zm {

enum class Mutant : int {
  none,
#define ZM_MUTANT_ENUM(name, description) name,
  ZM_MUTANT_CATALOGUE(ZM_MUTANT_ENUM)
#undef ZM_MUTANT_ENUM
};

/* Set once, before main, from the environment variable ZM_MUTANT. */
extern Mutant active_mutant;

}  // namespace zm

#define ZM_MUTANT(name) (__builtin_expect(::zm::active_mutant == ::zm::Mutant::name, 0))

#else

#define ZM_MUTANT(name) false

#endif

#endif
