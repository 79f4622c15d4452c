#include "net/tls_record_layer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/hex.h"
#include "net/tls_aead.h"
#include "net/tls_traffic_keys.h"

namespace fg::net {
namespace {

std::vector<uint8_t> Hex(std::string_view spaced) {
  std::string compact;
  for (char c : spaced) {
    if (c != ' ' && c != '\n') {
      compact += c;
    }
  }
  auto bytes = HexDecode(compact);
  EXPECT_TRUE(bytes.has_value()) << spaced;
  return bytes.value_or(std::vector<uint8_t>{});
}

SecretBytes Secret(std::string_view spaced) { return SecretBytes(Hex(spaced)); }

// RFC 8448 §3, "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256).
const char* const kClientSecret =
    "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 "
    "a5";
const char* const kServerSecret =
    "a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 "
    "43";
// The client's application_data record (its sequence 0) and the server's (its sequence 1: the
// NewSessionTicket was 0), both carrying the 50 bytes 00 01 .. 31.
const char* const kClientRecord =
    "17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab "
    "3f"
    "2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea "
    "e6"
    "3a ee bb 21 69 49 15 e4";
const char* const kServerRecord =
    "17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0 5f 82 aa 1b "
    "36"
    "e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32 "
    "54"
    "0d d0 32 e1 67 c2 95 5d";

std::vector<uint8_t> Counting(size_t n) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) {
    bytes[i] = static_cast<uint8_t>(i);
  }
  return bytes;
}

TEST(TlsTrafficKeysTest, DerivesRfc8448ApplicationKeys) {
  const TrafficKeys server = Tls13TrafficKeys(TlsAead::kAes128Gcm, Secret(kServerSecret));
  EXPECT_EQ(server.key, Secret("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56"));
  EXPECT_EQ(server.iv, Secret("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"));
  const TrafficKeys client = Tls13TrafficKeys(TlsAead::kAes128Gcm, Secret(kClientSecret));
  EXPECT_EQ(client.key, Secret("17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51"));
  EXPECT_EQ(client.iv, Secret("5b 78 92 3d ee 08 57 90 33 e5 23 d9"));
}

TEST(TlsTrafficKeysTest, KeyUpdateSecretsMatchAnotherImplementation) {
  // application_traffic_secret_1 from RFC 8448's _0 secrets, as Botan's TLS 1.3 tests state them
  // (src/tests/test_tls_cipher_state.cpp; RFC 8448 itself has no KeyUpdate).
  EXPECT_EQ(Tls13NextTrafficSecret(TlsAead::kAes128Gcm, Secret(kClientSecret)),
            Secret("fc df cc 72 72 5a ae e4 8b f6 4e 4f d8 b7 49 cd bd ba b3 9d 90 da 0b 26 e2 24 "
                   "5c a6 ea 16 72 07"));
  EXPECT_EQ(Tls13NextTrafficSecret(TlsAead::kAes128Gcm, Secret(kServerSecret)),
            Secret("51 92 1b 8a a3 00 19 76 eb 40 1d 0a 43 19 a8 51 64 16 a6 c5 60 01 a3 57 e5 d1 "
                   "62 03 1e 84 f9 16"));
}

TEST(TlsRecordLayerTest, OpensRfc8448ClientRecord) {
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  TlsRecordLayer::Opened opened = layer.Open(Hex(kClientRecord));
  EXPECT_FALSE(opened.ended) << opened.reason;
  EXPECT_EQ(opened.plaintext, Counting(50));
  EXPECT_TRUE(opened.to_send.empty());
  EXPECT_EQ(layer.read_sequence(), 1u);
  EXPECT_EQ(layer.buffered_bytes(), 0u);
}

TEST(TlsRecordLayerTest, SealsRfc8448ServerRecord) {
  TlsRecordLayer layer = TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret),
                                                  Secret(kServerSecret), 0, 1);
  auto sealed = layer.Seal(Counting(50));
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(*sealed, Hex(kServerRecord));
  EXPECT_EQ(layer.write_sequence(), 2u);
}

TEST(TlsRecordLayerTest, ReassemblesRecordsWhateverTheSplit) {
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  const std::vector<uint8_t> record = Hex(kClientRecord);
  std::vector<uint8_t> plaintext;
  for (size_t i = 0; i < record.size(); ++i) {
    TlsRecordLayer::Opened opened = layer.Open(std::span<const uint8_t>(&record[i], 1));
    ASSERT_FALSE(opened.ended) << opened.reason;
    plaintext.insert(plaintext.end(), opened.plaintext.begin(), opened.plaintext.end());
    // A truncated record yields nothing and is held only while it is partial.
    EXPECT_EQ(layer.buffered_bytes(), i + 1 < record.size() ? i + 1 : 0u);
  }
  EXPECT_EQ(plaintext, Counting(50));
}

// A client-side mirror: reads what the server seals, and seals as the client.
TlsRecordLayer Mirror(TlsAead aead, const SecretBytes& client, const SecretBytes& server) {
  return TlsRecordLayer::ForTls13(aead, server, client);
}

TEST(TlsRecordLayerTest, SequenceNumbersAdvanceAcrossManyRecords) {
  for (TlsAead aead : {TlsAead::kAes128Gcm, TlsAead::kAes256Gcm, TlsAead::kChacha20Poly1305}) {
    const SecretBytes client(Counting(AeadHashLength(aead)));
    std::vector<uint8_t> server_bytes = Counting(AeadHashLength(aead));
    for (uint8_t& b : server_bytes) {
      b ^= 0x5a;
    }
    const SecretBytes server(server_bytes);
    TlsRecordLayer layer = TlsRecordLayer::ForTls13(aead, client, server);
    TlsRecordLayer peer = Mirror(aead, client, server);
    std::vector<uint8_t> stream;
    std::vector<uint8_t> expected;
    for (int i = 0; i < 300; ++i) {
      const std::vector<uint8_t> message(static_cast<size_t>(i % 37), static_cast<uint8_t>(i));
      auto sealed = peer.Seal(message);
      ASSERT_TRUE(sealed.has_value());
      stream.insert(stream.end(), sealed->begin(), sealed->end());
      expected.insert(expected.end(), message.begin(), message.end());
    }
    std::vector<uint8_t> plaintext;
    // Uneven pieces, so that records straddle calls.
    for (size_t pos = 0; pos < stream.size(); pos += 211) {
      auto opened = layer.Open(std::span<const uint8_t>(stream).subspan(
          pos, std::min<size_t>(211, stream.size() - pos)));
      ASSERT_FALSE(opened.ended) << opened.reason;
      plaintext.insert(plaintext.end(), opened.plaintext.begin(), opened.plaintext.end());
    }
    EXPECT_EQ(plaintext, expected);
    EXPECT_EQ(layer.read_sequence(), 300u - 9u);  // the 9 empty messages made no record
    EXPECT_EQ(layer.buffered_bytes(), 0u);
    // And back: the peer opens what the layer seals, 40 KiB in three records.
    auto sealed = layer.Seal(Counting(40 * 1024));
    ASSERT_TRUE(sealed.has_value());
    auto back = peer.Open(*sealed);
    EXPECT_FALSE(back.ended) << back.reason;
    EXPECT_EQ(back.plaintext, Counting(40 * 1024));
    EXPECT_EQ(peer.read_sequence(), 3u);
  }
}

// Builds a TLS 1.3 record by hand (independent of the layer's sealing): `inner` is the whole
// TLSInnerPlaintext (content, type, padding).
std::vector<uint8_t> HandSealed(const SecretBytes& secret, uint64_t sequence,
                                const std::vector<uint8_t>& inner) {
  const TrafficKeys keys = Tls13TrafficKeys(TlsAead::kAes128Gcm, secret);
  const size_t length = inner.size() + kAeadTagLength;
  std::vector<uint8_t> record{23, 3, 3, static_cast<uint8_t>(length >> 8),
                              static_cast<uint8_t>(length & 0xff)};
  std::array<uint8_t, 12> nonce{};
  std::copy(keys.iv.bytes().begin(), keys.iv.bytes().end(), nonce.begin());
  for (int i = 0; i < 8; ++i) {
    nonce[static_cast<size_t>(11 - i)] ^= static_cast<uint8_t>(sequence >> (8 * i));
  }
  record.resize(5 + length);
  const std::vector<uint8_t> header(record.begin(), record.begin() + 5);
  AeadSeal(TlsAead::kAes128Gcm, keys.key.bytes(), nonce, header, inner, {},
           std::span<uint8_t>(record.data() + 5, length));
  return record;
}

struct BadRecordCase {
  std::string name;
  std::vector<uint8_t> (*make)();
  int alert;  // what the layer must send; -1: nothing (the peer's own alert)
};
void PrintTo(const BadRecordCase& c, std::ostream* os) { *os << c.name; }

std::vector<uint8_t> Inner(std::vector<uint8_t> content, uint8_t type, size_t padding = 0) {
  content.push_back(type);
  content.resize(content.size() + padding, 0);
  return HandSealed(Secret(kClientSecret), 0, content);
}

class TlsRecordLayerRejects : public ::testing::TestWithParam<BadRecordCase> {};

TEST_P(TlsRecordLayerRejects, WithTheRightAlertAndEnds) {
  const BadRecordCase& c = GetParam();
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  TlsRecordLayer::Opened opened = layer.Open(c.make());
  EXPECT_TRUE(opened.ended);
  EXPECT_TRUE(opened.plaintext.empty());
  EXPECT_FALSE(opened.reason.empty());
  EXPECT_EQ(layer.buffered_bytes(), 0u);
  EXPECT_FALSE(layer.Seal(Counting(3)).has_value()) << "nothing is sent after the end";
  if (c.alert < 0) {
    EXPECT_TRUE(opened.to_send.empty());
    return;
  }
  // The client side reads our fatal alert.
  TlsRecordLayer peer = Mirror(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  TlsRecordLayer::Opened alert = peer.Open(opened.to_send);
  EXPECT_TRUE(alert.ended);
  EXPECT_EQ(alert.reason, "peer sent alert " + std::to_string(c.alert));
}

INSTANTIATE_TEST_SUITE_P(
    Table, TlsRecordLayerRejects,
    ::testing::Values(
        BadRecordCase{"tampered_tag",
                      [] {
                        auto r = Hex(kClientRecord);
                        r.back() ^= 1;
                        return r;
                      },
                      20},
        BadRecordCase{"tampered_header",
                      [] {
                        auto r = Hex(kClientRecord);
                        r[1] = 1;  // the header is the AAD
                        return r;
                      },
                      20},
        BadRecordCase{"too_short_for_a_tag", [] { return Hex("17 03 03 00 05 01 02 03 04 05"); },
                      20},
        BadRecordCase{"change_cipher_spec", [] { return Hex("14 03 03 00 01 01"); }, 10},
        BadRecordCase{"unprotected_handshake", [] { return Hex("16 03 03 00 04 18 00 00 00"); },
                      10},
        BadRecordCase{"oversize_header_only", [] { return Hex("17 03 03 41 01"); }, 22},
        BadRecordCase{"oversize_inner_plaintext",
                      [] { return Inner(std::vector<uint8_t>((1 << 14) + 1, 7), 23); }, 22},
        BadRecordCase{"all_zero_inner_plaintext",
                      [] {
                        return HandSealed(Secret(kClientSecret), 0, {0, 0, 0, 0});
                      },
                      10},
        BadRecordCase{"unknown_inner_type",
                      [] {
                        return Inner({1, 2}, 24);
                      },
                      10},
        BadRecordCase{"inner_change_cipher_spec", [] { return Inner({1}, 20); }, 10},
        BadRecordCase{"malformed_alert",
                      [] {
                        return Inner({2, 10, 0}, 21);
                      },
                      50},
        BadRecordCase{"new_session_ticket_from_client",
                      [] {
                        return Inner({4, 0, 0, 1, 0}, 22);
                      },
                      10},
        BadRecordCase{"empty_handshake", [] { return Inner({}, 22); }, 10},
        BadRecordCase{"split_handshake_header",
                      [] {
                        return Inner({24, 0, 0}, 22);
                      },
                      10},
        BadRecordCase{"split_key_update",
                      [] {
                        return Inner({24, 0, 0, 1}, 22);
                      },
                      10},
        BadRecordCase{"key_update_too_long",
                      [] {
                        return Inner({24, 0, 0, 2, 0, 0}, 22);
                      },
                      50},
        BadRecordCase{"key_update_bad_request",
                      [] {
                        return Inner({24, 0, 0, 1, 2}, 22);
                      },
                      47},
        BadRecordCase{"data_after_key_update",
                      [] {
                        return Inner({24, 0, 0, 1, 0, 24, 0, 0, 1, 0}, 22);
                      },
                      10},
        BadRecordCase{"peer_fatal_alert",
                      [] {
                        return Inner({2, 40}, 21, 5);
                      },
                      -1}),
    [](const ::testing::TestParamInfo<BadRecordCase>& p) { return p.param.name; });

TEST(TlsRecordLayerTest, AnswersCloseNotifyWithItsOwn) {
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  // Data before the alert in the same read still counts.
  std::vector<uint8_t> input = Hex(kClientRecord);
  const std::vector<uint8_t> alert = HandSealed(Secret(kClientSecret), 1, {1, 0, 21});
  input.insert(input.end(), alert.begin(), alert.end());
  TlsRecordLayer::Opened opened = layer.Open(input);
  EXPECT_TRUE(opened.ended);
  EXPECT_EQ(opened.reason, "peer sent close_notify");
  EXPECT_EQ(opened.plaintext, Counting(50));
  TlsRecordLayer peer = Mirror(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  EXPECT_EQ(peer.Open(opened.to_send).reason, "peer sent close_notify");
}

TEST(TlsRecordLayerTest, SendsCloseNotifyOnceAndEnds) {
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  const std::vector<uint8_t> close = layer.CloseNotify();
  EXPECT_TRUE(layer.ended());
  EXPECT_TRUE(layer.CloseNotify().empty());
  TlsRecordLayer peer = Mirror(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  EXPECT_EQ(peer.Open(close).reason, "peer sent close_notify");
}

TEST(TlsRecordLayerTest, KeyUpdateWithoutRequestChangesOnlyTheReadKeys) {
  TlsRecordLayer layer =
      TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, Secret(kClientSecret), Secret(kServerSecret));
  // KeyUpdate(update_not_requested), then data under client_application_traffic_secret_1.
  std::vector<uint8_t> input = HandSealed(Secret(kClientSecret), 0, {24, 0, 0, 1, 0, 22});
  const SecretBytes next = Tls13NextTrafficSecret(TlsAead::kAes128Gcm, Secret(kClientSecret));
  const std::vector<uint8_t> data = HandSealed(next, 0, {'h', 'i', 23, 0, 0});
  input.insert(input.end(), data.begin(), data.end());
  TlsRecordLayer::Opened opened = layer.Open(input);
  EXPECT_FALSE(opened.ended) << opened.reason;
  EXPECT_EQ(opened.plaintext, (std::vector<uint8_t>{'h', 'i'}));
  EXPECT_TRUE(opened.to_send.empty());
  EXPECT_EQ(layer.read_sequence(), 1u);
  // The write side is unchanged: the RFC 8448 server record still comes out at sequence 1.
  ASSERT_TRUE(layer.Seal(Counting(1)).has_value());
  EXPECT_EQ(*layer.Seal(Counting(50)), Hex(kServerRecord));
  // The old read key no longer opens anything.
  EXPECT_TRUE(layer.Open(HandSealed(Secret(kClientSecret), 2, {1, 23})).ended);
}

}  // namespace
}  // namespace fg::net
