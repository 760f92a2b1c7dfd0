// run_case: the loop over a program's ops, single-threaded or under the scheduler.
#include "runner.h"

#include <map>

#include "model.h"
#include "scheduler.h"

namespace zmcheck {
namespace {

// An op this build cannot run (one op table for every build: see program.h) is skipped,
// and the journal says why; the model never sees it.
bool skipped(size_t i, const Op &op, Executor &executor) {
  if (runnable(op.kind)) return false;
  executor.record(i, op, "skipped: " + left_out_because(op.kind));
  return true;
}

void run_single(const Program &program, Executor &executor, Model &model) {
  for (size_t i = 0; i < program.size(); i++) {
    if (skipped(i, program[i], executor)) continue;
    Prediction prediction = model.predict(program[i]);
    model.apply(program[i]);
    executor.run(i, program[i], prediction);
  }
}

// An op that touches a slot must wait for a parked op that holds it, as a real program
// cannot free a block before the call that makes it has returned.
bool must_wait_for(const Op &parked, const Op &next) {
  if (next.thread == parked.thread || next.kind == OpKind::check || next.kind == OpKind::storm) return true;
  return info(next.kind).has_slot && info(parked.kind).has_slot && next.slot == parked.slot;
}

void run_threaded(const Program &program, Executor &executor, Model &model, const Sut &sut) {
  Scheduler scheduler(sut);
  executor.set_in_flight_probe([&] { return scheduler.parked_count(); });
  std::map<int, Op> in_flight;
  auto resume = [&](int id) {
    scheduler.resume(id);
    in_flight.erase(id);
  };
  for (size_t i = 0; i < program.size(); i++) {
    const Op &op = program[i];
    if (skipped(i, op, executor)) continue;
    if (op.thread != 0 && op.kind != OpKind::spawn && !scheduler.started(op.thread)) {
      executor.record(i, op, "skipped: T" + std::to_string(op.thread) + " was not started (its spawn() was skipped)");
      continue;
    }
    if (op.kind == OpKind::spawn) {
      scheduler.spawn(op.thread);
      executor.record(i, op, "T" + std::to_string(op.thread) + " started");
      continue;
    }
    if (op.kind == OpKind::exit) {
      if (scheduler.parked(op.thread)) resume(op.thread);
      scheduler.exit(op.thread);
      executor.thread_exited(op.thread);
      executor.record(i, op, "T" + std::to_string(op.thread) + " exited and was joined");
      if (scheduler.parked_count() == 0) executor.check_exact();
      continue;
    }
    for (int id : scheduler.parked_workers())
      if (must_wait_for(in_flight.at(id), op)) resume(id);
    Prediction prediction = model.predict(op);
    model.apply(op);
    if (op.thread == 0) {
      executor.run(i, op, prediction);
      continue;
    }
    scheduler.run(op.thread, [&executor, i, op, prediction] { executor.run(i, op, prediction); }, op.preempt);
    if (scheduler.parked(op.thread)) {
      in_flight[op.thread] = op;
      executor.record(i, op, std::string("parked at preemption point \"") + scheduler.parked_at(op.thread) + "\"");
    }
  }
  for (int id : scheduler.parked_workers()) resume(id);
  for (int id : scheduler.workers()) {  // the case is over: its threads end with it
    scheduler.retire(id);
    executor.thread_exited(id);
  }
}

}  // namespace

void run_case(const Program &program, bool threaded, const Sut &sut, const Profile &profile,
              const RunOptions &options) {
  Model model(profile, backend_limit());
  Executor executor(sut, profile, options.on_failure, threaded);
  if (options.echo) executor.set_echo(true);
  executor.set_replay_hint(options.replay_hint);
  unsigned old_slots = 0;
  if (threaded) enable_thread_safeness(sut);  // before the first thread, as a server does
  if (threaded && sut.zm_test_set_thread_slots != nullptr)
    old_slots = sut.zm_test_set_thread_slots(kThreadSlotsUnderTest);
  executor.begin();
  try {
    if (threaded)
      run_threaded(program, executor, model, sut);
    else
      run_single(program, executor, model);
    executor.end();
  } catch (...) {  // a CheckFailure: give back what the case holds, then report it
    executor.abandon();
    if (threaded && sut.zm_test_set_thread_slots != nullptr) sut.zm_test_set_thread_slots(old_slots);
    throw;
  }
  if (threaded && sut.zm_test_set_thread_slots != nullptr) sut.zm_test_set_thread_slots(old_slots);
}

}  // namespace zmcheck
