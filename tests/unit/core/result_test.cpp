#include "core/result.h"

#include <gtest/gtest.h>

namespace fg {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "odd");
  }
  return v / 2;
}

TEST(ResultTest, CarriesValueOrTypedError) {
  EXPECT_EQ(*Half(8), 4);
  auto r = Half(3);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().ToString(), "InvalidArgument: odd");
}

TEST(ResultTest, ChainsWithAndThen) {
  auto r = Half(8).and_then(Half).and_then(Half);
  EXPECT_EQ(*r, 1);
  EXPECT_FALSE(Half(8).and_then(Half).and_then(Half).and_then(Half).has_value());
}

}  // namespace
}  // namespace fg
