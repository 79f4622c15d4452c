#include "core/time_format.h"

#include <charconv>
#include <cstdio>
#include <limits>

namespace fg {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

struct Civil {
  int year, month, day, hour, minute, second, millis;
};

Civil ToCivil(TimePoint t) {
  auto day_point = std::chrono::floor<days>(t);
  year_month_day ymd{day_point};
  auto in_day = std::chrono::duration_cast<milliseconds>(t - day_point).count();
  return Civil{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day())),
               static_cast<int>(in_day / 3600000), static_cast<int>(in_day / 60000 % 60),
               static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000)};
}

// Reads exactly `n` digits at s[pos...]; advances pos.
std::optional<int> Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) {
    return std::nullopt;
  }
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<TimePoint> FromCivil(int y, int mo, int d, int h, int mi, int sec, int ms) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                     std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  auto tp = sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
            std::chrono::seconds{sec} + milliseconds{ms};
  return std::chrono::time_point_cast<milliseconds>(tp);
}

}  // namespace

std::string FormatIso8601(TimePoint t) {
  Civil c = ToCivil(t);
  char buf[40];
  if (c.millis != 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second, c.millis);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
                  c.hour, c.minute, c.second);
  }
  return buf;
}

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  size_t pos = 0;
  auto y = Digits(s, pos, 4);
  if (!y || !Expect(s, pos, '-')) return std::nullopt;
  auto mo = Digits(s, pos, 2);
  if (!mo || !Expect(s, pos, '-')) return std::nullopt;
  auto d = Digits(s, pos, 2);
  if (!d || !Expect(s, pos, 'T')) return std::nullopt;
  auto h = Digits(s, pos, 2);
  if (!h || !Expect(s, pos, ':')) return std::nullopt;
  auto mi = Digits(s, pos, 2);
  if (!mi || !Expect(s, pos, ':')) return std::nullopt;
  auto sec = Digits(s, pos, 2);
  if (!sec) return std::nullopt;
  int ms = 0;
  if (Expect(s, pos, '.')) {
    size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  if (!Expect(s, pos, 'Z') || pos != s.size()) return std::nullopt;
  return FromCivil(*y, *mo, *d, *h, *mi, *sec, ms);
}

std::string FormatAmzDate(TimePoint t) {
  Civil c = ToCivil(t);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::optional<TimePoint> ParseAmzDate(std::string_view s) {
  size_t pos = 0;
  auto y = Digits(s, pos, 4);
  auto mo = y ? Digits(s, pos, 2) : std::nullopt;
  auto d = mo ? Digits(s, pos, 2) : std::nullopt;
  if (!d || !Expect(s, pos, 'T')) return std::nullopt;
  auto h = Digits(s, pos, 2);
  auto mi = h ? Digits(s, pos, 2) : std::nullopt;
  auto sec = mi ? Digits(s, pos, 2) : std::nullopt;
  if (!sec || !Expect(s, pos, 'Z') || pos != s.size()) return std::nullopt;
  return FromCivil(*y, *mo, *d, *h, *mi, *sec, 0);
}

std::string FormatAmzDay(TimePoint t) { return FormatAmzDate(t).substr(0, 8); }

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t unit_ms = 1000;
  char last = s.back();
  std::string_view number = s;
  if (last < '0' || last > '9') {
    number = s.substr(0, s.size() - 1);
    switch (last) {
      case 's': unit_ms = 1000; break;
      case 'm': unit_ms = 60'000; break;
      case 'h': unit_ms = 3'600'000; break;
      case 'd': unit_ms = 86'400'000; break;
      default: return std::nullopt;
    }
  }
  if (number.empty()) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || ptr != number.data() + number.size() || value < 0) {
    return std::nullopt;
  }
  if (value > std::numeric_limits<int64_t>::max() / unit_ms) return std::nullopt;
  return std::chrono::milliseconds(value * unit_ms);
}

}  // namespace fg
