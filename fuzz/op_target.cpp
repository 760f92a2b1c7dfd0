#include "op_target.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "profile.h"
#include "program.h"
#include "runner.h"
#include "sut.h"

extern "C" {
__attribute__((weak)) const char *zmcheck_replay_binary = nullptr;
__attribute__((weak)) const char *zmcheck_replay_input = nullptr;
}

namespace zmcheck {

int run_op_target(const char *dialect_name, const uint8_t *data, size_t size) {
  static const Dialect *dialect = find_dialect(dialect_name);
  if (dialect == nullptr) {
    std::fprintf(stderr, "zmcheck: no dialect %s\n", dialect_name);
    std::exit(2);
  }
  static const Codec codec(*dialect, runnable);
  RunOptions options;
  if (zmcheck_replay_input != nullptr)
    options.replay_hint = std::string("ZMCHECK_TRACE=1 ") + zmcheck_replay_binary + " " +
                          zmcheck_replay_input + "   or: ci/zmcheck reproduce " + zmcheck_replay_input;
  else
    options.replay_hint = "ci/zmcheck reproduce <the crash file libFuzzer names below>";
  run_case(codec.decode({data, size}), dialect->threaded, sut(), built_in_profile(), options);
  return 0;
}

}  // namespace zmcheck
