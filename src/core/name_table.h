#pragma once

// A fixed table between an enumeration and its wire names (the AWS model's enum strings), so
// that ToString and Parse for one enum read the same rows and cannot disagree.
//
//   constexpr NameTable<Color, 2> kColorNames{"color", {{{Color::kRed, "RED"},
//                                                        {Color::kBlue, "BLUE"}}}};
//   kColorNames.Name(Color::kRed)  -> "RED"
//   kColorNames.Parse("BLUE")      -> Color::kBlue
//   kColorNames.Parse("blue")      -> kInvalidArgument "invalid color 'blue'"
//
// Names match exactly (case-sensitive, as AWS does). Immutable; safe from any thread.

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace fg {

// The error for a name no table row has: kInvalidArgument "invalid <what> '<name>'", echoing at
// most the first 64 bytes of `name` (it is untrusted input).
Error UnknownNameError(std::string_view what, std::string_view name);

template <typename E, size_t N>
class NameTable {
 public:
  using Row = std::pair<E, std::string_view>;

  // `what` names the value in Parse's error ("certificate status", "taskStatus").
  constexpr NameTable(std::string_view what, std::array<Row, N> rows) : what_(what), rows_(rows) {}

  // The wire name of `value`; "UNKNOWN" for a value outside the table (a cast integer).
  constexpr std::string_view Name(E value) const {
    for (const auto& [v, name] : rows_) {
      if (v == value) {
        return name;
      }
    }
    return "UNKNOWN";
  }

  // The value named exactly `name`; UnknownNameError(what, name) otherwise.
  Result<E> Parse(std::string_view name) const {
    for (const auto& [v, n] : rows_) {
      if (n == name) {
        return v;
      }
    }
    return Fail(UnknownNameError(what_, name));
  }

 private:
  std::string_view what_;
  std::array<Row, N> rows_;
};

}  // namespace fg
