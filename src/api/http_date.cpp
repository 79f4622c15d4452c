#include "api/http_date.h"

#include <array>
#include <chrono>
#include <cstdio>

namespace fg::api {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Digits at s[pos, pos+n) as a number, or -1.
int Digits(std::string_view s, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return -1;
    }
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

std::string FormatHttpDate(TimePoint t) {
  auto day_point = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day_point);
  std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day_point));
  std::chrono::weekday wd(day_point);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[wd.c_encoding()].data(), static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1].data(),
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> ParseHttpDate(std::string_view s) {
  // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 characters.
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  int day = Digits(s, 5, 2);
  int year = Digits(s, 12, 4);
  int hour = Digits(s, 17, 2);
  int minute = Digits(s, 20, 2);
  int second = Digits(s, 23, 2);
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == s.substr(8, 3)) {
      month = i + 1;
    }
  }
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || month == 0 || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  std::chrono::sys_days days(ymd);
  if (kDays[std::chrono::weekday(days).c_encoding()] != s.substr(0, 3)) {
    return std::nullopt;
  }
  auto t =
      days + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

}  // namespace fg::api
