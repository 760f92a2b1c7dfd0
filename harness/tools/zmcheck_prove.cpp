// zmcheck-prove: the bounded proof. Every program up to the bound is run against the
// allocator this binary is linked with, in order of length, each one checked after every
// op and at its teardown; each counterexample is kept once per cause, with its smallest
// witness (the first one found: programs come shortest first).
//
//   zmcheck-prove [--depth K] [--threads-depth M] [--preemptions B] [--json FILE] [--quiet]
//   zmcheck-prove --run TRACE      replay one trace (a witness), print its report; exit 1 if it breaks
//   zmcheck-prove --count          the number of programs and schedules of the bound, nothing run
//
// Programs run in worker processes (fork), so that an allocator that crashes inside a
// call costs one program, not the proof: the crash is a counterexample with the crash's
// report, and the next worker goes on after it. The extensions of a program that broke an
// invariant at one of its ops are not run: they break there, the same way ("pruned").
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "enumeration.h"
#include "profile.h"
#include "program.h"
#include "runner.h"
#include "sut.h"

namespace {

using namespace zmcheck;

constexpr int kDefaultDepth = 3;
constexpr int kDefaultThreadsDepth = 2;
constexpr int kDefaultPreemptions = 2;
constexpr int kDefaultFullDepth = 2;
// A proof stops after this many crashed programs: an allocator that crashes in every
// program that ends in some call would cost a worker a program. Its smallest witnesses
// come first (programs run shortest first); the statement then says it was not exhaustive.
constexpr int kMaxCrashes = 25;

const char kUsage[] =
    "usage: zmcheck-prove [--depth K] [--full-depth F] [--threads-depth M] [--preemptions B] [--json FILE] [--quiet]\n"
    "       zmcheck-prove --run TRACE\n"
    "       zmcheck-prove --count [--depth K] [--threads-depth M] [--preemptions B]\n";

struct Options {
  int depth = kDefaultDepth;
  int threads_depth = kDefaultThreadsDepth;
  int preemptions = kDefaultPreemptions;
  int full_depth = kDefaultFullDepth;  // programs of up to F ops draw every size of the domain
  std::string json;
  std::string run;
  bool count = false;
  bool quiet = false;
};

// What the workers share with the parent: how far they got.
struct Shared {
  uint64_t next;      // the index of the program being run (or next to run)
  uint64_t ran;       // programs run to their end
};

struct Counterexample {
  std::string cause;      // one per cause: invariant, op kind, the why's shape
  std::string invariant;
  std::string phase;      // sequential | threads
  std::string trace;
  std::string report;
  int ops = 0;
  uint64_t count = 0;     // programs that showed it
};

std::string json_string(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string digits_as_n(const std::string &text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] >= '0' && text[i] <= '9') {
      if (out.empty() || out.back() != 'N') out += 'N';
      continue;
    }
    out += text[i];
  }
  return out;
}

// The kind of op an invariant broke at, as findings are grouped (ci/zmcheck_cli/signatures.py
// op_kind): "allocation" for every op that makes a block, "free", else the function.
std::string op_kind_of(std::string op) {
  if (op.size() > 2 && op[0] == 'T') op = op.substr(op.find(':') + 1);
  size_t first = op.find_first_not_of(' ');
  op = first == std::string::npos ? "" : op.substr(first);
  if (op.size() > 1 && op[0] == 's' && op.find(" = ") != std::string::npos && op.find(" = ") < 5) return "allocation";
  std::string name = op.substr(0, op.find('('));
  return name == "zfree" || name == "zfree_usable" ? "free" : name;
}

// The shapes of miscounting a why line names ("it took off n + header, unrounded"), as
// ci/zmcheck_cli/distinct.py reads them: one bug shows the same shape at every op.
std::string shapes_of(const std::string &why) {
  static const std::pair<const char *, const char *> kShapes[] = {
      {"n + header, unrounded", "counts n + header unrounded"},
      {"without the header", "counts a block without its header"},
      {"the header counted twice", "counts the header twice"},
      {"n + header rounded up to sizeof(long)", "rounds n + header to sizeof(long)"},
  };
  std::string out;
  for (const auto &[phrase, shape] : kShapes)
    if (why.find(phrase) != std::string::npos) out += (out.empty() ? "" : "; ") + std::string(shape);
  if (why.rfind("zmalloc_size counts", 0) == 0 && !out.empty()) out = "zmalloc_size " + out;
  return out;
}

// The cause of a report: its invariant and op kind, and what its why line says (the shape
// of miscounting it names, or the line without its numbers). ci/zmcheck_cli/distinct.py
// groups these further, across invariants, by the shape alone.
std::string cause_of(const std::string &report, const std::string &fallback) {
  const std::string head = "==== zmcheck: ";
  size_t at = report.find(head);
  if (at == std::string::npos) return fallback;
  size_t eol = report.find('\n', at);
  std::string line = report.substr(at + head.size(), eol - at - head.size());
  size_t broken = line.find(" broken at op ");
  std::string invariant = line.substr(0, broken);
  std::string kind;
  if (broken != std::string::npos) {
    size_t colon = line.find(": ", broken);
    if (colon != std::string::npos) kind = op_kind_of(line.substr(colon + 2));
  }
  std::string cause = invariant + (kind.empty() ? "" : " at " + kind);
  size_t why = report.find("\nwhy:", at);
  if (why != std::string::npos) {
    size_t start = report.find_first_not_of(' ', why + 5);
    std::string text = report.substr(start, report.find('\n', start) - start);
    std::string shapes = shapes_of(text);
    cause += ": " + (shapes.empty() ? digits_as_n(text) : shapes);
  }
  return cause;
}

// The first line of a crash report a worker left on its stderr.
std::string crash_cause(const std::string &log) {
  for (const char *marker : {"==== zmcheck: ", "ERROR: AddressSanitizer: ", "runtime error: ", "ERROR: "}) {
    size_t at = log.find(marker);
    if (at == std::string::npos) continue;
    if (std::strcmp(marker, "==== zmcheck: ") == 0) return cause_of(log.substr(at), "crash");
    std::string line = log.substr(at, log.find('\n', at) - at);
    size_t cut = line.find(" on address");
    if (cut != std::string::npos) line = line.substr(0, cut);
    return "crash: " + digits_as_n(line);
  }
  return "crash: the process ended inside the allocator";
}

std::string read_all(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Records a worker sends the parent: a counterexample or a key to prune by.
void send(int fd, const std::vector<std::string> &fields) {
  std::string message;
  for (const std::string &f : fields) {
    uint32_t n = static_cast<uint32_t>(f.size());
    message.append(reinterpret_cast<const char *>(&n), sizeof n);
    message += f;
  }
  uint32_t total = static_cast<uint32_t>(message.size());
  std::string framed(reinterpret_cast<const char *>(&total), sizeof total);
  framed += message;
  for (size_t at = 0; at < framed.size();) {
    ssize_t w = write(fd, framed.data() + at, framed.size() - at);
    if (w <= 0) return;
    at += static_cast<size_t>(w);
  }
}

std::vector<std::vector<std::string>> receive_all(int fd) {
  std::string data;
  char buffer[65536];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) != 0) {
    if (got < 0) {
      if (errno == EINTR) continue;
      break;
    }
    data.append(buffer, static_cast<size_t>(got));
  }
  std::vector<std::vector<std::string>> records;
  size_t at = 0;
  auto u32 = [&](size_t pos) {
    uint32_t v;
    std::memcpy(&v, data.data() + pos, sizeof v);
    return v;
  };
  while (at + 4 <= data.size()) {
    uint32_t total = u32(at);
    if (at + 4 + total > data.size()) break;
    std::vector<std::string> fields;
    size_t p = at + 4, end = at + 4 + total;
    while (p + 4 <= end) {
      uint32_t n = u32(p);
      fields.push_back(data.substr(p + 4, n));
      p += 4 + n;
    }
    records.push_back(fields);
    at = end;
  }
  return records;
}

class Prover {
 public:
  Prover(const Options &options)
      : options_(options), sut_(sut()), profile_(built_in_profile()),
        sequential_(sequential_alphabet(profile_, runnable, options.full_depth)), threads_(thread_alphabet(profile_, runnable)) {
    shared_ = static_cast<Shared *>(
        mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    if (shared_ == MAP_FAILED) {
      std::perror("zmcheck-prove: mmap");
      std::exit(2);
    }
    char log[] = "/tmp/zmcheck-prove-XXXXXX";
    int fd = mkstemp(log);
    if (fd < 0) {
      std::perror("zmcheck-prove: mkstemp");
      std::exit(2);
    }
    close(fd);
    log_path_ = log;
  }
  ~Prover() { unlink(log_path_.c_str()); }

  // Max preemption point an op of T1 may park at: zmcheck's counter has them; another's none.
  int max_preempt() const { return sut_.preemptible() ? kMaxPreempt : 0; }

  uint64_t count_sequential(int length) const {
    uint64_t n = 0;
    each_sequential(sequential_, profile_, backend_limit(), length, {}, [&](const Candidate &) { return ++n, true; });
    return n;
  }
  uint64_t count_threaded() const {
    uint64_t n = 0;
    if (options_.threads_depth > 0)
      each_threaded(threads_, options_.threads_depth, options_.preemptions, max_preempt(),
                    [&](const Program &) { return ++n, true; });
    return n;
  }

  int prove() {
    auto start = std::chrono::steady_clock::now();
    for (int length = 1; length <= options_.depth && !stopped_; length++) {
      auto t0 = std::chrono::steady_clock::now();
      uint64_t ran = run_phase("sequential", length);
      uint64_t all = count_sequential(length);
      uint64_t pruned = all > ran ? all - ran : 0;  // extensions of a settled counterexample
      per_length_.push_back(all);
      programs_ += ran;
      pruned_ += pruned;
      progress("length " + std::to_string(length) + ": " + std::to_string(ran) + " programs run, " +
               std::to_string(pruned) + " pruned", t0);
    }
    if (options_.threads_depth > 0 && runnable(OpKind::spawn) && !stopped_) {
      auto t0 = std::chrono::steady_clock::now();
      schedules_ = run_phase("threads", options_.threads_depth);
      progress("threads: " + std::to_string(schedules_) + " schedules of 2 threads x " +
               std::to_string(options_.threads_depth) + " ops", t0);
    }
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string statement = statement_text();
    std::printf("%s\n", statement.c_str());
    for (const std::string &cause : order_) {
      const Counterexample &c = found_.at(cause);
      std::printf("\ncounterexample (%d ops, %s, %llu programs): %s\n%s", c.ops, c.phase.c_str(),
                  static_cast<unsigned long long>(c.count), c.cause.c_str(), c.trace.c_str());
    }
    if (!options_.json.empty()) write_json(statement);
    return found_.empty() ? 0 : 1;
  }

 private:
  void progress(const std::string &what, std::chrono::steady_clock::time_point since) {
    if (options_.quiet) return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
    std::fprintf(stderr, "zmcheck-prove: %s, %zu counterexample(s) so far, %.1f s\n", what.c_str(), order_.size(), s);
  }

  // Runs every program of a phase, restarting a worker after each one that crashed: how
  // many ran.
  uint64_t run_phase(const std::string &phase, int length) {
    uint64_t ran = 0;
    uint64_t start = 0;
    for (;;) {
      *shared_ = {start, 0};
      int channel[2];
      if (pipe(channel) != 0) {
        std::perror("zmcheck-prove: pipe");
        std::exit(2);
      }
      std::fflush(stdout);
      std::fflush(stderr);
      pid_t worker = fork();
      if (worker < 0) {
        std::perror("zmcheck-prove: fork");
        std::exit(2);
      }
      if (worker == 0) {
        close(channel[0]);
        int log = open(log_path_.c_str(), O_WRONLY | O_TRUNC | O_CREAT, 0600);
        if (log >= 0) dup2(log, STDERR_FILENO);
        work(phase, length, start, channel[1]);
        _exit(0);
      }
      close(channel[1]);
      for (const auto &record : receive_all(channel[0])) take(record);
      close(channel[0]);
      int status = 0;
      while (waitpid(worker, &status, 0) < 0 && errno == EINTR) {
      }
      ran += shared_->ran;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ran;
      // The worker died running program `next`: a crash inside the allocator.
      uint64_t crashed = shared_->next;
      std::string log = read_all(log_path_);
      crash(phase, length, crashed, log);
      ran++;
      start = crashed + 1;
      if (++crashes_ >= kMaxCrashes) {
        stopped_ = true;
        stopped_at_ = phase + (phase == "sequential" ? " programs of " + std::to_string(length) + " ops" : "");
        return ran;
      }
    }
  }

  // In the worker: runs programs start.. of the phase, sending each counterexample.
  void work(const std::string &phase, int length, uint64_t start, int fd) {
    uint64_t index = 0;
    RunOptions run;
    run.on_failure = OnCheckFailure::throw_exception;
    std::unordered_set<std::string> settled = settled_;
    auto check = [&](const Program &program, bool threaded, const std::string &key) {
      try {
        run_case(program, threaded, sut_, profile_, run);
      } catch (const CheckFailure &failure) {
        std::string report = failure.what();
        bool prunes = failure.settled && !threaded;
        if (prunes) settled.insert(key);
        send(fd, {"counterexample", phase, trace_of(program, threaded), report, failure.invariant,
                  prunes ? key : std::string(), std::to_string(witness_length(program))});
      }
    };
    if (phase == "sequential") {
      each_sequential(
          sequential_, profile_, backend_limit(), length,
          [&](const Candidate &prefix) {
            return settled.count(prefix.key()) > 0;
          },
          [&](const Candidate &c) {
            uint64_t i = index++;
            if (i < start) return true;
            shared_->next = i;
            check(c.runnable(), false, c.key());
            shared_->ran++;
            return true;
          });
      return;  // the programs pruned: what the bound holds, less what ran (the parent counts)
    }
    each_threaded(threads_, length, options_.preemptions, max_preempt(), [&](const Program &program) {
      uint64_t i = index++;
      if (i < start) return true;
      shared_->next = i;
      check(program, true, "");
      shared_->ran++;
      return true;
    });
  }

  std::string trace_of(const Program &program, bool threaded) const {
    return trace_text(program, *find_dialect(threaded ? "threads" : "ops"));
  }

  void take(const std::vector<std::string> &r) {
    if (r.size() < 7 || r[0] != "counterexample") return;
    if (!r[5].empty()) settled_.insert(r[5]);
    record(r[1], r[2], r[3], r[4], std::stoi(r[6]));
  }

  void record(const std::string &phase, const std::string &trace, const std::string &report,
              const std::string &invariant, int ops) {
    std::string cause = cause_of(report, invariant.empty() ? "crash" : invariant);
    auto [it, fresh] = found_.try_emplace(cause);
    Counterexample &c = it->second;
    c.count++;
    if (!fresh) return;
    c = {cause, invariant, phase, trace, report, ops, 1};
    order_.push_back(cause);
  }

  // A worker crashed on program `index` of the phase: find it again, and record it.
  void crash(const std::string &phase, int length, uint64_t index, const std::string &log) {
    uint64_t i = 0;
    Program program;
    std::string key;
    if (phase == "sequential") {
      each_sequential(sequential_, profile_, backend_limit(), length,
                      [&](const Candidate &prefix) { return settled_.count(prefix.key()) > 0; },
                      [&](const Candidate &c) {
                        if (i++ != index) return true;
                        program = c.runnable();
                        key = c.key();
                        return false;
                      });
    } else {
      each_threaded(threads_, length, options_.preemptions, max_preempt(), [&](const Program &p) {
        if (i++ != index) return true;
        program = p;
        return false;
      });
    }
    if (!key.empty()) settled_.insert(key);  // its extensions crash at the same op
    std::string cause = crash_cause(log);
    auto [it, fresh] = found_.try_emplace(cause);
    it->second.count++;
    if (!fresh) return;
    it->second = {cause, "", phase, trace_of(program, phase == "threads"), log.substr(0, 16000),
                  witness_length(program), 1};
    order_.push_back(cause);
  }

  std::string kinds_text(const Alphabet &a) const {
    std::string out;
    for (OpKind k : a.kinds) out += (out.empty() ? "" : ", ") + std::string(info(k).api);
    return out;
  }

  std::string sizes_text(const std::vector<uint64_t> &sizes) const {
    std::string out;
    for (uint64_t n : sizes) out += (out.empty() ? "" : ", ") + size_text(n);
    return out;
  }

  std::string statement_text() const {
    std::ostringstream s;
    const Alphabet &a = sequential_;
    auto sum = [&](int from, int to) {
      uint64_t n = 0;
      for (int l = from; l <= to && l <= static_cast<int>(per_length_.size()); l++) n += per_length_[l - 1];
      return n;
    };
    int full = a.edges ? std::min(options_.depth, a.full_depth) : options_.depth;
    if (stopped_)
      s << "NOT exhaustive: stopped after " << crashes_ << " programs that crashed, among the " << stopped_at_
        << "; up to there: ";
    s << "exhaustive: all " << sum(1, full) << " programs of <= " << full << " ops over " << a.kinds.size()
      << " ops x " << a.sizes.size() << " sizes";
    if (full < options_.depth)
      s << " and all " << sum(full + 1, options_.depth) << " of " << full + 1
        << (options_.depth > full + 1 ? " to " + std::to_string(options_.depth) : "") << " ops over "
        << a.edges->sizes.size() << " sizes";
    s << (a.inject_failures ? ", each call that can fail also failing" : "") << " (" << programs_ << " run, "
      << pruned_ << " extensions of a counterexample not run)";
    if (options_.threads_depth > 0 && runnable(OpKind::spawn))
      s << "; all " << schedules_ << " schedules of 2 threads x " << options_.threads_depth << " ops over "
        << threads_.kinds.size() << " ops"
        << (max_preempt() > 0 ? " with <= " + std::to_string(options_.preemptions) + " preemptions"
                              : " at op granularity (no preemption points)");
    s << "; " << order_.size() << " counterexample(s); " << static_cast<uint64_t>(seconds_ + 0.5) << " s, "
      << static_cast<uint64_t>((programs_ + schedules_) / (seconds_ > 0 ? seconds_ : 1)) << " programs/s";
    return s.str();
  }

  void write_json(const std::string &statement) const {
    std::ofstream out(options_.json);
    out << "{\n  \"depth\": " << options_.depth << ",\n  \"programs\": " << programs_ + pruned_
        << ",\n  \"programs_run\": " << programs_ << ",\n  \"pruned\": " << pruned_
        << ",\n  \"threads_depth\": " << options_.threads_depth << ",\n  \"preemptions\": " << options_.preemptions
        << ",\n  \"preemption_points\": " << (max_preempt() > 0 ? "true" : "false")
        << ",\n  \"schedules\": " << schedules_ << ",\n  \"seconds\": " << seconds_
        << ",\n  \"programs_per_second\": " << static_cast<uint64_t>((programs_ + schedules_) / (seconds_ > 0 ? seconds_ : 1))
        << ",\n  \"profile\": " << json_string(profile_.name)
        << ",\n  \"ops\": " << json_string(kinds_text(sequential_))
        << ",\n  \"sizes\": " << json_string(sizes_text(sequential_.sizes))
        << ",\n  \"full_depth\": " << (sequential_.edges ? sequential_.full_depth : options_.depth)
        << ",\n  \"edge_sizes\": " << json_string(sizes_text(sequential_.edges ? sequential_.edges->sizes : sequential_.sizes))
        << ",\n  \"counts\": " << json_string(sizes_text(sequential_.counts))
        << ",\n  \"strdup_lengths\": " << json_string(sizes_text(sequential_.lengths))
        << ",\n  \"injected_failures\": " << (sequential_.inject_failures ? "true" : "false")
        << ",\n  \"thread_ops\": " << json_string(kinds_text(threads_))
        << ",\n  \"thread_sizes\": " << json_string(sizes_text(threads_.sizes))
        << ",\n  \"exhaustive\": " << (stopped_ ? "false" : "true") << ",\n  \"crashes\": " << crashes_
        << ",\n  \"statement\": " << json_string(statement) << ",\n  \"counterexamples\": [";
    bool first = true;
    for (const std::string &cause : order_) {
      const Counterexample &c = found_.at(cause);
      out << (first ? "\n" : ",\n") << "    {\"signature\": " << json_string(c.cause) << ", \"ops\": " << c.ops
          << ", \"phase\": " << json_string(c.phase) << ", \"count\": " << c.count
          << ", \"invariant\": " << json_string(c.invariant) << ", \"trace\": " << json_string(c.trace)
          << ", \"report\": " << json_string(c.report) << "}";
      first = false;
    }
    out << (first ? "" : "\n  ") << "]\n}\n";
  }

  Options options_;
  const Sut &sut_;
  const Profile &profile_;
  Alphabet sequential_, threads_;
  Shared *shared_;
  std::string log_path_;
  std::unordered_set<std::string> settled_;
  std::map<std::string, Counterexample> found_;
  std::vector<std::string> order_;
  uint64_t programs_ = 0, pruned_ = 0, schedules_ = 0;
  int crashes_ = 0;
  bool stopped_ = false;
  std::string stopped_at_;
  std::vector<uint64_t> per_length_;
  double seconds_ = 0;
};

int replay(const std::string &path) {
  std::string text = read_all(path);
  if (text.empty()) {
    std::fprintf(stderr, "zmcheck-prove: cannot read %s\n", path.c_str());
    return 2;
  }
  Program program;
  std::string dialect, error;
  if (!parse_trace(text, &program, &dialect, &error)) {
    std::fprintf(stderr, "zmcheck-prove: %s: %s\n", path.c_str(), error.c_str());
    return 2;
  }
  for (const Op &op : program)
    if (!runnable(op.kind)) {
      std::fprintf(stderr, "zmcheck-prove: %s: %s is not run here: %s\n", path.c_str(), info(op.kind).name,
                   left_out_because(op.kind).c_str());
      return 2;
    }
  bool threaded = dialect == "threads";
  RunOptions run;
  run.on_failure = OnCheckFailure::throw_exception;
  run.echo = true;
  run.replay_hint = "zmcheck-prove --run " + path;
  try {
    run_case(program, threaded, sut(), built_in_profile(), run);
  } catch (const CheckFailure &failure) {
    std::fputs(failure.what(), stdout);
    return 1;
  }
  std::printf("zmcheck-prove: %s ran clean (%d ops)\n", path.c_str(), witness_length(program));
  return 0;
}

bool number_arg(const char *text, int *out) {
  char *end = nullptr;
  long v = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || v < 0 || v > 16) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if ((a == "--depth" || a == "--threads-depth" || a == "--preemptions" || a == "--full-depth") && has_value) {
      int *target = a == "--depth"           ? &o.depth
                    : a == "--threads-depth" ? &o.threads_depth
                    : a == "--full-depth"    ? &o.full_depth
                                             : &o.preemptions;
      if (!number_arg(argv[++i], target)) {
        std::fprintf(stderr, "zmcheck-prove: %s takes a number from 0 to 16\n%s", a.c_str(), kUsage);
        return 2;
      }
    } else if (a == "--json" && has_value) {
      o.json = argv[++i];
    } else if (a == "--run" && has_value) {
      o.run = argv[++i];
    } else if (a == "--count") {
      o.count = true;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    }
  }
  if (o.threads_depth > 7) {
    std::fprintf(stderr, "zmcheck-prove: --threads-depth is at most 7\n");
    return 2;
  }
  if (!o.run.empty()) return replay(o.run);
  Prover prover(o);
  if (o.count) {
    uint64_t total = 0;
    for (int length = 1; length <= o.depth; length++) {
      uint64_t n = prover.count_sequential(length);
      total += n;
      std::printf("length %d: %llu programs\n", length, static_cast<unsigned long long>(n));
    }
    std::printf("sequential: %llu programs; threads: %llu schedules\n", static_cast<unsigned long long>(total),
                static_cast<unsigned long long>(prover.count_threaded()));
    return 0;
  }
  return prover.prove();
}
