// Programs: the op sequences the harness runs, decoded from fuzzer bytes, encoded back,
// and printed as (or parsed from) a readable trace, one op per line.
//
// One op table for every build: an opcode means the same op kind whatever the allocator
// under test has. An op it cannot run is still decoded; the runner skips it (and says
// why), the trace marks it, and the fuzz targets' mutator drops such ops from the
// inputs it makes, so that fuzzing spends no time on them.
//
// Byte format, op after op (an op cut short by the end of the input is dropped):
//   opcode        1 byte: the op kind, through the dialect's table (its weights)
//   [thread]      1 byte, threaded dialects: which live thread runs it
//   [preempt]     1 byte, threaded dialects: byte % 4 = the preemption point it parks at
//   [slot]        1 byte: byte % 16
//   [count] [size]  each 1 selector byte: below the edge-table length, that edge size;
//                 otherwise 2 more bytes, little-endian: the size itself (0..65535)
//   [k]           1 byte: fail_next takes 1 + byte % 4, fail_nth 1 + byte % 8
#ifndef ZMCHECK_PROGRAM_H
#define ZMCHECK_PROGRAM_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ops.h"

namespace zmcheck {

// The edge-biased sizes: 0..9, around every power of two up to 2^24, and the huge ones
// around SIZE_MAX/2 and SIZE_MAX.
std::span<const uint64_t> edge_sizes();

// Longest string a zstrdup op makes.
constexpr uint64_t kMaxStrdupLength = 4096;

// A dialect is the mix of ops one fuzz target draws: a weight per op kind (0: never).
struct Dialect {
  const char *name;
  bool threaded;
  std::array<uint8_t, kOpKinds> weight;
};

// The dialects of the fuzz targets ("ops", "failures", "threads"); nullptr if unknown.
const Dialect *find_dialect(std::string_view name);
std::vector<const Dialect *> all_dialects();

using Program = std::vector<Op>;

// Which op kinds the allocator under test can run (see runnable() in sut.h).
using OpFilter = std::function<bool(OpKind)>;

class Codec {
 public:
  explicit Codec(const Dialect &dialect);

  Program decode(std::span<const uint8_t> bytes) const;

  // Drops from the input in place every whole op whose kind `keep` refuses, and
  // returns the new length. The ops left decode as before (an op's length depends on
  // its own bytes only); with every kind kept, the input is untouched.
  size_t drop(uint8_t *bytes, size_t size, const OpFilter &keep) const;

  // Bytes that decode to exactly program. False (and *error says why) if some op
  // cannot be written in this dialect: not in its mix, a thread that is not live, a
  // size that is neither an edge size nor below 65536.
  bool encode(const Program &program, std::vector<uint8_t> *bytes, std::string *error) const;

  const Dialect &dialect() const { return dialect_; }

 private:
  const Dialect &dialect_;
  std::vector<OpKind> table_;  // opcode % size -> kind
};

// Why the build cannot run an op of this kind, "" when it can (left_out_because in sut.h).
using SkipReason = std::function<std::string(OpKind)>;

// The trace of a program: a header naming the dialect, then one op per line; an op
// `skip` gives a reason for ends with "  # skipped: <reason>".
std::string trace_text(const Program &program, const Dialect &dialect, const SkipReason &skip = {});

// Parses a trace (lines of op_text; '#' comments, to the end of a line, and blank lines
// ignored). A "# dialect: <name>" line, if present, sets *dialect_name.
bool parse_trace(std::string_view text, Program *program, std::string *dialect_name, std::string *error);

}  // namespace zmcheck

#endif
