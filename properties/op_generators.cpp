// The op generators and the stateful command.
#include "op_generators.h"

#include <algorithm>
#include <array>

#include "profile.h"
#include "runner.h"
#include "sut.h"

namespace zmcheck {

rc::Gen<uint64_t> gen_size() {
  std::vector<uint64_t> edges(edge_sizes().begin(), edge_sizes().end());
  return rc::gen::weightedOneOf<uint64_t>({{1, rc::gen::just<uint64_t>(0)},
                                           {4, rc::gen::elementOf(edges)},
                                           {5, rc::gen::inRange<uint64_t>(0, 300)},
                                           {1, rc::gen::inRange<uint64_t>(0, 65538)}});
}

rc::Gen<uint64_t> gen_block_size() {
  return rc::gen::weightedOneOf<uint64_t>(
      {{4, rc::gen::inRange<uint64_t>(0, 100)}, {1, rc::gen::inRange<uint64_t>(0, 65538)}});
}

CaseState CaseState::initial(const Dialect &dialect) {
  return CaseState{&dialect, Model(built_in_profile(), backend_limit())};
}

CaseState CaseState::after(const Dialect &dialect, const Program &prelude) {
  CaseState state = initial(dialect);
  for (const Op &op : prelude) state.apply(op);
  return state;
}

void CaseState::apply(const Op &op) {
  model.apply(op);
  if (op.kind == OpKind::spawn) {
    live_threads.push_back(op.thread);
    next_thread++;
  } else if (op.kind == OpKind::exit) {
    live_threads.erase(std::find(live_threads.begin(), live_threads.end(), op.thread));
  }
}

namespace {

// An op kind, as often as the dialect's weight says (shrinks toward the catalogue's first ops).
rc::Gen<OpKind> gen_kind(const Dialect &dialect, const CaseState &state) {
  std::vector<OpKind> weighted;
  for (int k = 0; k < kOpKinds; k++) {
    auto kind = static_cast<OpKind>(k);
    if (!runnable(kind)) continue;
    if (kind == OpKind::spawn && state.live_threads.size() >= kMaxThreads) continue;
    if (kind == OpKind::exit && state.live_threads.size() < 2) continue;
    weighted.insert(weighted.end(), dialect.weight[k], kind);
  }
  return rc::gen::elementOf(weighted);
}

}  // namespace

OpCommand::OpCommand(const CaseState &state) {
  const Dialect &dialect = *state.dialect;
  threaded = dialect.threaded;
  op.kind = *gen_kind(dialect, state);
  const OpInfo &i = info(op.kind);
  if (i.has_slot) op.slot = *rc::gen::inRange<uint8_t>(0, kSlots);
  if (i.has_count)  // half the time a count whose product with most sizes overflows
    op.count = *rc::gen::weightedOneOf<uint64_t>(
        {{1, gen_size()}, {1, rc::gen::elementOf(std::vector<uint64_t>{uint64_t{1} << 32, UINT64_MAX / 2 + 1, UINT64_MAX})}});
  if (i.has_size) op.size = op.kind == OpKind::strdup ? *rc::gen::inRange<uint64_t>(0, 200) : *gen_size();
  if (i.has_k) op.k = *rc::gen::inRange<uint8_t>(1, op.kind == OpKind::fail_next ? 5 : 9);
  if (!dialect.threaded) return;
  if (op.kind == OpKind::spawn) {
    op.thread = static_cast<uint8_t>(state.next_thread);
  } else if (op.kind == OpKind::exit) {
    op.thread = *rc::gen::elementOf(std::vector<uint8_t>(state.live_threads.begin() + 1, state.live_threads.end()));
  } else {
    op.thread = *rc::gen::elementOf(state.live_threads);
    if (op.thread != 0)
      op.preempt = *rc::gen::weightedOneOf<uint8_t>(
          {{6, rc::gen::just<uint8_t>(0)}, {4, rc::gen::inRange<uint8_t>(1, kMaxPreempt + 1)}});
  }
}

void OpCommand::checkPreconditions(const CaseState &state) const {
  if (!state.dialect->threaded) return;
  const auto &live = state.live_threads;
  bool thread_live = std::find(live.begin(), live.end(), op.thread) != live.end();
  if (op.kind == OpKind::spawn)
    RC_PRE(op.thread == state.next_thread && live.size() < kMaxThreads);
  else if (op.kind == OpKind::exit)
    RC_PRE(thread_live && op.thread != 0);
  else
    RC_PRE(thread_live);
}

void OpCommand::apply(CaseState &state) const { state.apply(op); }

void OpCommand::run(const CaseState &state, CaseRunner &runner) const {
  runner.executor.run(runner.index++, op, state.model.predict(op));
}

void OpCommand::show(std::ostream &os) const { os << op_text(op, threaded); }

rc::Gen<OpCommands> gen_commands(const Dialect &dialect, const Program &prelude) {
  return rc::state::gen::commands(CaseState::after(dialect, prelude), rc::state::gen::execOneOfWithArgs<OpCommand>());
}

Program to_program(const OpCommands &commands, const Program &prelude) {
  Program program = prelude;
  for (const auto &command : commands) program.push_back(static_cast<const OpCommand &>(*command).op);
  return program;
}

std::vector<std::string> classes_of(const Program &program) {
  Model model(built_in_profile(), backend_limit());
  std::vector<std::string> classes;
  auto add = [&](const std::string &c) {
    if (std::find(classes.begin(), classes.end(), c) == classes.end()) classes.push_back(c);
  };
  std::array<int, kSlots> owner{};  // the thread whose op last made or moved each slot's block
  size_t threads_alive = 1;
  for (const Op &op : program) {
    Prediction p = model.predict(op);
    bool was_live = info(op.kind).has_slot && model.live(op.slot);
    if (op.kind == OpKind::enable_thread_safeness) add("mode switch");
    if (stores_block(op.kind) && p.outcome != Outcome::skipped) {
      uint64_t n = p.request;
      add(n == 0 ? "size 0" : n <= 8 ? "size 1-8" : n <= 64 ? "size 9-64" : n <= 4096 ? "size 65-4096"
          : n < UINT64_MAX / 2 ? "size over 4096" : "huge size");
    }
    if (p.outcome == Outcome::fails) add("failure path");
    std::string why = p.why;
    if (p.outcome == Outcome::fails && why.find("huge") != std::string::npos) add("huge size");
    if (p.outcome == Outcome::fails && why.find("overflow") != std::string::npos) add("calloc overflow");
    if (p.outcome == Outcome::fails && why.find("injected") != std::string::npos) add("injected failure");
    if (is_realloc(op.kind) && !was_live) add("realloc from NULL");
    if (is_realloc(op.kind) && was_live && op.size == 0) add("realloc to 0");  // frees or resizes
    if (was_live && (p.frees_block || p.replaces_block || is_realloc(op.kind)) && owner[op.slot] != op.thread)
      add("cross-thread free");
    if (op.preempt != 0) add("parked op");
    if (op.kind == OpKind::exit)
      for (int s = 0; s < kSlots; s++)
        if (model.live(s) && owner[s] == op.thread) add("thread exits holding blocks");
    // Beyond the counter table: past the table the harness sets (only where it can), or
    // by a storm of more threads than any known table.
    if (op.kind == OpKind::spawn && ++threads_alive > kThreadSlotsUnderTest && sut().zm_test_set_thread_slots != nullptr)
      add("more threads than slots");
    if (op.kind == OpKind::storm) add("thread storm");
    if (op.kind == OpKind::exit) threads_alive--;
    model.apply(op);
    if (stores_block(op.kind) && model.live(op.slot)) owner[op.slot] = op.thread;
  }
  return classes;
}

std::string largest_size_class(const std::vector<std::string> &classes) {
  static const char *const kBands[] = {"huge size", "size over 4096", "size 65-4096", "size 9-64", "size 1-8", "size 0"};
  for (const char *band : kBands)
    if (std::find(classes.begin(), classes.end(), band) != classes.end()) return std::string("largest: ") + band;
  return "no block";
}

std::string ClassTally::summary(int cases) const {
  std::string out = "case classes over " + std::to_string(cases) + " cases:\n";
  for (const auto &[name, count] : counts_)
    out += "  " + name + ": " + std::to_string(cases > 0 ? 100 * count / cases : 0) + "%\n";
  return out;
}

void ClassTally::add(const std::vector<std::string> &classes) {
  for (const std::string &c : classes) counts_[c]++;
}

int ClassTally::count(const std::string &name) const {
  auto it = counts_.find(name);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::string> ClassTally::missing(const std::vector<std::string> &important) const {
  std::vector<std::string> out;
  for (const std::string &c : important)
    if (count(c) == 0) out.push_back(c);
  return out;
}

}  // namespace zmcheck
