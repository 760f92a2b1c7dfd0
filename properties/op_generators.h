// RapidCheck generators of the op language, and the one command of the stateful model
// test: an op, generated from the state it runs in (which slots are live, which threads
// exist), checked against the harness model when it runs.
#ifndef ZMCHECK_PROPERTIES_OP_GENERATORS_H
#define ZMCHECK_PROPERTIES_OP_GENERATORS_H

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "executor.h"
#include "model.h"
#include "program.h"

namespace zmcheck {

// Sizes as the fuzzers draw them: an edge size, a small size, or one up to 2^16 + 1.
rc::Gen<uint64_t> gen_size();
// Sizes of blocks that can be made (no failure): small, or up to 2^16 + 1.
rc::Gen<uint64_t> gen_block_size();

// The state a command is generated from and checked against: the harness model, and
// the threads of a threaded program.
struct CaseState {
  const Dialect *dialect;
  Model model;
  std::vector<uint8_t> live_threads{0};
  int next_thread = 1;

  static CaseState initial(const Dialect &dialect);
  // The state after the ops of prelude.
  static CaseState after(const Dialect &dialect, const Program &prelude);
  void apply(const Op &op);
};

// What the commands run on: the executor, counting the ops.
struct CaseRunner {
  Executor &executor;
  size_t index = 0;
};

struct OpCommand : rc::state::Command<CaseState, CaseRunner> {
  Op op;
  bool threaded = false;  // shown as "T<n>: ..."
  explicit OpCommand(const CaseState &state);  // draws op from the state
  void checkPreconditions(const CaseState &state) const override;
  void apply(CaseState &state) const override;
  void run(const CaseState &state, CaseRunner &runner) const override;
  void show(std::ostream &os) const override;
};

using OpCommands = rc::state::Commands<rc::state::Command<CaseState, CaseRunner>>;

// A program of the dialect: a command sequence RapidCheck generates and shrinks, after
// a fixed prelude (which is not shrunk) when one is given.
rc::Gen<OpCommands> gen_commands(const Dialect &dialect, const Program &prelude = {});
Program to_program(const OpCommands &commands, const Program &prelude = {});

// The classes of case a program falls in ("size 0", "failure path",
// "cross-thread free", ...), read off the model as it runs the program.
std::vector<std::string> classes_of(const Program &program);

// The largest size class among classes ("size 0" ... "huge size"), or "no block": the
// one RC_TAG a case gets, so that RapidCheck's distribution stays readable.
std::string largest_size_class(const std::vector<std::string> &classes);

// Counts, over all cases of a property, how many fell in each class; a property that
// never met an important class proved nothing about it.
class ClassTally {
 public:
  void add(const std::vector<std::string> &classes);
  int count(const std::string &name) const;
  // The important classes that never occurred.
  std::vector<std::string> missing(const std::vector<std::string> &important) const;
  // "class: share of cases" lines, for the test's output.
  std::string summary(int cases) const;

 private:
  std::map<std::string, int> counts_;
};

}  // namespace zmcheck

#endif
