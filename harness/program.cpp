// Programs: the edge sizes, the dialects, the byte codec and the trace text.
#include "program.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace zmcheck {
namespace {

std::vector<uint64_t> make_edge_sizes() {
  std::vector<uint64_t> sizes;
  for (uint64_t n = 0; n <= 9; n++) sizes.push_back(n);
  for (uint64_t n : {23, 24, 25}) sizes.push_back(n);
  for (int k = 4; k <= 24; k++) {
    uint64_t p = uint64_t{1} << k;
    for (uint64_t n : {p - 1, p, p + 1})
      if (std::find(sizes.begin(), sizes.end(), n) == sizes.end()) sizes.push_back(n);
  }
  // Blocks of 4 GiB and more (live, reserved address space in the test backend): a size
  // cut to 32 bits somewhere shows.
  for (uint64_t n : {(uint64_t{1} << 32) - 1, uint64_t{1} << 32, (uint64_t{1} << 32) + 1, uint64_t{1} << 36})
    sizes.push_back(n);
  constexpr uint64_t kHalf = UINT64_MAX / 2;
  for (uint64_t n : {kHalf - 1, kHalf, kHalf + 1}) sizes.push_back(n);
  for (uint64_t back : {16, 15}) sizes.push_back(UINT64_MAX - back);
  for (uint64_t back = 9;; back--) {  // SIZE_MAX - PREFIX_SIZE - 1 ... SIZE_MAX
    sizes.push_back(UINT64_MAX - back);
    if (back == 0) break;
  }
  return sizes;
}

const std::vector<uint64_t> kEdgeSizes = make_edge_sizes();

constexpr uint64_t kRangeLimit = 65536;

using Weights = std::array<uint8_t, kOpKinds>;

constexpr Weights weights(std::initializer_list<std::pair<OpKind, uint8_t>> list) {
  Weights w{};
  for (auto [kind, weight] : list) w[static_cast<size_t>(kind)] = weight;
  return w;
}

// One mix per fuzz target. The weights only bias what random bytes decode to; every op
// of a dialect is reachable.
const Dialect kDialects[] = {
    {"ops", false,
     weights({{OpKind::malloc, 12},          {OpKind::calloc, 5},          {OpKind::calloc_num, 4},
              {OpKind::try_malloc, 4},       {OpKind::try_calloc, 3},      {OpKind::malloc_usable, 4},
              {OpKind::calloc_usable, 3},    {OpKind::try_malloc_usable, 3},
              {OpKind::try_calloc_usable, 3}, {OpKind::realloc, 12},      {OpKind::try_realloc, 4},
              {OpKind::realloc_usable, 4},   {OpKind::try_realloc_usable, 4}, {OpKind::free, 10},
              {OpKind::free_usable, 4},      {OpKind::strdup, 4},          {OpKind::query, 4},
              {OpKind::write, 4},            {OpKind::check, 3},           {OpKind::read_used, 2},
              {OpKind::enable_thread_safeness, 1}, {OpKind::fail_next, 2}, {OpKind::fail_nth, 2}})},
    {"failures", false,
     weights({{OpKind::malloc, 6},           {OpKind::calloc, 4},          {OpKind::calloc_num, 8},
              {OpKind::try_malloc, 5},       {OpKind::try_calloc, 4},      {OpKind::malloc_usable, 5},
              {OpKind::calloc_usable, 4},    {OpKind::try_malloc_usable, 5},
              {OpKind::try_calloc_usable, 4}, {OpKind::realloc, 8},       {OpKind::try_realloc, 6},
              {OpKind::realloc_usable, 6},   {OpKind::try_realloc_usable, 6}, {OpKind::free, 5},
              {OpKind::free_usable, 4},      {OpKind::strdup, 4},          {OpKind::query, 2},
              {OpKind::write, 2},            {OpKind::check, 2},           {OpKind::read_used, 1},
              {OpKind::enable_thread_safeness, 1}, {OpKind::fail_next, 10}, {OpKind::fail_nth, 10}})},
    {"threads", true,
     weights({{OpKind::malloc, 12},          {OpKind::calloc, 3},          {OpKind::calloc_num, 2},
              {OpKind::try_malloc, 2},       {OpKind::try_calloc, 2},      {OpKind::malloc_usable, 2},
              {OpKind::calloc_usable, 2},    {OpKind::try_malloc_usable, 2},
              {OpKind::try_calloc_usable, 2}, {OpKind::realloc, 8},       {OpKind::try_realloc, 2},
              {OpKind::realloc_usable, 2},   {OpKind::try_realloc_usable, 2}, {OpKind::free, 12},
              {OpKind::free_usable, 3},      {OpKind::strdup, 2},          {OpKind::query, 2},
              {OpKind::write, 2},            {OpKind::check, 3},           {OpKind::read_used, 6},
              {OpKind::enable_thread_safeness, 1}, {OpKind::fail_next, 1}, {OpKind::fail_nth, 1}, {OpKind::spawn, 6},
              {OpKind::storm, 1},
              {OpKind::exit, 4}})},
};

uint8_t k_range(OpKind kind) { return kind == OpKind::fail_next ? 4 : 8; }

// Reads bytes in order; every read may run out.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool byte(uint8_t *b) {
    if (at_ >= bytes_.size()) return false;
    *b = bytes_[at_++];
    return true;
  }
  bool size(uint64_t *n) {
    uint8_t selector, lo, hi;
    if (!byte(&selector)) return false;
    if (selector < kEdgeSizes.size()) {
      *n = kEdgeSizes[selector];
      return true;
    }
    if (!byte(&lo) || !byte(&hi)) return false;
    *n = static_cast<uint64_t>(lo) | static_cast<uint64_t>(hi) << 8;
    return true;
  }
  bool done() const { return at_ >= bytes_.size(); }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

bool write_size(uint64_t n, std::vector<uint8_t> *out, std::string *error) {
  auto edge = std::find(kEdgeSizes.begin(), kEdgeSizes.end(), n);
  if (edge != kEdgeSizes.end()) {
    out->push_back(static_cast<uint8_t>(edge - kEdgeSizes.begin()));
    return true;
  }
  if (n >= kRangeLimit) {
    *error = "size " + size_text(n) + " is neither an edge size nor below 65536";
    return false;
  }
  out->push_back(static_cast<uint8_t>(kEdgeSizes.size()));
  out->push_back(static_cast<uint8_t>(n & 0xff));
  out->push_back(static_cast<uint8_t>(n >> 8));
  return true;
}

// The threads a threaded program has alive, as the decoder tracks them.
struct LiveThreads {
  std::vector<uint8_t> live{0};
  int next_id = 1;
  std::vector<uint8_t> exitable() const { return {live.begin() + 1, live.end()}; }
  bool can_spawn() const { return live.size() < kMaxThreads && next_id < 256; }
};

}  // namespace

std::span<const uint64_t> edge_sizes() { return kEdgeSizes; }

const Dialect *find_dialect(std::string_view name) {
  for (const Dialect &d : kDialects)
    if (name == d.name) return &d;
  return nullptr;
}

std::vector<const Dialect *> all_dialects() {
  std::vector<const Dialect *> out;
  for (const Dialect &d : kDialects) out.push_back(&d);
  return out;
}

Codec::Codec(const Dialect &dialect) : dialect_(dialect) {
  for (int i = 0; i < kOpKinds; i++)
    for (int w = 0; w < dialect.weight[i]; w++) table_.push_back(static_cast<OpKind>(i));
}

size_t Codec::drop(uint8_t *bytes, size_t size, const OpFilter &keep) const {
  if (table_.empty()) return size;
  size_t read = 0, written = 0;
  while (read < size) {
    const size_t start = read;
    const OpKind kind = table_[bytes[read++] % table_.size()];
    const OpInfo &i = info(kind);
    // The op's bytes in decode's order: a selector below the edge table is the size,
    // any other is followed by two bytes of it.
    auto skip = [&](size_t n) { read = std::min(size, read + n); };
    auto skip_size = [&] {
      if (read < size) skip(bytes[read] < kEdgeSizes.size() ? 1 : 3);
    };
    skip((dialect_.threaded ? 2 : 0) + (i.has_slot ? 1 : 0));
    if (i.has_count) skip_size();
    if (i.has_size) skip_size();
    if (i.has_k) skip(1);
    if (keep(kind)) {
      std::memmove(bytes + written, bytes + start, read - start);
      written += read - start;
    }
  }
  return written;
}

Program Codec::decode(std::span<const uint8_t> bytes) const {
  Program program;
  if (table_.empty()) return program;
  Reader in(bytes);
  LiveThreads threads;
  while (!in.done()) {
    uint8_t opcode, thread_byte = 0, preempt_byte = 0, slot_byte = 0, k_byte = 0;
    Op op;
    if (!in.byte(&opcode)) break;
    op.kind = table_[opcode % table_.size()];
    const OpInfo &i = info(op.kind);
    if (dialect_.threaded && (!in.byte(&thread_byte) || !in.byte(&preempt_byte))) break;
    if (i.has_slot && !in.byte(&slot_byte)) break;
    if (i.has_count && !in.size(&op.count)) break;
    if (i.has_size && !in.size(&op.size)) break;
    if (i.has_k && !in.byte(&k_byte)) break;
    op.slot = slot_byte % kSlots;
    if (op.kind == OpKind::strdup) op.size %= kMaxStrdupLength + 1;
    if (i.has_k) op.k = static_cast<uint8_t>(1 + k_byte % k_range(op.kind));
    if (dialect_.threaded) {
      if (op.kind == OpKind::spawn) {
        if (!threads.can_spawn()) continue;
        op.thread = static_cast<uint8_t>(threads.next_id++);
        threads.live.push_back(op.thread);
      } else if (op.kind == OpKind::exit) {
        std::vector<uint8_t> candidates = threads.exitable();
        if (candidates.empty()) continue;
        op.thread = candidates[thread_byte % candidates.size()];
        threads.live.erase(std::find(threads.live.begin(), threads.live.end(), op.thread));
      } else {
        op.thread = threads.live[thread_byte % threads.live.size()];
        if (op.thread != 0) op.preempt = preempt_byte % (kMaxPreempt + 1);
      }
    }
    program.push_back(op);
  }
  return program;
}

bool Codec::encode(const Program &program, std::vector<uint8_t> *bytes, std::string *error) const {
  bytes->clear();
  LiveThreads threads;
  for (size_t index = 0; index < program.size(); index++) {
    const Op &op = program[index];
    const OpInfo &i = info(op.kind);
    std::string where = "op " + std::to_string(index) + " (" + op_text(op, dialect_.threaded) + "): ";
    auto opcode = std::find(table_.begin(), table_.end(), op.kind);
    if (opcode == table_.end() || opcode - table_.begin() > 255) {
      *error = where + "the " + dialect_.name + " dialect has no " + i.name + " op here";
      return false;
    }
    bytes->push_back(static_cast<uint8_t>(opcode - table_.begin()));
    if (dialect_.threaded) {
      size_t choice = 0;
      bool preempt_allowed = false;
      if (op.kind == OpKind::spawn) {
        if (!threads.can_spawn() || op.thread != threads.next_id) {
          *error = where + "the next thread spawned is T" + std::to_string(threads.next_id) +
                   (threads.can_spawn() ? "" : ", and no more can be spawned now");
          return false;
        }
        threads.next_id++;
        threads.live.push_back(op.thread);
      } else if (op.kind == OpKind::exit) {
        const std::vector<uint8_t> candidates = threads.exitable();
        while (choice < candidates.size() && candidates[choice] != op.thread) choice++;
        if (choice == candidates.size()) {
          *error = where + "only a live thread other than T0 can exit";
          return false;
        }
        threads.live.erase(std::find(threads.live.begin(), threads.live.end(), op.thread));
      } else {
        auto it = std::find(threads.live.begin(), threads.live.end(), op.thread);
        if (it == threads.live.end()) {
          *error = where + "T" + std::to_string(op.thread) + " is not live here";
          return false;
        }
        choice = static_cast<size_t>(it - threads.live.begin());
        preempt_allowed = op.thread != 0;
      }
      if (op.preempt != 0 && !preempt_allowed) {
        *error = where + "only an op of a spawned thread can be preempted";
        return false;
      }
      bytes->push_back(static_cast<uint8_t>(choice));
      bytes->push_back(op.preempt);
    } else if (op.thread != 0 || op.preempt != 0) {
      *error = where + "the " + std::string(dialect_.name) + " dialect has no threads";
      return false;
    }
    if (i.has_slot) bytes->push_back(op.slot);
    if (i.has_count && !write_size(op.count, bytes, error)) return *error = where + *error, false;
    if (op.kind == OpKind::strdup && op.size > kMaxStrdupLength) {
      *error = where + "zstrdup makes strings of at most " + std::to_string(kMaxStrdupLength) + " chars";
      return false;
    }
    if (i.has_size && !write_size(op.size, bytes, error)) return *error = where + *error, false;
    if (i.has_k) {
      if (op.k < 1 || op.k > k_range(op.kind)) {
        *error = where + i.name + " takes 1 to " + std::to_string(k_range(op.kind));
        return false;
      }
      bytes->push_back(static_cast<uint8_t>(op.k - 1));
    }
  }
  return true;
}

std::string trace_text(const Program &program, const Dialect &dialect, const SkipReason &skip) {
  std::string out = "# zmcheck trace; dialect: " + std::string(dialect.name) + "\n";
  for (const Op &op : program) {
    out += op_text(op, dialect.threaded);
    std::string why = skip ? skip(op.kind) : "";
    if (!why.empty()) out += "  # skipped: " + why;
    out += "\n";
  }
  return out;
}

bool parse_trace(std::string_view text, Program *program, std::string *dialect_name, std::string *error) {
  program->clear();
  size_t line_number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    line_number++;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;
    if (line[first] == '#') {
      size_t d = line.find("dialect:");
      if (d != std::string_view::npos && dialect_name != nullptr) {
        std::string_view name = line.substr(d + 8);
        size_t start = name.find_first_not_of(' ');
        size_t end = name.find_first_of(" \r\t;", start);
        *dialect_name = std::string(name.substr(start, end - start));
      }
      continue;
    }
    Op op;
    std::string why;
    if (!parse_op(line, &op, &why)) {
      *error = "line " + std::to_string(line_number) + ": " + why;
      return false;
    }
    program->push_back(op);
  }
  return true;
}

}  // namespace zmcheck
