#pragma once

// Optional times as nullable epoch-millisecond columns, for the audit row files.

#include <cstdint>
#include <optional>

#include "core/clock.h"
#include "store/sqlite/sqlite_statement.h"

namespace fg::store {

inline std::optional<int64_t> OptionalMillis(const std::optional<TimePoint>& t) {
  if (!t) {
    return std::nullopt;
  }
  return ToEpochMillis(*t);
}

inline std::optional<TimePoint> OptionalTimeColumn(const Statement& s, int column) {
  auto v = s.OptionalInt(column);
  if (!v) {
    return std::nullopt;
  }
  return FromEpochMillis(*v);
}

}  // namespace fg::store
