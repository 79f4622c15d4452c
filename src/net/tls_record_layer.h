#pragma once

// The server side of the TLS record layer after the handshake (net-internal; sans-I/O: bytes in,
// bytes out; no socket, no SSL object, no Asio). OpenSSL runs the handshake; net/tls_handoff.h
// then builds one of these from the negotiated keys and the SSL object is freed, so an idle
// connection keeps only the keys, the IVs, the TLS 1.3 traffic secrets and two sequence
// numbers (about 300 bytes inline) instead of OpenSSL's ~16 KiB.
//
// Supported: TLS 1.3 (RFC 8446 §5) with TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and
// TLS_CHACHA20_POLY1305_SHA256, including KeyUpdate (§4.6.3) in both directions; TLS 1.2 AEAD
// suites (RFC 5246 §6.2.3.3 with RFC 5288's AES-GCM nonce or RFC 7905's ChaCha20 nonce).
// Everything else after the handshake ends the connection with the alert RFC 8446 §6.2 names:
// a post-handshake handshake message other than KeyUpdate (including TLS 1.2 renegotiation),
// change_cipher_spec, records longer than allowed, a tag that does not verify, TLS 1.3 inner
// plaintext of only zeros, a handshake message split across records (legal, but no client does
// it for KeyUpdate, and refusing it keeps the reader free of a handshake buffer).
//
// Memory: a partial incoming record is kept in a heap buffer only while it is partial; nothing
// else is allocated between calls.
//
// Not thread-safe: one connection's strand drives it. Untrusted input never throws.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/tls_traffic_keys.h"

namespace fg::net {

// Alert descriptions this layer sends (RFC 8446 §6).
enum class TlsAlert : uint8_t {
  kCloseNotify = 0,
  kUnexpectedMessage = 10,
  kBadRecordMac = 20,
  kRecordOverflow = 22,
  kIllegalParameter = 47,
  kDecodeError = 50,
  kProtocolVersion = 70,
  kInternalError = 80,
};

class TlsRecordLayer {
 public:
  // TLS 1.3 from the application traffic secrets (client_/server_application_traffic_secret_0).
  // The sequence numbers are those of the next record in each direction: 0 after a handshake
  // that sent no NewSessionTicket.
  static TlsRecordLayer ForTls13(TlsAead aead, const SecretBytes& client_secret,
                                 const SecretBytes& server_secret, uint64_t read_sequence = 0,
                                 uint64_t write_sequence = 0);
  // TLS 1.2 from the session's master secret and the hello randoms. Application data starts at
  // sequence 1 in both directions (each side's Finished was record 0 under these keys).
  static TlsRecordLayer ForTls12(TlsAead aead, std::span<const uint8_t> master_secret,
                                 std::span<const uint8_t> client_random,
                                 std::span<const uint8_t> server_random, uint64_t read_sequence = 1,
                                 uint64_t write_sequence = 1);

  struct Opened {
    std::vector<uint8_t> plaintext;  // application data, in order
    // Records to send before anything sealed later: a KeyUpdate answer, our close_notify or a
    // fatal alert. Queue them after what was sealed earlier.
    std::vector<uint8_t> to_send;
    bool ended = false;  // nothing more will be read or sealed; close after sending to_send
    std::string reason;  // why it ended ("peer sent close_notify", "bad record MAC", ...)
  };

  // Consumes `ciphertext` (any split of the byte stream). After `ended`, further input is
  // ignored and `ended` is reported again.
  Opened Open(std::span<const uint8_t> ciphertext);

  // Protects `plaintext` as application data records of at most 2^14 bytes each. Fails
  // (kUnavailable) once the layer has ended or a sequence number would wrap.
  Result<std::vector<uint8_t>> Seal(std::span<const uint8_t> plaintext);

  // A close_notify alert record, and the layer ends (RFC 8446 §6.1). Empty if it already ended.
  std::vector<uint8_t> CloseNotify();

  bool tls13() const { return tls13_; }
  bool ended() const { return ended_; }
  size_t buffered_bytes() const { return partial_.size(); }
  uint64_t read_sequence() const { return read_.sequence; }
  uint64_t write_sequence() const { return write_.sequence; }

 private:
  struct Direction {
    SecretBytes secret;  // TLS 1.3 only: the current application traffic secret
    TrafficKeys keys;
    uint64_t sequence = 0;
  };

  TlsRecordLayer(bool tls13, TlsAead aead) : tls13_(tls13), aead_(aead) {}

  // Processes whole records from the front of `data`; returns the bytes consumed.
  size_t OpenRecords(std::span<const uint8_t> data, Opened& out);
  // One record; false once the layer ended.
  bool OpenRecord(uint8_t type, std::span<const uint8_t> header, std::span<const uint8_t> body,
                  Opened& out);
  bool OnAlert(std::span<const uint8_t> content, Opened& out);
  bool OnHandshake(std::span<const uint8_t> content, Opened& out);
  // Sends a fatal alert (as far as it can still be protected) and ends.
  bool Fail(TlsAlert alert, std::string reason, Opened& out);
  // Appends one protected record of `type` to `out`. False if the write sequence is exhausted.
  bool SealRecord(uint8_t type, std::span<const uint8_t> content, std::vector<uint8_t>& out);
  void Nonce(const Direction& d, std::span<uint8_t> nonce) const;

  bool tls13_;
  bool ended_ = false;
  TlsAead aead_;
  Direction read_;
  Direction write_;
  std::vector<uint8_t> partial_;  // an incomplete record; empty (no capacity) otherwise
};

}  // namespace fg::net
