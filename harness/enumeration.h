// Enumeration: every program up to a bound, for `zmcheck-prove`, in a fixed order.
//
// A sequential program is a word over an alphabet of letters (an op kind with its sizes),
// each letter that takes a slot given one. Slots are named canonically: an op names a slot
// used before or the next fresh one (s0, then s1, ...), so that two programs that differ
// only by a renaming of their slots are enumerated once. An op that can reach the backend
// is also tried with an injected failure of that call (a `fail_next(1)` just before it):
// it is the same op, failing, and counts as one op of the program.
//
// The number of programs of exactly L ops, without injected failures, over a alphabet of
// a letters that take a slot and b that do not, is
//     N(L) = sum over j of C(L, j) * a^j * b^(L-j) * Bell(j)
// (the slotted positions are partitioned among the slots: Bell(j) ways). Injected
// failures add, at each op that would reach the backend, one program more.
//
// A threaded program runs two threads, T0 (the caller) and T1 (spawned first), each with
// up to M ops of a smaller alphabet, T1's followed by its exit(); every interleaving of the
// two sequences is enumerated, each op of T1 parked at one of its preemption points or not
// (at most B parked ops in a schedule: preemption bounding), where the allocator has them.
#ifndef ZMCHECK_ENUMERATION_H
#define ZMCHECK_ENUMERATION_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model.h"
#include "profile.h"
#include "program.h"

namespace zmcheck {

struct Alphabet {
  std::vector<Op> letters;            // kind, size and count set; slot filled in per program
  bool inject_failures = false;       // each op that reaches the backend also tried failing
  std::vector<uint64_t> sizes;        // the size domain, as stated in reports
  std::vector<uint64_t> counts;       // zcalloc_num's element counts
  std::vector<uint64_t> lengths;      // zstrdup's lengths
  std::vector<OpKind> kinds;          // the op kinds of the letters, in catalogue order
  // Each op names a block as the API sees it: an allocation makes one in a fresh slot,
  // the other ops take a live block or NULL (a fresh slot), and zmalloc_size() and
  // write() a live one. Every sequence of API calls is still enumerated; what is left
  // out is only the same calls under other slot names. Off: any slot used before or the
  // next fresh one (the canonical renaming alone).
  bool blocks_only = false;
  // Programs longer than full_depth draw their sizes from the smaller edges alphabet.
  int full_depth = 1 << 30;
  std::shared_ptr<const Alphabet> edges;
};

// The size domain a profile calls for: 0, every rounding residue (1 .. granule + 1 in
// prefix accounting; the size-class edges 1, 8, 9, 16, 17 in usable accounting), and the
// huge thresholds (SIZE_MAX/2 - 1 and SIZE_MAX/2; the first size whose n + header wraps;
// SIZE_MAX).
std::vector<uint64_t> size_domain(const Profile &profile);

// The size domain at the edges of a granule: 0, 1, granule - 1, granule, granule + 1
// (usable accounting: 0, 1, 8, 9, 16, 17), and the huge thresholds.
std::vector<uint64_t> edge_size_domain(const Profile &profile);

// The sequential alphabet over the op kinds `available` admits: every op of the
// allocator but those of threads, check() and zmalloc_used_memory() (the checks after
// every op read the total and every block's contents) and the fail ops (replaced by
// failures injected at each call). Blocks only (above). Sizes from size_domain() up to
// full_depth ops, from edge_size_domain() beyond.
Alphabet sequential_alphabet(const Profile &profile, const OpFilter &available, int full_depth = 1 << 30);

// The alphabet of each thread in a threaded program: zmalloc of two sizes, zrealloc,
// zfree, zmalloc_used_memory, and (T1's) exit_free: a block its thread-local cache frees
// at its exit, after the allocator's exit hook.
Alphabet thread_alphabet(const Profile &profile, const OpFilter &available);

// A program as the enumerator makes it: its ops, and which of them fail by injection.
struct Candidate {
  Program ops;                 // without the fail_next ops
  std::vector<bool> injected;  // ops[i] is run with a failure of its backend call
  // The program as run: fail_next(1) before each injected op.
  Program runnable() const;
  // A key that identifies the program (for pruning the extensions of a counterexample).
  std::string key() const;
};

// Calls visit(c) for every sequential program of exactly `length` ops, in a fixed order.
// A prefix for which prune(prefix) is true is not extended. visit returns false to stop.
// The model (profile, backend limit) says which ops reach the backend.
void each_sequential(const Alphabet &alphabet, const Profile &profile, uint64_t backend_limit, int length,
                     const std::function<bool(const Candidate &)> &prune,
                     const std::function<bool(const Candidate &)> &visit);

// Calls visit(program) for every threaded program of 2 threads with exactly
// `ops_per_thread` ops each (T1's exit besides), and at most `preemptions` parked ops
// (max_preempt: the preemption points an op may park at, 0 where the allocator has none).
void each_threaded(const Alphabet &alphabet, int ops_per_thread, int preemptions, int max_preempt,
                   const std::function<bool(const Program &)> &visit);

// N(L) above, for a letters that take a slot and b that do not.
uint64_t closed_form_count(uint64_t slotted, uint64_t unslotted, int length);

// The canonical renaming of a program's slots: in the order of first use, s0, s1, ...
Program canonical_slots(const Program &program);

// The number of ops of a program as a witness: its ops without fail_next, fail_nth.
int witness_length(const Program &program);

}  // namespace zmcheck

#endif
