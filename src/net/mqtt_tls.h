#pragma once

// The OpenSSL side of the device listener (net-internal; no Asio types): the server SSL_CTX and
// what the handshake tells about the client.
//
// Trust policy: the client certificate is REQUESTED and REQUIRED at the TLS layer (a client
// without one fails the handshake), but OpenSSL does not judge its chain: which certificates
// are trusted is per account and changes at run time, so gateway::Authenticator decides after
// the handshake. The handshake itself still proves that the client holds the leaf's private key
// (CertificateVerify).
//
// Memory: SSL_MODE_RELEASE_BUFFERS frees a connection's record buffers while it is idle, and
// neither a session cache nor session tickets are kept (resumption would also hand the
// authenticator a session's stored chain instead of what the device sent). After the handshake
// fleetguard usually takes the record layer over and frees the SSL (net/tls_channel.h); the
// context therefore allows only the AEAD suites that record layer implements (ECDHE with
// AES-GCM or ChaCha20-Poly1305 in TLS 1.2; the three default TLS 1.3 suites) and keeps the
// TLS 1.3 traffic secrets of each handshake for the hand-off (net/tls_handoff.h).

#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_ptr.h"

namespace fg::net {

// A TLS 1.2/1.3 server context with `cert_file` (PEM chain, leaf first) and `key_file`.
// Clients that offer ALPN "x-amzn-mqtt-ca" get it selected; other ALPN offers are ignored (the
// authenticator refuses a 443-style connection without it). Errors: kInvalidArgument (files
// unreadable, key does not match), kInternal (OpenSSL refused a setting).
Result<pki::SslCtxPtr> MakeMqttServerContext(const std::string& cert_file,
                                             const std::string& key_file);

// What a completed handshake says about the client. Owns what it holds (the leaf by its own
// reference), so it outlives the SSL. Other certificates the client sent are not kept: only the
// registered CA is trusted (gateway/authenticator.h).
struct TlsPeer {
  std::string server_name;  // SNI; empty if none was sent
  pki::X509Ptr leaf;        // the client's certificate as the handshake parsed it; null if none
  std::string leaf_der;     // the bytes the client sent for it (see below); empty if unseen
  std::string alpn;         // the selected protocol; empty if none
};

// REQUIRES: the handshake on `ssl` completed; `ssl` was made from MakeMqttServerContext's
// context, whose message callback keeps a copy of the leaf's bytes as they arrived in the
// client's Certificate message (OpenSSL keeps only its parse, and its re-encoding of that need
// not be what the client sent). Hands that copy over and stops the callback for the rest of the
// connection.
TlsPeer InspectPeer(SSL& ssl);

// True if this thread's OpenSSL error queue says the handshake failed because the client sent
// no certificate. Leaves the queue untouched.
bool HandshakeFailedForMissingCertificate();

}  // namespace fg::net
