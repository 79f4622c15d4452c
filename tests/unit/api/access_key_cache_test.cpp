#include "api/access_key_cache.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/clock.h"

namespace fg::api {
namespace {

using std::chrono::milliseconds;

// A source over a mutable key table that counts its calls: the real store's contract
// (kNotFound for unknown keys) without the store.
class CountingSource {
 public:
  AccessKeyLookup Lookup() {
    return [this](std::string_view id) -> Result<AccessKeySecret> {
      ++calls;
      if (unavailable) {
        return Fail(ErrorCode::kUnavailable, "store busy");
      }
      auto it = keys.find(std::string(id));
      if (it == keys.end()) {
        return Fail(ErrorCode::kNotFound, "unknown access key");
      }
      return it->second;
    };
  }

  std::map<std::string, AccessKeySecret> keys{{"AKIA1", {"111111111111", "secret-1"}}};
  bool unavailable = false;
  int calls = 0;
};

class AccessKeyCacheTest : public ::testing::Test {
 protected:
  ManualClock clock_{FromEpochSeconds(1795313384)};
  CountingSource source_;
  AccessKeyCache cache_{source_.Lookup(), clock_, milliseconds(60'000), 3};
};

TEST_F(AccessKeyCacheTest, FoundKeyIsServedFromTheMemo) {
  for (int i = 0; i < 5; ++i) {
    auto key = cache_.Lookup("AKIA1");
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->account_id, "111111111111");
    EXPECT_EQ(key->secret, "secret-1");
  }
  EXPECT_EQ(source_.calls, 1);
}

TEST_F(AccessKeyCacheTest, UnknownKeysAndErrorsAreNeverKept) {
  EXPECT_EQ(cache_.Lookup("AKIA2").error().code, ErrorCode::kNotFound);
  // Added by another process (fleetguard account create): accepted on the next request.
  source_.keys["AKIA2"] = {"222222222222", "secret-2"};
  EXPECT_EQ(cache_.Lookup("AKIA2").value().secret, "secret-2");
  source_.unavailable = true;
  EXPECT_EQ(cache_.Lookup("AKIA3").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(cache_.Lookup("AKIA3").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(source_.calls, 4);
}

TEST_F(AccessKeyCacheTest, EntriesExpireAfterMaxAge) {
  ASSERT_TRUE(cache_.Lookup("AKIA1").has_value());
  clock_.Advance(milliseconds(59'999));
  ASSERT_TRUE(cache_.Lookup("AKIA1").has_value());
  EXPECT_EQ(source_.calls, 1);
  // Disabled by another process: refused once the entry is stale.
  source_.keys.erase("AKIA1");
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(cache_.Lookup("AKIA1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(source_.calls, 2);
}

TEST_F(AccessKeyCacheTest, ClockGoingBackwardsMakesEntriesStale) {
  clock_.Advance(milliseconds(10'000));
  ASSERT_TRUE(cache_.Lookup("AKIA1").has_value());
  clock_.Advance(milliseconds(-1));
  ASSERT_TRUE(cache_.Lookup("AKIA1").has_value());
  EXPECT_EQ(source_.calls, 2);
}

TEST_F(AccessKeyCacheTest, InvalidateForgetsEveryKey) {
  ASSERT_TRUE(cache_.Lookup("AKIA1").has_value());
  source_.keys["AKIA1"].secret = "rotated";
  cache_.Invalidate();
  EXPECT_EQ(cache_.Lookup("AKIA1").value().secret, "rotated");
  EXPECT_EQ(source_.calls, 2);
}

TEST_F(AccessKeyCacheTest, FullMemoStartsOver) {
  for (const char* id : {"K1", "K2", "K3", "K4"}) {
    source_.keys[id] = {"333333333333", id};
    ASSERT_TRUE(cache_.Lookup(id).has_value());
  }
  EXPECT_EQ(source_.calls, 4);
  // K4 arrived when the memo held 3 (its capacity), so only K4 is kept.
  ASSERT_TRUE(cache_.Lookup("K4").has_value());
  EXPECT_EQ(source_.calls, 4);
  ASSERT_TRUE(cache_.Lookup("K1").has_value());
  EXPECT_EQ(source_.calls, 5);
}

TEST_F(AccessKeyCacheTest, AsLookupGoesThroughTheMemo) {
  AccessKeyLookup lookup = cache_.AsLookup();
  ASSERT_TRUE(lookup("AKIA1").has_value());
  ASSERT_TRUE(lookup("AKIA1").has_value());
  EXPECT_EQ(source_.calls, 1);
}

}  // namespace
}  // namespace fg::api
