// Each property case runs in a child process of its own, so that whatever ends it
// (a broken invariant, an ASan or UBSan report, a TSan warning, a crash) comes back to
// RapidCheck as that case's failure, with its report, and shrinks like any other.
// ZMCHECK_NO_ISOLATION=1 runs cases in-process instead (for a debugger).
#ifndef ZMCHECK_PROPERTIES_ISOLATION_H
#define ZMCHECK_PROPERTIES_ISOLATION_H

#include <functional>
#include <string>

namespace zmcheck {

struct CaseOutcome {
  bool passed;
  std::string report;  // everything the case printed, and how it ended
};

CaseOutcome run_isolated(const std::function<void()> &body);

// Runs body isolated and fails the RapidCheck case with its report if it did not pass.
void check_isolated(const std::function<void()> &body);

// Throws a CheckFailure with the usual expected/seen form unless ok.
// why: the shape of the miscount, as harness/miscount.h names it (a "why:" line), if known.
void require(bool ok, const std::string &what, const std::string &expected, const std::string &seen,
             const std::string &why = "");

}  // namespace zmcheck

#endif
