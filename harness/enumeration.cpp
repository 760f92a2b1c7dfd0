// Enumeration of programs up to a bound: the alphabets, canonical slots, the two orders.
#include "enumeration.h"

#include <algorithm>
#include <map>

namespace zmcheck {
namespace {

bool has(const std::vector<uint64_t> &v, uint64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void add(std::vector<uint64_t> *v, uint64_t x) {
  if (!has(*v, x)) v->push_back(x);
}

constexpr uint64_t kHalf = UINT64_MAX / 2;

// Letters of one kind over the domains it takes.
void add_letters(Alphabet *a, OpKind kind) {
  const OpInfo &i = info(kind);
  Op op;
  op.kind = kind;
  if (kind == OpKind::strdup) {
    for (uint64_t n : a->lengths) a->letters.push_back((op.size = n, op));
  } else if (i.has_count) {
    for (uint64_t m : a->counts)
      for (uint64_t n : a->sizes) a->letters.push_back((op.count = m, op.size = n, op));
  } else if (i.has_size) {
    for (uint64_t n : a->sizes) a->letters.push_back((op.size = n, op));
  } else {
    a->letters.push_back(op);
  }
  a->kinds.push_back(kind);
}

bool threads_op(OpKind kind) {
  return kind == OpKind::spawn || kind == OpKind::storm || kind == OpKind::exit || kind == OpKind::exit_free;
}

}  // namespace

std::vector<uint64_t> size_domain(const Profile &profile) {
  std::vector<uint64_t> sizes{0};
  if (profile.accounting == Profile::Accounting::prefix) {
    uint64_t g = std::max<uint64_t>(profile.granule, 1);
    for (uint64_t n = 1; n <= g + 1; n++) add(&sizes, n);
  } else {
    for (uint64_t n : {1, 8, 9, 16, 17}) add(&sizes, n);
  }
  add(&sizes, kHalf - 1);
  add(&sizes, kHalf);
  if (profile.accounting == Profile::Accounting::prefix) {
    // The first n whose n + header wraps around (an edge size where the header is 16 or less).
    add(&sizes, UINT64_MAX - profile.header + 1 > kHalf ? UINT64_MAX - profile.header + 1 : UINT64_MAX);
  }
  add(&sizes, UINT64_MAX);
  return sizes;
}

std::vector<uint64_t> edge_size_domain(const Profile &profile) {
  std::vector<uint64_t> sizes{0};
  if (profile.accounting == Profile::Accounting::prefix) {
    uint64_t g = std::max<uint64_t>(profile.granule, 2);
    for (uint64_t n : {uint64_t{1}, g - 1, g, g + 1}) add(&sizes, n);
  } else {
    for (uint64_t n : {1, 8, 9, 16, 17}) add(&sizes, n);
  }
  for (uint64_t n : size_domain(profile))
    if (n >= kHalf - 1) add(&sizes, n);
  return sizes;
}

namespace {

Alphabet sequential_letters(const Profile &profile, const OpFilter &available, std::vector<uint64_t> sizes) {
  Alphabet a;
  a.sizes = std::move(sizes);
  a.counts = {1, 2, kHalf + 1};
  uint64_t g = std::max<uint64_t>(profile.granule, 2);
  a.lengths = {0, g - 1, g};
  for (int k = 0; k < kOpKinds; k++) {
    auto kind = static_cast<OpKind>(k);
    if (threads_op(kind) || kind == OpKind::check || kind == OpKind::read_used || kind == OpKind::fail_next ||
        kind == OpKind::fail_nth)
      continue;
    if (available && !available(kind)) continue;
    add_letters(&a, kind);
  }
  a.inject_failures = !available || available(OpKind::fail_next);
  a.blocks_only = true;
  return a;
}

}  // namespace

Alphabet sequential_alphabet(const Profile &profile, const OpFilter &available, int full_depth) {
  Alphabet a = sequential_letters(profile, available, size_domain(profile));
  Alphabet edges = sequential_letters(profile, available, edge_size_domain(profile));
  if (edges.letters.size() < a.letters.size()) {
    a.full_depth = full_depth;
    a.edges = std::make_shared<const Alphabet>(std::move(edges));
  }
  return a;
}

Alphabet thread_alphabet(const Profile &profile, const OpFilter &available) {
  Alphabet a;
  uint64_t g = std::max<uint64_t>(profile.accounting == Profile::Accounting::prefix ? profile.granule : 8, 1);
  a.sizes = {1, g + 1};
  for (OpKind kind : {OpKind::malloc, OpKind::realloc, OpKind::free, OpKind::read_used, OpKind::exit_free}) {
    if (available && !available(kind)) continue;
    if (kind == OpKind::realloc) {  // one size: a block that grows
      Op op{.kind = kind, .size = g + 1};
      a.letters.push_back(op);
      a.kinds.push_back(kind);
      continue;
    }
    add_letters(&a, kind);
  }
  return a;
}

Program Candidate::runnable() const {
  Program p;
  for (size_t i = 0; i < ops.size(); i++) {
    if (injected[i]) p.push_back(Op{.kind = OpKind::fail_next, .k = 1});
    p.push_back(ops[i]);
  }
  return p;
}

std::string Candidate::key() const {
  std::string k;
  for (size_t i = 0; i < ops.size(); i++) {
    const Op &op = ops[i];
    k.push_back(static_cast<char>(op.kind));
    k.push_back(static_cast<char>(op.slot | (injected[i] ? 0x80 : 0)));
    k.append(reinterpret_cast<const char *>(&op.size), sizeof op.size);
    k.append(reinterpret_cast<const char *>(&op.count), sizeof op.count);
  }
  return k;
}

void each_sequential(const Alphabet &alphabet, const Profile &profile, uint64_t backend_limit, int length,
                     const std::function<bool(const Candidate &)> &prune,
                     const std::function<bool(const Candidate &)> &visit) {
  Candidate c;
  bool stop = false;
  std::function<void(int, const Model &)> extend = [&](int used, const Model &model) {
    if (static_cast<int>(c.ops.size()) == length) {
      if (!visit(c)) stop = true;
      return;
    }
    if (!c.ops.empty() && prune && prune(c)) return;
    const Alphabet &letters = length <= alphabet.full_depth || !alphabet.edges ? alphabet : *alphabet.edges;
    for (const Op &letter : letters.letters) {
      bool slotted = info(letter.kind).has_slot;
      for (int s = 0; s < (slotted ? std::min(used + 1, kSlots) : 1); s++) {
        bool fresh = s == used;
        if (alphabet.blocks_only && slotted) {
          // An allocation makes a block in a fresh slot; the other ops name a live block,
          // or (a fresh slot) NULL; the size queries and the write make no call on NULL.
          bool live = !fresh && model.live(s);
          bool allocation = stores_block(letter.kind) && !is_realloc(letter.kind);
          bool needs_block = letter.kind == OpKind::query || letter.kind == OpKind::write;
          if (allocation ? !fresh : needs_block ? !live : !(live || fresh)) continue;
        }
        bool grows = fresh && slotted && (!alphabet.blocks_only || stores_block(letter.kind));
        Op op = letter;
        op.slot = static_cast<uint8_t>(s);
        for (int failing = 0; failing < 2; failing++) {
          Model next = model;
          if (failing) {
            if (!alphabet.inject_failures || !model.predict(op).backend_call) break;
            next.apply(Op{.kind = OpKind::fail_next, .k = 1});
          }
          next.apply(op);
          c.ops.push_back(op);
          c.injected.push_back(failing == 1);
          extend(grows ? used + 1 : used, next);
          c.ops.pop_back();
          c.injected.pop_back();
          if (stop) return;
        }
      }
    }
  };
  extend(0, Model(profile, backend_limit));
}

void each_threaded(const Alphabet &alphabet, int ops_per_thread, int preemptions, int max_preempt,
                   const std::function<bool(const Program &)> &visit) {
  const int m = ops_per_thread;
  const int total = 2 * m + 1;  // T0's ops, T1's ops and T1's exit
  Program program{Op{.kind = OpKind::spawn, .thread = 1}};
  bool stop = false;
  // mask bit i: position i is T1's. T1's exit is its last position.
  for (uint32_t mask = 0; mask < (1u << total) && !stop; mask++) {
    if (__builtin_popcount(mask) != m + 1) continue;
    int last_t1 = 31 - __builtin_clz(mask);
    std::function<void(int, int, int)> extend = [&](int at, int used, int parks) {
      if (at == total) {
        if (!visit(program)) stop = true;
        return;
      }
      bool t1 = (mask >> at) & 1;
      if (t1 && at == last_t1) {
        program.push_back(Op{.kind = OpKind::exit, .thread = 1});
        extend(at + 1, used, parks);
        program.pop_back();
        return;
      }
      for (const Op &letter : alphabet.letters) {
        if (letter.kind == OpKind::exit_free && !t1) continue;  // T0 does not exit within a case
        bool slotted = info(letter.kind).has_slot;
        int choices = slotted ? std::min(used + 1, kSlots) : 1;
        int points = !t1 ? 0 : letter.kind == OpKind::read_used ? max_preempt : std::min(max_preempt, 1);
        for (int s = 0; s < choices; s++)
          for (int p = 0; p <= points; p++) {
            if (p > 0 && parks == preemptions) break;
            Op op = letter;
            op.slot = static_cast<uint8_t>(s);
            op.thread = t1 ? 1 : 0;
            op.preempt = static_cast<uint8_t>(p);
            program.push_back(op);
            extend(at + 1, slotted ? std::max(used, s + 1) : used, parks + (p > 0));
            program.pop_back();
            if (stop) return;
          }
      }
    };
    extend(0, 0, 0);
  }
}

uint64_t closed_form_count(uint64_t slotted, uint64_t unslotted, int length) {
  // Bell numbers by the triangle; binomials by Pascal.
  std::vector<uint64_t> bell{1};
  std::vector<uint64_t> row{1};
  for (int j = 1; j <= length; j++) {
    std::vector<uint64_t> next{row.back()};
    for (uint64_t x : row) next.push_back(next.back() + x);
    row = next;
    bell.push_back(row.front());
  }
  uint64_t total = 0;
  for (int j = 0; j <= length; j++) {
    uint64_t choose = 1;
    for (int i = 0; i < j; i++) choose = choose * static_cast<uint64_t>(length - i) / static_cast<uint64_t>(i + 1);
    uint64_t term = choose * bell[j];
    for (int i = 0; i < j; i++) term *= slotted;
    for (int i = j; i < length; i++) term *= unslotted;
    total += term;
  }
  return total;
}

Program canonical_slots(const Program &program) {
  std::map<int, int> names;
  Program out = program;
  for (Op &op : out) {
    if (!info(op.kind).has_slot) {
      op.slot = 0;
      continue;
    }
    auto it = names.try_emplace(op.slot, static_cast<int>(names.size())).first;
    op.slot = static_cast<uint8_t>(it->second);
  }
  return out;
}

int witness_length(const Program &program) {
  return static_cast<int>(std::count_if(program.begin(), program.end(), [](const Op &op) {
    return op.kind != OpKind::fail_next && op.kind != OpKind::fail_nth;
  }));
}

}  // namespace zmcheck
