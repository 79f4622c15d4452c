#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace fg {

// "2024-01-01T00:00:00Z" (UTC, second precision; milliseconds appended when non-zero).
std::string FormatIso8601(TimePoint t);

// Parses ISO 8601 UTC as AWS clients send it: "2024-01-01T00:00:00Z", with an optional
// fraction of any length (".5", ".500", ".500000"). Only the 'Z' zone is accepted.
std::optional<TimePoint> ParseIso8601(std::string_view s);

// SigV4 "basic" format: "20261122T020944Z".
std::string FormatAmzDate(TimePoint t);
std::optional<TimePoint> ParseAmzDate(std::string_view s);

// "20261122", the date part of a SigV4 credential scope.
std::string FormatAmzDay(TimePoint t);

// Durations as the configuration and CLI take them: "0s", "90s", "15m", "2h", "1d", or a
// plain number of seconds. nullopt on anything else, including negatives and overflow.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s);

// Epoch seconds with millisecond fraction, as AWS rest-json timestamps are (1541022751.983).
inline double ToEpochSecondsDouble(TimePoint t) {
  return static_cast<double>(ToEpochMillis(t)) / 1000.0;
}

}  // namespace fg
