// The main of a fuzz target built without libFuzzer (gcc, or clang without ZM_FUZZ):
// runs the target once on each input file named (a directory: on each file in it), in
// order. A broken invariant aborts as it would under libFuzzer. -max_len=N cuts longer
// inputs to their first N bytes, as libFuzzer does; other flags (-runs=..., etc.) are
// accepted and ignored, so the same command line works in both builds.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" {
const char *zmcheck_replay_binary = nullptr;
const char *zmcheck_replay_input = nullptr;
}

namespace {

std::vector<std::string> inputs_in(const std::string &path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) return {path};
  std::vector<std::string> files;
  if (DIR *dir = opendir(path.c_str())) {
    while (dirent *entry = readdir(dir))
      if (entry->d_name[0] != '.') files.push_back(path + "/" + entry->d_name);
    closedir(dir);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  zmcheck_replay_binary = argv[0];
  size_t runs = 0;
  size_t max_len = 0;
  for (int i = 1; i < argc; i++)
    if (std::strncmp(argv[i], "-max_len=", 9) == 0) max_len = std::strtoull(argv[i] + 9, nullptr, 10);
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') continue;
    for (const std::string &file : inputs_in(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        std::exit(2);
      }
      std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      zmcheck_replay_input = file.c_str();
      if (max_len != 0 && data.size() > max_len) {
        std::fprintf(stderr, "replay: %s is %zu bytes, more than the target reads (-max_len=%zu): its first %zu\n",
                     file.c_str(), data.size(), max_len, max_len);
        data.resize(max_len);
      }
      std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), data.size());
      LLVMFuzzerTestOneInput(data.data(), data.size());
      runs++;
    }
  }
  std::fprintf(stderr, "replay: %zu inputs ran, no invariant broken\n", runs);
  return 0;
}
