#pragma once

// A device connection's TLS data phase on its non-blocking socket (net-internal; no Asio: the
// connection waits for readiness with Asio and then calls these). After the handshake the
// connection gets one of two implementations:
// - fleetguard's record layer (net/tls_record_layer.h) when net/tls_handoff.h can take the
//   connection over; the SSL object is freed, and the channel keeps only the keys, a partial
//   incoming record while one is partial, and unsent ciphertext until it is sent;
// - OpenSSL's SSL otherwise (an unsupported suite, bytes OpenSSL already buffered, or the
//   hand-off turned off), as before.
//
// Not thread-safe: the connection's strand drives it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pki/openssl_ptr.h"

namespace fg::net {

class TlsChannel {
 public:
  enum class Io : uint8_t {
    kDone,       // Read: this read's plaintext is returned; Flush: everything queued was written
    kWantRead,   // wait until the socket is readable, then call again
    kWantWrite,  // wait until the socket is writable, then call again
    kEnded,      // the peer closed, the transport failed or TLS failed: close the connection
  };
  struct ReadResult {
    Io io = Io::kDone;
    // Plaintext from this read; may be non-empty with kEnded (data before a close_notify),
    // which the caller should still process.
    std::vector<uint8_t> plaintext;
  };

  virtual ~TlsChannel() = default;

  // One read from the socket.
  virtual ReadResult Read() = 0;
  // Adds `plaintext` to what Flush() writes. False if it can no longer be sent (TLS ended).
  virtual bool Queue(std::span<const uint8_t> plaintext) = 0;
  // Bytes queued and not yet written (ciphertext for the record layer, plaintext for OpenSSL).
  virtual size_t queued_bytes() const = 0;
  // Writes what is queued; releases the buffer once all is written.
  virtual Io Flush() = 0;
  // Queues a close_notify and makes one non-blocking attempt to write what is queued (RFC 8446
  // §6.1 lets us close without waiting for the peer's answer).
  virtual void CloseNotify() = 0;
  // True if fleetguard's record layer runs this connection.
  virtual bool own_record_layer() const = 0;
};

// The data phase after `ssl`'s completed handshake on `fd`, which stays owned by the caller
// (close it only after destroying the channel). With `take_over`, uses our record layer when
// TakeOverRecordLayer allows and frees `ssl`; `*fallback_reason` (if given) then says why not
// when it could not.
std::unique_ptr<TlsChannel> MakeTlsChannel(pki::SslPtr ssl, int fd, bool take_over,
                                           std::string* fallback_reason = nullptr);

}  // namespace fg::net
