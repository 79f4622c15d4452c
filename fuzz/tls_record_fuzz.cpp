// Target: net::TlsRecordLayer::Open (record framing, AEAD opening, TLS 1.3 inner plaintext,
// alerts, KeyUpdate, TLS 1.2 nonces and AAD), ::Seal and ::CloseNotify; net::Tls13TrafficKeys,
// net::Tls13NextTrafficSecret, net::Tls12Keys.
//
// The first input byte picks the mode (mod 6):
//  0-3: the rest is the raw byte stream from the client, for TLS 1.3 with RFC 8448's secrets
//       (AES-128-GCM), TLS 1.3 ChaCha20, TLS 1.2 AES-GCM, TLS 1.2 ChaCha20 (fixed keys);
//  4-5: the rest is a list of (inner type, length, content) pieces that this harness seals as
//       the client would under TLS 1.3 (AES-128-GCM, ChaCha20), following its own KeyUpdates, so
//       that the fuzzer reaches the inner plaintext, alert and KeyUpdate logic behind the tag.
//
// Invariants checked on every input:
//  - feeding the stream whole and one byte at a time gives the same plaintext, the same records
//    to send, the same end and reason (the reader must not depend on how TCP splits bytes);
//  - the layer never buffers more than one maximal record, and nothing once it ended;
//  - until it ended, what the layer seals, a client-side mirror opens to the same plaintext.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "net/tls_aead.h"
#include "net/tls_record_layer.h"
#include "net/tls_traffic_keys.h"

namespace fg::net {
namespace {

// RFC 8448 §3's application traffic secrets.
constexpr std::array<uint8_t, 32> kClientSecret = {
    0x9e, 0x40, 0x64, 0x6c, 0xe7, 0x9a, 0x7f, 0x9d, 0xc0, 0x5a, 0xf8, 0x88, 0x9b, 0xce, 0x65, 0x52,
    0x87, 0x5a, 0xfa, 0x0b, 0x06, 0xdf, 0x00, 0x87, 0xf7, 0x92, 0xeb, 0xb7, 0xc1, 0x75, 0x04, 0xa5};
constexpr std::array<uint8_t, 32> kServerSecret = {
    0xa1, 0x1a, 0xf9, 0xf0, 0x55, 0x31, 0xf8, 0x56, 0xad, 0x47, 0x11, 0x6b, 0x45, 0xa9, 0x50, 0x32,
    0x82, 0x04, 0xb4, 0xf4, 0x4b, 0xfb, 0x6b, 0x3a, 0x4b, 0x4f, 0x1f, 0x3f, 0xcb, 0x63, 0x16, 0x43};
constexpr size_t kMaxBuffered = 5 + (1 << 14) + 2048;

TlsRecordLayer MakeLayer(unsigned mode) {
  const SecretBytes client(kClientSecret);
  const SecretBytes server(kServerSecret);
  std::array<uint8_t, 48> master{};
  std::array<uint8_t, 32> client_random{};
  std::array<uint8_t, 32> server_random{};
  master.fill(0x11);
  client_random.fill(0x22);
  server_random.fill(0x33);
  switch (mode) {
    case 1:
    case 5:
      return TlsRecordLayer::ForTls13(TlsAead::kChacha20Poly1305, client, server);
    case 2:
      return TlsRecordLayer::ForTls12(TlsAead::kAes128Gcm, master, client_random, server_random);
    case 3:
      return TlsRecordLayer::ForTls12(TlsAead::kChacha20Poly1305, master, client_random,
                                      server_random);
    default:
      return TlsRecordLayer::ForTls13(TlsAead::kAes128Gcm, client, server);
  }
}

// Seals the pieces of a mode 4-5 input as TLS 1.3 records from the client.
std::vector<uint8_t> SealPieces(TlsAead aead, std::span<const uint8_t> input) {
  std::vector<uint8_t> stream;
  SecretBytes secret(kClientSecret);
  TrafficKeys keys = Tls13TrafficKeys(aead, secret);
  uint64_t sequence = 0;
  size_t pos = 0;
  while (input.size() - pos >= 2) {
    const uint8_t type = input[pos];
    const size_t length = std::min<size_t>(input[pos + 1], input.size() - pos - 2);
    std::vector<uint8_t> inner(input.begin() + static_cast<ptrdiff_t>(pos + 2),
                               input.begin() + static_cast<ptrdiff_t>(pos + 2 + length));
    pos += 2 + length;
    const bool key_update = type == 22 && inner.size() == 5 && inner[0] == 24 && inner[3] == 1;
    inner.push_back(type);
    const size_t sealed = inner.size() + kAeadTagLength;
    const std::array<uint8_t, 5> header{23, 3, 3, static_cast<uint8_t>(sealed >> 8),
                                        static_cast<uint8_t>(sealed & 0xff)};
    std::array<uint8_t, kAeadNonceLength> nonce{};
    std::copy(keys.iv.bytes().begin(), keys.iv.bytes().end(), nonce.begin());
    for (size_t i = 0; i < 8; ++i) {
      nonce[11 - i] ^= static_cast<uint8_t>(sequence >> (8 * i));
    }
    const size_t start = stream.size();
    stream.insert(stream.end(), header.begin(), header.end());
    stream.resize(start + header.size() + sealed);
    AeadSeal(aead, keys.key.bytes(), nonce, header, inner, {},
             std::span<uint8_t>(stream.data() + start + header.size(), sealed));
    ++sequence;
    if (key_update) {
      secret = Tls13NextTrafficSecret(aead, secret);
      keys = Tls13TrafficKeys(aead, secret);
      sequence = 0;
    }
  }
  return stream;
}

struct Outcome {
  std::vector<uint8_t> plaintext;
  std::vector<uint8_t> to_send;
  bool ended = false;
  std::string reason;
};

Outcome OpenInPieces(TlsRecordLayer& layer, std::span<const uint8_t> stream, size_t piece) {
  Outcome outcome;
  for (size_t pos = 0; pos < stream.size(); pos += piece) {
    TlsRecordLayer::Opened opened =
        layer.Open(stream.subspan(pos, std::min(piece, stream.size() - pos)));
    FG_FUZZ_CHECK(layer.buffered_bytes() <= kMaxBuffered, "at most one record is buffered");
    outcome.plaintext.insert(outcome.plaintext.end(), opened.plaintext.begin(),
                             opened.plaintext.end());
    outcome.to_send.insert(outcome.to_send.end(), opened.to_send.begin(), opened.to_send.end());
    if (opened.ended) {
      FG_FUZZ_CHECK(layer.buffered_bytes() == 0, "an ended layer buffers nothing");
      outcome.ended = true;
      outcome.reason = opened.reason;
      break;
    }
  }
  return outcome;
}

}  // namespace
}  // namespace fg::net

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fg::net;
  if (size == 0) {
    return 0;
  }
  const unsigned mode = data[0] % 6u;
  std::span<const uint8_t> rest(data + 1, size - 1);
  std::vector<uint8_t> stream;
  if (mode >= 4) {
    stream = SealPieces(mode == 4 ? TlsAead::kAes128Gcm : TlsAead::kChacha20Poly1305, rest);
    rest = stream;
  }
  TlsRecordLayer whole_layer = MakeLayer(mode);
  TlsRecordLayer bytewise_layer = MakeLayer(mode);
  const Outcome whole = OpenInPieces(whole_layer, rest, rest.size() + 1);
  const Outcome bytewise = OpenInPieces(bytewise_layer, rest, 1);
  FG_FUZZ_CHECK(whole.plaintext == bytewise.plaintext, "same plaintext whatever the split");
  FG_FUZZ_CHECK(whole.to_send == bytewise.to_send, "same records to send whatever the split");
  FG_FUZZ_CHECK(whole.ended == bytewise.ended, "same end whatever the split");
  FG_FUZZ_CHECK(whole.reason == bytewise.reason, "same reason whatever the split");

  // TLS 1.3 without KeyUpdates so far: a mirror (the client's view) must open what we seal.
  if (!whole.ended && (mode == 0 || mode == 1) && whole_layer.read_sequence() == 0) {
    const TlsAead aead = mode == 0 ? TlsAead::kAes128Gcm : TlsAead::kChacha20Poly1305;
    TlsRecordLayer mirror =
        TlsRecordLayer::ForTls13(aead, SecretBytes(kServerSecret), SecretBytes(kClientSecret));
    auto sealed = whole_layer.Seal(rest);
    FG_FUZZ_CHECK(sealed.has_value(), "a live layer seals");
    TlsRecordLayer::Opened opened = mirror.Open(*sealed);
    FG_FUZZ_CHECK(!opened.ended, "the mirror opens what the layer sealed");
    FG_FUZZ_CHECK(
        std::equal(opened.plaintext.begin(), opened.plaintext.end(), rest.begin(), rest.end()),
        "open(seal(x)) == x");
  }
  return 0;
}
