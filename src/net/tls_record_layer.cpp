#include "net/tls_record_layer.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "net/tls_aead.h"

namespace fg::net {
namespace {

constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kAlertType = 21;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kApplicationData = 23;
constexpr uint8_t kKeyUpdate = 24;
constexpr uint8_t kWarning = 1;
constexpr uint8_t kFatal = 2;

constexpr size_t kHeaderLength = 5;
constexpr size_t kMaxPlaintext = size_t{1} << 14;
// RFC 8446 §5.2 and RFC 5246 §6.2.3.
constexpr size_t kMaxTls13Ciphertext = kMaxPlaintext + 256;
constexpr size_t kMaxTls12Ciphertext = kMaxPlaintext + 2048;
// TLS 1.2 AES-GCM sends the nonce's last 8 bytes in each record (RFC 5288 §3).
constexpr size_t kExplicitNonceLength = 8;

void PutUint64(uint64_t v, uint8_t* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
}

std::array<uint8_t, kHeaderLength> Header(uint8_t type, size_t length) {
  return {type, 3, 3, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length & 0xff)};
}

}  // namespace

TlsRecordLayer TlsRecordLayer::ForTls13(TlsAead aead, const SecretBytes& client_secret,
                                        const SecretBytes& server_secret, uint64_t read_sequence,
                                        uint64_t write_sequence) {
  TlsRecordLayer layer(true, aead);
  layer.read_.secret = client_secret;
  layer.read_.keys = Tls13TrafficKeys(aead, client_secret);
  layer.read_.sequence = read_sequence;
  layer.write_.secret = server_secret;
  layer.write_.keys = Tls13TrafficKeys(aead, server_secret);
  layer.write_.sequence = write_sequence;
  return layer;
}

TlsRecordLayer TlsRecordLayer::ForTls12(TlsAead aead, std::span<const uint8_t> master_secret,
                                        std::span<const uint8_t> client_random,
                                        std::span<const uint8_t> server_random,
                                        uint64_t read_sequence, uint64_t write_sequence) {
  TlsRecordLayer layer(false, aead);
  Tls12KeyBlock block = Tls12Keys(aead, master_secret, client_random, server_random);
  layer.read_.keys = block.client;
  layer.read_.sequence = read_sequence;
  layer.write_.keys = block.server;
  layer.write_.sequence = write_sequence;
  return layer;
}

TlsRecordLayer::Opened TlsRecordLayer::Open(std::span<const uint8_t> ciphertext) {
  Opened out;
  if (ended_) {
    out.ended = true;
    out.reason = "the TLS connection already ended";
    return out;
  }
  if (partial_.empty()) {
    const size_t used = OpenRecords(ciphertext, out);
    if (!ended_ && used < ciphertext.size()) {
      partial_.assign(ciphertext.begin() + static_cast<ptrdiff_t>(used), ciphertext.end());
    }
  } else {
    partial_.insert(partial_.end(), ciphertext.begin(), ciphertext.end());
    const size_t used = OpenRecords(partial_, out);
    if (used == partial_.size()) {
      std::vector<uint8_t>().swap(partial_);  // an idle connection holds no buffer
    } else if (used > 0) {
      partial_.erase(partial_.begin(), partial_.begin() + static_cast<ptrdiff_t>(used));
    }
  }
  if (ended_) {
    std::vector<uint8_t>().swap(partial_);
    out.ended = true;
  }
  return out;
}

size_t TlsRecordLayer::OpenRecords(std::span<const uint8_t> data, Opened& out) {
  size_t pos = 0;
  while (!ended_ && data.size() - pos >= kHeaderLength) {
    std::span<const uint8_t> header = data.subspan(pos, kHeaderLength);
    const size_t length = (size_t{header[3]} << 8) | header[4];
    // Judged on the header alone, so that an oversized record is refused before its body is
    // buffered.
    if (length > (tls13_ ? kMaxTls13Ciphertext : kMaxTls12Ciphertext)) {
      Fail(TlsAlert::kRecordOverflow, "record longer than TLS allows", out);
      break;
    }
    if (data.size() - pos - kHeaderLength < length) {
      break;
    }
    OpenRecord(header[0], header, data.subspan(pos + kHeaderLength, length), out);
    pos += kHeaderLength + length;
  }
  return pos;
}

bool TlsRecordLayer::OpenRecord(uint8_t type, std::span<const uint8_t> header,
                                std::span<const uint8_t> body, Opened& out) {
  if (type == kChangeCipherSpec) {
    // RFC 8446 §5: only during the handshake; RFC 5246: only before Finished.
    return Fail(TlsAlert::kUnexpectedMessage, "change_cipher_spec after the handshake", out);
  }
  if (read_.sequence == std::numeric_limits<uint64_t>::max()) {
    return Fail(TlsAlert::kInternalError, "read sequence number exhausted", out);
  }
  std::array<uint8_t, kAeadNonceLength> nonce{};
  std::array<uint8_t, 13> aad12{};
  std::span<const uint8_t> aad = header;
  std::span<const uint8_t> sealed = body;
  if (tls13_) {
    // RFC 8446 §5.2: every protected record has the outer type application_data; the legacy
    // version is ignored.
    if (type != kApplicationData) {
      return Fail(TlsAlert::kUnexpectedMessage, "unprotected record after the handshake", out);
    }
    if (body.size() < kAeadTagLength + 1) {
      return Fail(TlsAlert::kBadRecordMac, "record too short to be protected", out);
    }
    Nonce(read_, nonce);
  } else {
    if (type != kAlertType && type != kHandshake && type != kApplicationData) {
      return Fail(TlsAlert::kUnexpectedMessage, "unknown record type", out);
    }
    if (header[1] != 3 || header[2] != 3) {
      return Fail(TlsAlert::kProtocolVersion, "record version is not TLS 1.2", out);
    }
    const size_t explicit_length = aead_ == TlsAead::kChacha20Poly1305 ? 0 : kExplicitNonceLength;
    if (body.size() < explicit_length + kAeadTagLength) {
      return Fail(TlsAlert::kBadRecordMac, "record too short to be protected", out);
    }
    const size_t length = body.size() - explicit_length - kAeadTagLength;
    if (length > kMaxPlaintext) {
      return Fail(TlsAlert::kRecordOverflow, "record longer than TLS allows", out);
    }
    if (explicit_length == 0) {
      Nonce(read_, nonce);  // RFC 7905 §2
    } else {
      const std::span<const uint8_t> salt = read_.keys.iv.bytes();
      std::copy(salt.begin(), salt.end(), nonce.begin());
      std::copy_n(body.begin(), explicit_length, nonce.begin() + 4);
      sealed = body.subspan(explicit_length);
    }
    // RFC 5246 §6.2.3.3: seq_num + type + version + length of the plaintext.
    PutUint64(read_.sequence, aad12.data());
    aad12[8] = type;
    aad12[9] = 3;
    aad12[10] = 3;
    aad12[11] = static_cast<uint8_t>(length >> 8);
    aad12[12] = static_cast<uint8_t>(length & 0xff);
    aad = aad12;
  }

  // Decrypted straight into the output, so application data costs no extra copy.
  const size_t base = out.plaintext.size();
  const size_t length = sealed.size() - kAeadTagLength;
  out.plaintext.resize(base + length);
  if (!AeadOpen(aead_, read_.keys.key.bytes(), nonce, aad, sealed,
                std::span<uint8_t>(out.plaintext.data() + base, length))) {
    out.plaintext.resize(base);
    return Fail(TlsAlert::kBadRecordMac, "bad record MAC", out);
  }
  ++read_.sequence;

  uint8_t inner_type = type;
  size_t end = base + length;
  if (tls13_) {
    // RFC 8446 §5.4: the content type is the last non-zero byte; zeros after it are padding.
    while (end > base && out.plaintext[end - 1] == 0) {
      --end;
    }
    if (end == base) {
      out.plaintext.resize(base);
      return Fail(TlsAlert::kUnexpectedMessage, "inner plaintext without a content type", out);
    }
    inner_type = out.plaintext[end - 1];
    --end;
    if (end - base > kMaxPlaintext) {
      out.plaintext.resize(base);
      return Fail(TlsAlert::kRecordOverflow, "record longer than TLS allows", out);
    }
  }
  if (inner_type == kApplicationData) {
    out.plaintext.resize(end);
    return true;
  }
  // Alerts and handshake messages are a few bytes.
  std::vector<uint8_t> content(out.plaintext.begin() + static_cast<ptrdiff_t>(base),
                               out.plaintext.begin() + static_cast<ptrdiff_t>(end));
  out.plaintext.resize(base);
  if (inner_type == kAlertType) {
    return OnAlert(content, out);
  }
  if (inner_type == kHandshake) {
    return OnHandshake(content, out);
  }
  return Fail(TlsAlert::kUnexpectedMessage, "unexpected content type after the handshake", out);
}

bool TlsRecordLayer::OnAlert(std::span<const uint8_t> content, Opened& out) {
  if (content.size() != 2) {
    return Fail(TlsAlert::kDecodeError, "malformed alert", out);
  }
  if (content[1] == static_cast<uint8_t>(TlsAlert::kCloseNotify)) {
    // RFC 8446 §6.1: answer with our own close_notify before closing the write side.
    const std::array<uint8_t, 2> alert{kWarning, content[1]};
    SealRecord(kAlertType, alert, out.to_send);
    ended_ = true;
    out.reason = "peer sent close_notify";
    return false;
  }
  // Any other alert ends the connection, whatever its level (RFC 8446 §6.2).
  ended_ = true;
  out.reason = "peer sent alert " + std::to_string(content[1]);
  return false;
}

bool TlsRecordLayer::OnHandshake(std::span<const uint8_t> content, Opened& out) {
  if (!tls13_) {
    // A ClientHello here asks for renegotiation, which the listener refuses.
    return Fail(TlsAlert::kUnexpectedMessage, "handshake message after the handshake", out);
  }
  if (content.empty()) {
    return Fail(TlsAlert::kUnexpectedMessage, "empty handshake record", out);
  }
  size_t pos = 0;
  while (pos < content.size()) {
    if (content.size() - pos < 4) {
      return Fail(TlsAlert::kUnexpectedMessage, "handshake message split across records", out);
    }
    const uint8_t msg_type = content[pos];
    const size_t length =
        (size_t{content[pos + 1]} << 16) | (size_t{content[pos + 2]} << 8) | content[pos + 3];
    if (content.size() - pos - 4 < length) {
      return Fail(TlsAlert::kUnexpectedMessage, "handshake message split across records", out);
    }
    if (msg_type != kKeyUpdate) {
      return Fail(TlsAlert::kUnexpectedMessage, "post-handshake message other than KeyUpdate", out);
    }
    if (length != 1) {
      return Fail(TlsAlert::kDecodeError, "malformed KeyUpdate", out);
    }
    const uint8_t request_update = content[pos + 4];
    if (request_update > 1) {
      return Fail(TlsAlert::kIllegalParameter, "KeyUpdate with an unknown request_update", out);
    }
    pos += 5;
    // RFC 8446 §5.1: a message that precedes a key change must end its record.
    if (pos != content.size()) {
      return Fail(TlsAlert::kUnexpectedMessage, "data after KeyUpdate in the same record", out);
    }
    read_.secret = Tls13NextTrafficSecret(aead_, read_.secret);
    read_.keys = Tls13TrafficKeys(aead_, read_.secret);
    read_.sequence = 0;
    if (request_update == 1) {
      // RFC 8446 §4.6.3: our KeyUpdate(update_not_requested) goes under the old keys, before
      // any later application data, which uses the new ones.
      const std::array<uint8_t, 5> reply{kKeyUpdate, 0, 0, 1, 0};
      if (!SealRecord(kHandshake, reply, out.to_send)) {
        return Fail(TlsAlert::kInternalError, "write sequence number exhausted", out);
      }
      write_.secret = Tls13NextTrafficSecret(aead_, write_.secret);
      write_.keys = Tls13TrafficKeys(aead_, write_.secret);
      write_.sequence = 0;
    }
  }
  return true;
}

bool TlsRecordLayer::Fail(TlsAlert alert, std::string reason, Opened& out) {
  if (!ended_) {
    const std::array<uint8_t, 2> record{kFatal, static_cast<uint8_t>(alert)};
    SealRecord(kAlertType, record, out.to_send);
  }
  ended_ = true;
  out.reason = std::move(reason);
  return false;
}

Result<std::vector<uint8_t>> TlsRecordLayer::Seal(std::span<const uint8_t> plaintext) {
  std::vector<uint8_t> out;
  if (ended_) {
    return fg::Fail(ErrorCode::kUnavailable, "the TLS connection ended");
  }
  const size_t records = (plaintext.size() + kMaxPlaintext - 1) / kMaxPlaintext;
  out.reserve(plaintext.size() +
              records * (kHeaderLength + kExplicitNonceLength + 1 + kAeadTagLength));
  for (size_t pos = 0; pos < plaintext.size(); pos += kMaxPlaintext) {
    if (!SealRecord(kApplicationData,
                    plaintext.subspan(pos, std::min(kMaxPlaintext, plaintext.size() - pos)), out)) {
      ended_ = true;
      return fg::Fail(ErrorCode::kUnavailable, "write sequence number exhausted");
    }
  }
  return out;
}

std::vector<uint8_t> TlsRecordLayer::CloseNotify() {
  std::vector<uint8_t> out;
  if (ended_) {
    return out;
  }
  const std::array<uint8_t, 2> alert{kWarning, static_cast<uint8_t>(TlsAlert::kCloseNotify)};
  SealRecord(kAlertType, alert, out);
  ended_ = true;
  return out;
}

bool TlsRecordLayer::SealRecord(uint8_t type, std::span<const uint8_t> content,
                                std::vector<uint8_t>& out) {
  if (write_.sequence == std::numeric_limits<uint64_t>::max()) {
    return false;
  }
  std::array<uint8_t, kAeadNonceLength> nonce{};
  Nonce(write_, nonce);
  const size_t start = out.size();
  if (tls13_) {
    // RFC 8446 §5.2: TLSInnerPlaintext = content || type, no padding; AAD = the header.
    const size_t length = content.size() + 1 + kAeadTagLength;
    const auto header = Header(kApplicationData, length);
    out.resize(start + kHeaderLength + length);
    std::copy(header.begin(), header.end(), out.begin() + static_cast<ptrdiff_t>(start));
    AeadSeal(aead_, write_.keys.key.bytes(), nonce, header, content,
             std::span<const uint8_t>(&type, 1),
             std::span<uint8_t>(out.data() + start + kHeaderLength, length));
  } else {
    const size_t explicit_length = aead_ == TlsAead::kChacha20Poly1305 ? 0 : kExplicitNonceLength;
    const size_t length = explicit_length + content.size() + kAeadTagLength;
    const auto header = Header(type, length);
    std::array<uint8_t, 13> aad{};
    PutUint64(write_.sequence, aad.data());
    aad[8] = type;
    aad[9] = 3;
    aad[10] = 3;
    aad[11] = static_cast<uint8_t>(content.size() >> 8);
    aad[12] = static_cast<uint8_t>(content.size() & 0xff);
    out.resize(start + kHeaderLength + length);
    uint8_t* p = out.data() + start;
    std::copy(header.begin(), header.end(), p);
    // The explicit nonce is the sequence number: unique per key, as RFC 5288 §3 requires.
    std::copy_n(nonce.begin() + 4, explicit_length, p + kHeaderLength);
    AeadSeal(
        aead_, write_.keys.key.bytes(), nonce, aad, content, {},
        std::span<uint8_t>(p + kHeaderLength + explicit_length, content.size() + kAeadTagLength));
  }
  ++write_.sequence;
  return true;
}

void TlsRecordLayer::Nonce(const Direction& d, std::span<uint8_t> nonce) const {
  std::array<uint8_t, 8> seq{};
  PutUint64(d.sequence, seq.data());
  const std::span<const uint8_t> iv = d.keys.iv.bytes();
  if (iv.size() == kAeadNonceLength) {
    // RFC 8446 §5.3 and RFC 7905 §2: the IV XOR the sequence number, left-padded.
    std::copy(iv.begin(), iv.end(), nonce.begin());
    for (size_t i = 0; i < seq.size(); ++i) {
      nonce[4 + i] ^= seq[i];
    }
    return;
  }
  // TLS 1.2 AES-GCM (RFC 5288 §3): salt || explicit nonce, which we choose as the sequence.
  std::copy(iv.begin(), iv.end(), nonce.begin());
  std::copy(seq.begin(), seq.end(), nonce.begin() + 4);
}

}  // namespace fg::net
