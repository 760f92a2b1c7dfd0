// Ops: one step of a program the harness runs against the allocator, and its text.
#ifndef ZMCHECK_OPS_H
#define ZMCHECK_OPS_H

#include <cstdint>
#include <string>
#include <string_view>

#include "op_catalogue.h"

namespace zmcheck {

enum class OpKind : uint8_t {
#define ZMCHECK_OP_ENUM(kind, text, api) kind,
  ZMCHECK_OP_CATALOGUE(ZMCHECK_OP_ENUM)
#undef ZMCHECK_OP_ENUM
};

constexpr int kOpKinds = 0
#define ZMCHECK_OP_COUNT(kind, text, api) +1
    ZMCHECK_OP_CATALOGUE(ZMCHECK_OP_COUNT)
#undef ZMCHECK_OP_COUNT
    ;

constexpr int kSlots = 16;       // blocks are named s0..s15
constexpr int kMaxThreads = 8;   // T0 (the main thread) and up to 7 more at a time
constexpr int kMaxPreempt = 3;   // an op may park at its 1st, 2nd or 3rd preemption point

struct Op {
  OpKind kind = OpKind::check;
  uint8_t slot = 0;      // {s}
  uint64_t size = 0;     // {n}
  uint64_t count = 0;    // {m}
  uint8_t k = 0;         // {k}
  uint8_t thread = 0;    // runs on T<thread>; T0 is the main thread
  uint8_t preempt = 0;   // parks at this preemption point inside the op (0: never)
  bool operator==(const Op &) const = default;
};

struct OpInfo {
  const char *name;  // "malloc"
  const char *text;  // "{s} = zmalloc({n})"
  const char *api;   // "zmalloc", or "" for ops of the harness
  bool has_slot, has_size, has_count, has_k;
  bool stores_block;    // "{s} = ...": the alloc, realloc and strdup families
  bool is_try;          // a ztry* function: never calls the OOM handler
  bool has_usable_out;  // writes *usable ("&u")
};

const OpInfo &info(OpKind kind);

// Ops whose result is stored in their slot (the alloc, realloc and strdup families).
bool stores_block(OpKind kind);
bool is_realloc(OpKind kind);
bool is_calloc(OpKind kind);      // calloc, calloc_num and their variants: zeroed memory
bool is_try(OpKind kind);         // never calls the OOM handler
bool has_usable_out(OpKind kind); // writes *usable

// Sizes as a trace shows them: decimal, or relative to SIZE_MAX and SIZE_MAX/2 near them.
std::string size_text(uint64_t n);
bool parse_size(std::string_view text, uint64_t *n);

// "T1: s3 = zmalloc(24) @preempt 1"; the thread and preempt parts only where set.
std::string op_text(const Op &op, bool threaded);

// The inverse of op_text (whitespace-tolerant; a trailing "# comment" is ignored).
// False with *error set if the line is no op.
bool parse_op(std::string_view line, Op *op, std::string *error);

}  // namespace zmcheck

#endif
