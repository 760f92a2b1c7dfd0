// What a profile accepts is observed all the same: the events it lets pass (a read of
// used_memory that wraps while other threads update it; a race of the reader with the
// per-thread counters, which ThreadSanitizer lists itself as a process exits) are tallied
// by the process, never dropped, and written out as lines
//
//   zmcheck accepted: wrapped_reads = transient: 12 wrapped reads of used_memory, the largest 18446744073709551608
//   zmcheck accepted: counter_reads = racy: 3 ThreadSanitizer reports suppressed (race:zmalloc_used_memory)
//
// when the process exits (or a forked case is about to _exit; its parent gathers them).
// The lines go to the file named by ZMCHECK_ACCEPTED (appended: every process of a run,
// libFuzzer's -fork workers included, adds its own), else to stderr. ci/zmcheck sums the
// lines of a step and reports them under "accepted by the profile".
#ifndef ZMCHECK_HARNESS_ACCEPTED_H
#define ZMCHECK_HARNESS_ACCEPTED_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace zmcheck {

// `count` reads at or above SIZE_MAX/2 that the profile accepts, the largest `largest`.
void accept_wrapped_reads(uint64_t count, size_t largest);

// The tallies so far as lines (empty if nothing was accepted).
std::string accepted_lines();

// Writes the tallies (to ZMCHECK_ACCEPTED or stderr) and clears them.
void write_accepted();

// Clears the tallies without writing them: a forked child starts with none of its parent's.
void forget_accepted();

// Adds the tallies written in `output` (a forked case's: its lines, and the suppressions
// ThreadSanitizer says it matched) to this process's.
void absorb_accepted(const std::string &output);

}  // namespace zmcheck

#endif
