#include "net/listen_address.h"

#include <gtest/gtest.h>

namespace fg::net {
namespace {

struct Good {
  const char* text;
  const char* address;
  uint16_t port;
};

class ListenAddressGoodTest : public testing::TestWithParam<Good> {};

TEST_P(ListenAddressGoodTest, Parses) {
  auto endpoint = ParseListenAddress(GetParam().text);
  ASSERT_TRUE(endpoint) << endpoint.error().ToString();
  EXPECT_EQ(endpoint->address().to_string(), GetParam().address);
  EXPECT_EQ(endpoint->port(), GetParam().port);
}

INSTANTIATE_TEST_SUITE_P(Table, ListenAddressGoodTest,
                         testing::Values(Good{"127.0.0.1:0", "127.0.0.1", 0},
                                         Good{"0.0.0.0:8883", "0.0.0.0", 8883},
                                         Good{"localhost:8443", "127.0.0.1", 8443},
                                         Good{"[::1]:65535", "::1", 65535},
                                         Good{"[::]:1", "::", 1}));

class ListenAddressBadTest : public testing::TestWithParam<const char*> {};

TEST_P(ListenAddressBadTest, IsRefusedNamingTheInput) {
  auto endpoint = ParseListenAddress(GetParam());
  ASSERT_FALSE(endpoint);
  EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(endpoint.error().message.find(GetParam()), std::string::npos)
      << endpoint.error().message;
}

INSTANTIATE_TEST_SUITE_P(Table, ListenAddressBadTest,
                         testing::Values("127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                                         "127.0.0.1:-1", "127.0.0.1:80x", "example.com:80", ":80",
                                         "[::1:80", "999.0.0.1:80"));

}  // namespace
}  // namespace fg::net
