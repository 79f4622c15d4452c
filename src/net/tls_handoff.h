#pragma once

// Hands a completed OpenSSL handshake over to fleetguard's record layer (net-internal; no Asio):
// net/tls_record_layer.h then protects the connection's records and the SSL object (about
// 16 KiB per connection) is freed.
//
// TLS 1.3's traffic secrets are not readable through OpenSSL 3.0's API, so the context's keylog
// callback copies the two application traffic secrets into the SSL's ex_data as the handshake
// derives them; the copy is cleared when the SSL is freed. No secret is written anywhere else.
// TLS 1.2 keys come from the session's master secret and the hello randoms.

#include <openssl/ssl.h>

#include "core/result.h"
#include "net/tls_record_layer.h"

namespace fg::net {

// Installs the keylog callback on `ctx`. Call once, before the first SSL is made from it; it
// replaces any other keylog callback. Safe for contexts shared by several threads.
void KeepTrafficSecrets(SSL_CTX& ctx);

// The record layer that continues `ssl`'s connection, if fleetguard can take it over:
// - the handshake completed, without resumption;
// - TLS 1.3 with TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 or TLS_CHACHA20_POLY1305_SHA256,
//   no session tickets (so both sequence numbers are 0), and the secrets were captured; or
//   TLS 1.2 with an ECDHE AES-GCM or ChaCha20-Poly1305 suite and tickets off (sequences 1);
// - OpenSSL holds no received bytes that it has not returned (SSL_has_pending; read-ahead off).
// Otherwise kInvalidArgument with the reason, and the caller keeps using the SSL.
// On success the caller must free `ssl` without SSL_shutdown (which would send with OpenSSL's
// now stale sequence numbers).
Result<TlsRecordLayer> TakeOverRecordLayer(const SSL& ssl);

}  // namespace fg::net
