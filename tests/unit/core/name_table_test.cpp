#include "core/name_table.h"

#include <string>

#include <gtest/gtest.h>

namespace fg {
namespace {

enum class Color { kRed, kBlue, kGreen };

// kGreen is deliberately missing, as a value cast from an integer would be.
constexpr NameTable<Color, 2> kColorNames{"color",
                                          {{{Color::kRed, "RED"}, {Color::kBlue, "BLUE"}}}};

TEST(NameTableTest, NamesAndParsesEveryRow) {
  for (Color c : {Color::kRed, Color::kBlue}) {
    EXPECT_EQ(kColorNames.Parse(kColorNames.Name(c)).value(), c);
  }
  static_assert(kColorNames.Name(Color::kBlue) == "BLUE");
}

TEST(NameTableTest, ValueOutsideTheTableIsUnknown) {
  EXPECT_EQ(kColorNames.Name(Color::kGreen), "UNKNOWN");
}

TEST(NameTableTest, RefusesEveryOtherName) {
  struct Case {
    std::string input;
    std::string message;
  };
  const Case cases[] = {
      {"red", "invalid color 'red'"},
      {"", "invalid color ''"},
      {"RED ", "invalid color 'RED '"},
      {"UNKNOWN", "invalid color 'UNKNOWN'"},
      {std::string(5000, 'x'), "invalid color '" + std::string(64, 'x') + "'"},
  };
  for (const Case& c : cases) {
    auto r = kColorNames.Parse(c.input);
    ASSERT_FALSE(r.has_value()) << c.input;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, c.message);
  }
}

}  // namespace
}  // namespace fg
