// run_isolated: fork, run the case in the child with its output piped back, and read
// the verdict from its exit status and from any sanitizer report in its output.
#include "isolation.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include <rapidcheck.h>

#include "accepted.h"
#include "executor.h"

namespace zmcheck {
namespace {

// Text a sanitizer prints when it reports, also when it lets the process go on (TSan).
const char *const kReportMarks[] = {"WARNING: ThreadSanitizer", "ERROR: AddressSanitizer",
                                    "ERROR: LeakSanitizer", "runtime error:", "==== zmcheck"};

bool isolation_disabled() {
  const char *v = std::getenv("ZMCHECK_NO_ISOLATION");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

CaseOutcome run_in_process(const std::function<void()> &body) {
  try {
    body();
    return {true, ""};
  } catch (const std::exception &e) {
    return {false, e.what()};
  }
}

}  // namespace

void require(bool ok, const std::string &what, const std::string &expected, const std::string &seen,
             const std::string &why) {
  if (ok) return;
  throw CheckFailure("\n==== zmcheck: " + what + " broken\nexpected: " + expected + "\nseen:     " + seen + "\n" +
                     (why.empty() ? "" : "why:      " + why + "\n") + "====\n");
}

CaseOutcome run_isolated(const std::function<void()> &body) {
  if (isolation_disabled()) return run_in_process(body);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {false, "zmcheck: pipe() failed"};
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t child = fork();
  if (child < 0) return {false, "zmcheck: fork() failed"};
  if (child == 0) {
    forget_accepted();
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[1]);
    int status = 0;
    try {
      body();
    } catch (const std::exception &e) {
      std::fputs(e.what(), stderr);
      status = 1;
    }
    write_accepted();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(status);
  }
  close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t got; (got = read(pipe_fds[0], buffer, sizeof buffer)) != 0;) {
    if (got < 0) break;
    output.append(buffer, static_cast<size_t>(got));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  bool passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  absorb_accepted(output);
  for (const char *mark : kReportMarks)
    if (output.find(mark) != std::string::npos) passed = false;
  if (WIFSIGNALED(status)) output += "\n[the case was killed by signal " + std::to_string(WTERMSIG(status)) + "]";
  else if (!passed && WIFEXITED(status)) output += "\n[the case exited with status " + std::to_string(WEXITSTATUS(status)) + "]";
  return {passed, output};
}

void check_isolated(const std::function<void()> &body) {
  CaseOutcome outcome = run_isolated(body);
  if (!outcome.passed) RC_FAIL(outcome.report);
}

}  // namespace zmcheck
