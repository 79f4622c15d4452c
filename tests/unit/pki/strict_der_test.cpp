#include "pki/strict_der.h"

#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include "pki_fixtures.h"

namespace fg::pki {
namespace {

using testing::LoadCert;

std::string Bytes(std::initializer_list<int> octets) {
  std::string s;
  for (int o : octets) {
    s.push_back(static_cast<char>(o));
  }
  return s;
}

TEST(StrictDerTest, AcceptsDer) {
  const std::string cases[] = {
      Bytes({0x05, 0x00}),                                      // NULL
      Bytes({0x01, 0x01, 0xff}),                                // TRUE
      Bytes({0x02, 0x01, 0x00}),                                // INTEGER 0
      Bytes({0x02, 0x02, 0x00, 0x80}),                          // INTEGER 128
      Bytes({0x02, 0x01, 0x80}),                                // INTEGER -128
      Bytes({0x03, 0x02, 0x04, 0xf0}),                          // BIT STRING, zero padding
      Bytes({0x03, 0x01, 0x00}),                                // empty BIT STRING
      Bytes({0x30, 0x00}),                                      // empty SEQUENCE
      Bytes({0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}),  // SET OF in order
      Bytes({0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01}),  // equal elements
      Bytes({0x04, 0x81, 0x80}) + std::string(0x80, 'x'),       // long form from 128
      Bytes({0x9f, 0x1f, 0x00}),                                // tag 31, high-tag form
      Bytes({0xa0, 0x03, 0x02, 0x01, 0x02}),                    // [0] EXPLICIT
      "\x17\x0d"
      "200101000000Z",
      "\x18\x0f"
      "20600101000000Z",
      LoadCert("device-rsa-1").Der(),
      LoadCert("device-ec-1").Der(),
      LoadCert("device-dsa").Der(),
  };
  for (const auto& der : cases) {
    auto checked = CheckStrictDer(der);
    EXPECT_TRUE(checked) << ::testing::PrintToString(der) << ": " << checked.error().message;
  }
}

TEST(StrictDerTest, RefusesWhatDerDoesNotAllow) {
  struct Case {
    const char* name;
    std::string der;
    const char* rule;
  };
  const Case cases[] = {
      {"empty", "", "truncated identifier"},
      {"trailing byte", Bytes({0x05, 0x00, 0x00}), "trailing bytes"},
      {"truncated content", Bytes({0x04, 0x02, 0x00}), "truncated content"},
      {"long form below 128", Bytes({0x04, 0x81, 0x01, 0x00}), "non-minimal length"},
      {"leading zero length octet", Bytes({0x04, 0x82, 0x00, 0x01, 0x00}), "non-minimal length"},
      {"indefinite length", Bytes({0x30, 0x80, 0x00, 0x00}), "indefinite length"},
      {"five length octets", Bytes({0x04, 0x85, 0x01, 0, 0, 0, 0}), "oversized length"},
      {"high-tag form of INTEGER", Bytes({0x1f, 0x02, 0x01, 0x00}), "high-tag-number form"},
      {"high-tag form with 0x80", Bytes({0x9f, 0x80, 0x1f, 0x00}), "non-minimal tag"},
      {"BOOLEAN 0x01", Bytes({0x01, 0x01, 0x01}), "BOOLEAN"},
      {"BOOLEAN of two octets", Bytes({0x01, 0x02, 0xff, 0xff}), "BOOLEAN"},
      {"empty INTEGER", Bytes({0x02, 0x00}), "non-minimal INTEGER"},
      {"INTEGER 0x00 0x01", Bytes({0x02, 0x02, 0x00, 0x01}), "non-minimal INTEGER"},
      {"INTEGER 0xff 0x80", Bytes({0x02, 0x02, 0xff, 0x80}), "non-minimal INTEGER"},
      {"ENUMERATED 0x00 0x01", Bytes({0x0a, 0x02, 0x00, 0x01}), "non-minimal INTEGER"},
      {"BIT STRING padding", Bytes({0x03, 0x02, 0x04, 0xf1}), "padding"},
      {"BIT STRING 8 unused", Bytes({0x03, 0x02, 0x08, 0x00}), "malformed BIT STRING"},
      {"empty BIT STRING unused", Bytes({0x03, 0x01, 0x01}), "malformed BIT STRING"},
      {"NULL with content", Bytes({0x05, 0x01, 0x00}), "NULL"},
      {"constructed OCTET STRING", Bytes({0x24, 0x03, 0x04, 0x01, 0x00}), "constructed form"},
      {"primitive SEQUENCE", Bytes({0x10, 0x00}), "primitive form"},
      {"SET OF out of order", Bytes({0x31, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01}),
       "out of DER order"},
      {"SET OF longer element first", Bytes({0x31, 0x07, 0x04, 0x02, 0x01, 0xff, 0x04, 0x01, 0x02}),
       "out of DER order"},
      {"nested non-minimal length", Bytes({0x30, 0x04, 0x04, 0x81, 0x00, 0x00}),
       "non-minimal length"},
      {"UTCTime without seconds",
       "\x17\x0b"
       "2001010000Z",
       "UTCTime"},
      {"UTCTime with an offset",
       "\x17\x11"
       "200101000000+0100",
       "UTCTime"},
      {"GeneralizedTime with fraction",
       "\x18\x11"
       "20600101000000.5Z",
       "GeneralizedTime"},
  };
  for (const auto& c : cases) {
    auto checked = CheckStrictDer(c.der);
    ASSERT_FALSE(checked) << c.name;
    EXPECT_EQ(checked.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(checked.error().message.find(c.rule), std::string::npos)
        << c.name << ": " << checked.error().message;
  }
}

TEST(StrictDerTest, RefusesNestingDeeperThan64) {
  std::string der = Bytes({0x05, 0x00});
  for (int i = 0; i < 65; ++i) {
    std::string wrapped = Bytes({0x30});
    if (der.size() < 0x80) {
      wrapped.push_back(static_cast<char>(der.size()));
    } else {
      wrapped += Bytes({0x81, static_cast<int>(der.size())});
    }
    der = wrapped + der;
  }
  auto checked = CheckStrictDer(der);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("nesting too deep"), std::string::npos)
      << checked.error().message;
}

TEST(StrictDerTest, ElementsOfAConstructedValue) {
  const std::string der = LoadCert("device-rsa-1").Der();
  const auto certificate = StrictDerElements(der);
  ASSERT_EQ(certificate.size(), 3u);
  EXPECT_EQ(certificate[0].identifier, 0x30);
  EXPECT_EQ(certificate[2].identifier, 0x03);
  EXPECT_EQ(certificate[0].whole.size() + certificate[1].whole.size() + certificate[2].whole.size(),
            der.size() - 4);
  const auto tbs = StrictDerElements(certificate[0].whole);
  ASSERT_GE(tbs.size(), 7u);
  EXPECT_EQ(tbs[0].identifier, 0xa0);
  EXPECT_EQ(tbs[1].identifier, 0x02);
}

TEST(StrictDerTest, ElementsStopAtWhatDoesNotFit) {
  struct Case {
    std::string tlv;
    size_t elements;
  };
  const Case cases[] = {
      {"", 0},
      {Bytes({0x30}), 0},
      {Bytes({0x30, 0x84, 0x00}), 0},
      {Bytes({0x30, 0x03, 0x04, 0x09, 0x00}), 0},
      {Bytes({0x30, 0x05, 0x05, 0x00, 0x04, 0x09, 0x00}), 1},
      {Bytes({0x30, 0x04, 0x05, 0x00, 0x04, 0x85}), 1},
      {Bytes({0x30, 0x04, 0x05, 0x00, 0x05, 0x00}), 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(StrictDerElements(c.tlv).size(), c.elements) << ::testing::PrintToString(c.tlv);
  }
}

}  // namespace
}  // namespace fg::pki
