#pragma once

// What the benchmark reads about the server process from /proc: resident memory (VmRSS in
// /proc/<pid>/status) and CPU time consumed so far (utime + stime in /proc/<pid>/stat). The
// parsers are separate from the file reads so that they can be tested on fixed text.
// Thread-safe (no state).

#include <cstdint>
#include <string_view>
#include <sys/types.h>

#include "core/result.h"

namespace fg::bench {

// The VmRSS line of a /proc/<pid>/status text, in KiB. kCorrupt if the line is missing or
// malformed.
Result<uint64_t> ParseVmRssKib(std::string_view status_text);

// utime + stime (fields 14 and 15) of a /proc/<pid>/stat text, in clock ticks. The command
// name (field 2) may contain spaces and parentheses, so fields are counted after its last ')'.
// kCorrupt if the text is malformed.
Result<uint64_t> ParseCpuTicks(std::string_view stat_text);

// Reads and parses /proc/<pid>/status. kNotFound if the process does not exist (any more).
Result<uint64_t> ReadVmRssKib(pid_t pid);

// Reads /proc/<pid>/stat and converts the ticks to milliseconds of CPU time.
Result<double> ReadCpuMillis(pid_t pid);

}  // namespace fg::bench
