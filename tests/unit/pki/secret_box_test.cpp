#include "pki/secret_box.h"

#include <string>

#include <gtest/gtest.h>

namespace fg::pki {
namespace {

SecretBox Box(const std::string& key) {
  auto box = SecretBox::FromKey(key);
  EXPECT_TRUE(box) << box.error().ToString();
  return *box;
}

TEST(SecretBoxTest, RoundTrip) {
  const SecretBox box = Box(SecretBox::NewKey());
  for (const std::string& secret :
       {std::string(), std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        std::string(1000, '\0'), std::string(5000, 'x')}) {
    const std::string sealed = box.Seal(secret);
    EXPECT_EQ(sealed.size(), SecretBox::kNonceSize + secret.size() + SecretBox::kTagSize);
    auto opened = box.Open(sealed);
    ASSERT_TRUE(opened) << opened.error().ToString();
    EXPECT_EQ(*opened, secret);
  }
}

TEST(SecretBoxTest, SealIsRandomizedAndHidesThePlaintext) {
  const SecretBox box = Box(SecretBox::NewKey());
  const std::string secret = "my-secret-access-key-value";
  const std::string a = box.Seal(secret);
  const std::string b = box.Seal(secret);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find(secret), std::string::npos);
}

TEST(SecretBoxTest, DetectsEveryTamperedByte) {
  const SecretBox box = Box(SecretBox::NewKey());
  const std::string sealed = box.Seal("secret!");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = box.Open(tampered);
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  }
}

TEST(SecretBoxTest, RejectsTruncationWrongKeyAndWrongContext) {
  const SecretBox box = Box(SecretBox::NewKey());
  const std::string sealed = box.Seal("secret", "AKIA0001");
  ASSERT_TRUE(box.Open(sealed, "AKIA0001"));

  const std::string bad_inputs[] = {"", sealed.substr(0, 27), sealed.substr(0, sealed.size() - 1),
                                    sealed + "x"};
  for (const auto& input : bad_inputs) {
    auto opened = box.Open(input, "AKIA0001");
    ASSERT_FALSE(opened) << input.size();
    EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  }
  auto other_context = box.Open(sealed, "AKIA0002");
  ASSERT_FALSE(other_context);
  EXPECT_EQ(other_context.error().code, ErrorCode::kCorrupt);
  auto no_context = box.Open(sealed);
  ASSERT_FALSE(no_context);

  auto other_key = Box(SecretBox::NewKey()).Open(sealed, "AKIA0001");
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().code, ErrorCode::kCorrupt);
}

TEST(SecretBoxTest, KeyMustBe32Bytes) {
  for (size_t n : {0u, 16u, 31u, 33u, 64u}) {
    auto box = SecretBox::FromKey(std::string(n, 'k'));
    ASSERT_FALSE(box) << n;
    EXPECT_EQ(box.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(SecretBox::NewKey().size(), 32u);
  EXPECT_NE(SecretBox::NewKey(), SecretBox::NewKey());
}

TEST(SecretBoxTest, CopiesOpenWhatTheOriginalSealed) {
  const SecretBox original = Box(SecretBox::NewKey());
  const std::string sealed = original.Seal("s");
  SecretBox copy = original;
  auto opened = copy.Open(sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "s");
}

}  // namespace
}  // namespace fg::pki
