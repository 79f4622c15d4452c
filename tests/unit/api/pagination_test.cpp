#include "api/pagination.h"

#include <string>

#include <gtest/gtest.h>

#include "api/base64.h"
#include "api/validation.h"

namespace fg::api {
namespace {

const std::string kScope = "123456789012/ListCertificates/asc";

TEST(PaginationTest, RoundTripsAndFitsTheMarkerPattern) {
  PageTokenCodec codec = PageTokenCodec::WithRandomKey();
  for (std::string cursor :
       {std::string(), std::string("abc"), std::string(64, 'f'), std::string("\x00\xff/+=", 5),
        std::string(PageTokenCodec::kMaxCursorBytes, 'z')}) {
    std::string token = codec.Encode(kScope, cursor);
    EXPECT_TRUE(Validate(Shape::kMarker, "marker", token)) << token;
    auto decoded = codec.Decode(kScope, token, "marker");
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, cursor);
  }
}

struct ForgeCase {
  std::string name;
  std::string token;  // "" means: derived in the test
};

TEST(PaginationTest, ForgedOrForeignTokensAreInvalidRequest) {
  PageTokenCodec codec(std::string(32, 'k'));
  PageTokenCodec other_key(std::string(32, 'o'));
  std::string good = codec.Encode(kScope, "cursor-1");
  std::string raw = *Base64Decode(good);
  std::string flipped = raw;
  flipped[3] = static_cast<char>(flipped[3] ^ 1);
  std::string wrong_version = raw;
  wrong_version[0] = '\x02';

  const std::string cases[] = {
      "",
      "not base64!",
      "QUJD",                                                          // valid base64, too short
      Base64Encode(flipped),                                           // cursor altered
      Base64Encode(wrong_version),                                     // unknown version
      Base64Encode(raw.substr(0, raw.size() - 1)),                     // MAC truncated
      good + "A",                                                      // trailing garbage
      other_key.Encode(kScope, "cursor-1"),                            // another process's key
      codec.Encode("999999999999/ListCertificates/asc", "cursor-1"),   // another account
      codec.Encode("123456789012/ListCertificates/desc", "cursor-1"),  // another listing
      std::string(2000, 'A'),
  };
  for (const std::string& token : cases) {
    auto decoded = codec.Decode(kScope, token, "marker");
    ASSERT_FALSE(decoded) << token;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(decoded.error().message.find("marker"), std::string::npos);
  }
  EXPECT_TRUE(codec.Decode(kScope, good, "marker"));
}

TEST(PaginationTest, ScopeAndCursorCannotBeShifted) {
  PageTokenCodec codec(std::string(32, 'k'));
  std::string token = codec.Encode("ab", "c");
  EXPECT_FALSE(codec.Decode("a", token, "nextToken"));
}

TEST(PaginationTest, PageSizeDefaultsAndLimits) {
  EXPECT_EQ(*ResolvePageSize("pageSize", std::nullopt), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize("pageSize", 250), 250);
  EXPECT_FALSE(ResolvePageSize("pageSize", 0));
  EXPECT_FALSE(ResolvePageSize("maxResults", 251));
}

// A restarted server builds a new codec from the same secret.key: it must accept the tokens the
// old process issued, and another installation (another secret) must not.
TEST(PageTokenCodecTest, InstallationSecretKeyAcceptsAcrossCodecs) {
  const std::string secret(32, 's');
  const PageTokenCodec before_restart = PageTokenCodec::FromInstallationSecret(secret);
  const PageTokenCodec after_restart = PageTokenCodec::FromInstallationSecret(secret);
  const std::string scope = "123456789012/ListThings";
  const std::string token = before_restart.Encode(scope, "thing-0042");
  EXPECT_EQ(after_restart.Decode(scope, token, "nextToken").value(), "thing-0042");

  struct Case {
    std::string name;
    PageTokenCodec codec;
  };
  const Case refusing[] = {
      {"another installation", PageTokenCodec::FromInstallationSecret(std::string(32, 't'))},
      // The MAC key is derived, never the secret itself (which also seals access keys).
      {"the raw secret as key", PageTokenCodec(secret)},
      {"a random key", PageTokenCodec::WithRandomKey()},
  };
  for (const Case& c : refusing) {
    auto r = c.codec.Decode(scope, token, "nextToken");
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
  }
}

}  // namespace
}  // namespace fg::api
