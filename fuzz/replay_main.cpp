// Corpus replay for builds without libFuzzer (GCC, the ordinary ctest run): feeds every file
// named on the command line, or found directly inside a directory named there, to the target's
// LLVMFuzzerTestOneInput, in name order. Envoy's "corpus as regression test": a crash or a
// failed invariant aborts the process, so the ctest fails.
//
// Exit status: 0 when at least one input ran, 1 when nothing could be read (an empty or missing
// corpus must not pass silently).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  // A null pointer for the empty input, as libFuzzer passes it, so targets handle that case too.
  const auto* data = bytes.empty() ? nullptr : reinterpret_cast<const std::uint8_t*>(bytes.data());
  LLVMFuzzerTestOneInput(data, bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t ran = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (!std::filesystem::is_directory(arg, ec)) {
      if (RunFile(arg)) {
        ++ran;
      }
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (RunFile(file)) {
        ++ran;
      }
    }
  }
  std::printf("replay: %zu inputs ran without a crash\n", ran);
  return ran > 0 ? 0 : 1;
}
