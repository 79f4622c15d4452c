#include "proc_stats.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace fg::bench {
namespace {

Result<std::string> ReadProcFile(pid_t pid, const char* name) {
  const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  std::ifstream in(path);
  if (!in) {
    return Fail(ErrorCode::kNotFound, "cannot read " + path + " (is the process running?)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ParseUnsigned(std::string_view text, uint64_t& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<uint64_t> ParseVmRssKib(std::string_view status_text) {
  constexpr std::string_view kKey = "VmRSS:";
  size_t line_start = 0;
  while (line_start < status_text.size()) {
    size_t line_end = status_text.find('\n', line_start);
    if (line_end == std::string_view::npos) {
      line_end = status_text.size();
    }
    std::string_view line = status_text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!line.starts_with(kKey)) {
      continue;
    }
    std::string_view value = TrimSpaces(line.substr(kKey.size()));
    if (!value.ends_with(" kB")) {
      return Fail(ErrorCode::kCorrupt, "VmRSS line without a kB unit: " + std::string(line));
    }
    value = TrimSpaces(value.substr(0, value.size() - 3));
    uint64_t kib = 0;
    if (!ParseUnsigned(value, kib)) {
      return Fail(ErrorCode::kCorrupt, "VmRSS value is not a number: " + std::string(line));
    }
    return kib;
  }
  return Fail(ErrorCode::kCorrupt, "no VmRSS line (a kernel thread or a zombie?)");
}

Result<uint64_t> ParseCpuTicks(std::string_view stat_text) {
  const size_t paren = stat_text.rfind(')');
  if (paren == std::string_view::npos) {
    return Fail(ErrorCode::kCorrupt, "stat text without the command name's ')'");
  }
  // After ") " come field 3 (state) onwards; utime and stime are fields 14 and 15.
  std::string_view rest = stat_text.substr(paren + 1);
  uint64_t ticks = 0;
  int field = 2;
  size_t pos = 0;
  while (field < 15) {
    while (pos < rest.size() && rest[pos] == ' ') {
      ++pos;
    }
    if (pos >= rest.size()) {
      return Fail(ErrorCode::kCorrupt, "stat text ends before field 15");
    }
    size_t end = rest.find_first_of(" \n", pos);
    if (end == std::string_view::npos) {
      end = rest.size();
    }
    ++field;
    if (field == 14 || field == 15) {
      uint64_t value = 0;
      if (!ParseUnsigned(rest.substr(pos, end - pos), value)) {
        return Fail(ErrorCode::kCorrupt,
                    "stat field " + std::to_string(field) + " is not a number");
      }
      ticks += value;
    }
    pos = end;
  }
  return ticks;
}

Result<uint64_t> ReadVmRssKib(pid_t pid) {
  auto text = ReadProcFile(pid, "status");
  if (!text) {
    return Fail(text.error());
  }
  return ParseVmRssKib(*text);
}

Result<double> ReadCpuMillis(pid_t pid) {
  auto text = ReadProcFile(pid, "stat");
  if (!text) {
    return Fail(text.error());
  }
  auto ticks = ParseCpuTicks(*text);
  if (!ticks) {
    return Fail(ticks.error());
  }
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (ticks_per_second <= 0) {
    return Fail(ErrorCode::kInternal, "sysconf(_SC_CLK_TCK) failed");
  }
  return static_cast<double>(*ticks) * 1000.0 / static_cast<double>(ticks_per_second);
}

}  // namespace fg::bench
