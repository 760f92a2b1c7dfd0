// zmcheck-trace: fuzz inputs and readable traces, both ways.
//
//   zmcheck-trace TARGET FILE...               print each input as a trace
//   zmcheck-trace TARGET --encode TRACE OUT    write the input that TRACE describes
//   zmcheck-trace TARGET --dict                a libFuzzer dictionary for TARGET
//   zmcheck-trace TARGET --ops FILE...         which ops the inputs reach, and which none do
//   zmcheck-trace --sut                        what the allocator under test has, as JSON:
//                                              its functions, the ops left out, threads
//
// TARGET is an op-language fuzz target (fuzz_ops_model) or its dialect (ops). The tool is
// linked with the same allocator as the targets. The bytes mean the same ops in every
// build; an op this build cannot run is printed with "# skipped: <why>" after it.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "profile.h"
#include "program.h"
#include "sut.h"
#include "thread_crew.h"

namespace {

using namespace zmcheck;

std::vector<uint8_t> read_file(const char *path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "zmcheck-trace: cannot read %s\n", path);
    std::exit(2);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const Dialect *dialect_of(std::string target) {
  if (target.rfind("fuzz_", 0) == 0) target = target.substr(5, target.find('_', 5) - 5);
  return find_dialect(target);
}

int usage() {
  std::fprintf(stderr,
               "usage: zmcheck-trace TARGET FILE...\n"
               "       zmcheck-trace TARGET --encode TRACE OUT\n"
               "       zmcheck-trace TARGET --dict\n"
               "       zmcheck-trace TARGET --ops FILE...\n"
               "       zmcheck-trace --sut\n");
  return 2;
}

// A JSON string literal of text.
std::string json(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// What the system under test of this build has, for ci/zmcheck's reports: its
// functions, those whose type differs from zmalloc.h's, the ops the harness leaves out
// and why, how threads are run.
int print_sut() {
  const Sut &z = sut();
  const Profile &profile = built_in_profile();
  std::printf("{\n  \"profile\": %s,\n  \"accounting\": \"%s\",\n  \"functions\": {", json(profile.name).c_str(),
              profile.accounting == Profile::Accounting::prefix ? "prefix" : "usable");
  const char *sep = "";
#define ZMCHECK_PRINT(ret, name, params)                                          \
  std::printf("%s\n    \"%s\": %s", sep, #name, z.name != nullptr ? "true" : "false"); \
  sep = ",";
  ZMCHECK_SUT_API(ZMCHECK_PRINT)
#undef ZMCHECK_PRINT
  std::printf("\n  },\n  \"unbound\": {");
  sep = "";
  for (const Sut::Unbound &u : z.unbound) {
    std::string ours = zmalloc_h_signature(u.function);
    std::printf("%s\n    %s: {\"theirs\": %s, \"zmalloc.h\": %s}", sep, json(u.function).c_str(), json(u.theirs).c_str(),
                json(ours).c_str());
    sep = ",";
  }
  std::printf("\n  },\n  \"macros\": [");
  sep = "";
  for (const char *m : z.macros) {
    std::printf("%s%s", sep, json(m).c_str());
    sep = ", ";
  }
  std::printf("],\n  \"aliases\": {");
  sep = "";
  for (const auto &[name, real] : z.aliases) {
    std::printf("%s%s: %s", sep, json(name).c_str(), json(real).c_str());
    sep = ", ";
  }
  std::printf("},\n  \"size_from_backend\": %s,\n  \"preemptible\": %s,\n  \"threads\": %s,\n  \"left_out\": {",
              z.size_from_backend ? "true" : "false", z.preemptible() ? "true" : "false",
              json(how_threads_are_kept(z)).c_str());
  sep = "";
  for (int k = 0; k < kOpKinds; k++) {
    auto kind = static_cast<OpKind>(k);
    if (runnable(kind)) continue;
    std::printf("%s\n    \"%s\": %s", sep, info(kind).name, json(left_out_because(kind)).c_str());
    sep = ",";
  }
  const char *huge = profile.huge == Profile::Huge::skip      ? "skipped (profile: huge = skip)"
                     : profile.huge == Profile::Huge::backend ? "passed to the backend, which refuses them"
                                                              : "checked";
  std::printf("\n  },\n  \"huge_sizes\": \"%s\",\n  \"oom\": \"%s\",\n  \"thread_safety\": \"%s\",\n"
              "  \"racy_counter_reads\": %s,\n  \"reads_may_wrap\": %s\n}\n",
              huge, profile.oom_fatal ? "fatal" : "returns", profile.thread_safe_after_enable ? "after_enable" : "always",
              profile.racy_counter_reads ? "true" : "false", profile.reads_may_wrap ? "true" : "false");
  return 0;
}

// A dictionary entry: the bytes of one op, with a quoted libFuzzer escape.
std::string dict_entry(const std::vector<uint8_t> &bytes) {
  std::string out = "\"";
  for (uint8_t b : bytes) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02x", b);
    out += hex;
  }
  return out + "\"";
}

int print_dict(const Codec &codec) {
  std::printf("# zmcheck: one entry per op kind and edge size of dialect %s\n", codec.dialect().name);
  for (int k = 0; k < kOpKinds; k++) {
    Op op;
    op.kind = static_cast<OpKind>(k);
    if (op.kind == OpKind::spawn || op.kind == OpKind::exit) op.thread = 1;
    if (op.kind == OpKind::fail_next || op.kind == OpKind::fail_nth) op.k = 1;
    std::vector<uint8_t> bytes;
    std::string error;
    Program program{op};
    if (!runnable(op.kind) || !codec.encode(program, &bytes, &error)) continue;
    std::printf("op_%s=%s\n", info(op.kind).name, dict_entry(bytes).c_str());
    if (!codec.dialect().threaded || op.kind == OpKind::spawn || op.kind == OpKind::exit) continue;
    // The same op on a spawned thread, parked at its 1st, 2nd or 3rd preemption point.
    Program spawned{Op{.kind = OpKind::spawn, .thread = 1}};
    for (int preempt = 1; preempt <= kMaxPreempt; preempt++) {
      Op parked = op;
      parked.thread = 1;
      parked.preempt = static_cast<uint8_t>(preempt);
      std::vector<uint8_t> prefix, both;
      if (!codec.encode(spawned, &prefix, &error)) break;
      spawned.push_back(parked);
      if (!codec.encode(spawned, &both, &error)) break;
      spawned.pop_back();
      std::printf("op_%s_parked_%d=%s\n", info(op.kind).name, preempt,
                  dict_entry({both.begin() + static_cast<long>(prefix.size()), both.end()}).c_str());
    }
  }
  int i = 0;
  for (uint64_t n : edge_sizes()) {
    if (n < 64 && n != 0 && n != 1 && n != 8 && n != 9 && n != 24) continue;
    Op op;
    op.kind = OpKind::malloc;
    op.size = n;
    std::vector<uint8_t> bytes;
    std::string error;
    if (codec.encode(Program{op}, &bytes, &error))
      std::printf("# %s\nsize_%d=%s\n", size_text(n).c_str(), i++, dict_entry({bytes.end() - 1, bytes.end()}).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 2 && std::strcmp(argv[1], "--sut") == 0) return print_sut();
  if (argc < 3) return usage();
  const Dialect *dialect = dialect_of(argv[1]);
  if (dialect == nullptr) {
    std::fprintf(stderr, "zmcheck-trace: %s is not an op-language target (nor a dialect)\n", argv[1]);
    return 2;
  }
  Codec codec(*dialect);
  std::string mode = argv[2];
  if (mode == "--dict") return print_dict(codec);
  if (mode == "--encode") {
    if (argc != 5) return usage();
    std::vector<uint8_t> text = read_file(argv[3]);
    Program program;
    std::string name, error;
    if (!parse_trace({reinterpret_cast<const char *>(text.data()), text.size()}, &program, &name, &error)) {
      std::fprintf(stderr, "zmcheck-trace: %s: %s\n", argv[3], error.c_str());
      return 1;
    }
    if (!name.empty() && name != dialect->name) {
      std::fprintf(stderr, "zmcheck-trace: %s is a trace of dialect %s, not %s\n", argv[3], name.c_str(), dialect->name);
      return 1;
    }
    std::vector<uint8_t> bytes;
    if (!codec.encode(program, &bytes, &error)) {
      std::fprintf(stderr, "zmcheck-trace: %s: %s\n", argv[3], error.c_str());
      return 1;
    }
    for (size_t i = 0; i < program.size(); i++)
      if (!runnable(program[i].kind))
        std::fprintf(stderr, "zmcheck-trace: op %zu, %s, is skipped by this build: %s\n", i,
                     op_text(program[i], dialect->threaded).c_str(), left_out_because(program[i].kind).c_str());
    std::ofstream out(argv[4], std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    std::fprintf(stderr, "zmcheck-trace: %zu ops -> %zu bytes in %s\n", program.size(), bytes.size(), argv[4]);
    return out ? 0 : 1;
  }
  bool ops_mode = mode == "--ops";
  std::set<OpKind> reached;
  for (int i = ops_mode ? 3 : 2; i < argc; i++) {
    std::vector<uint8_t> bytes = read_file(argv[i]);
    Program program = codec.decode(bytes);
    if (ops_mode) {
      for (const Op &op : program) reached.insert(op.kind);
      continue;
    }
    if (argc > 3) std::printf("# %s\n", argv[i]);
    std::fputs(trace_text(program, *dialect, left_out_because).c_str(), stdout);
  }
  if (ops_mode) {
    int missing = 0;
    for (int k = 0; k < kOpKinds; k++) {
      auto kind = static_cast<OpKind>(k);
      if (dialect->weight[k] == 0 || !runnable(kind)) continue;
      bool hit = reached.count(kind) != 0;
      missing += !hit;
      std::printf("%-20s %s\n", info(kind).name, hit ? "reached" : "NOT REACHED");
    }
    return missing == 0 ? 0 : 1;
  }
  return 0;
}
