#include "net/mqtt_tls.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "gateway/auth_decision.h"
#include "net/tls_handoff.h"
#include "pki/crypto_error.h"

namespace fg::net {
namespace {

// Replaces OpenSSL's chain verification (SSL_CTX_set_cert_verify_callback): trust is decided by
// gateway::Authenticator against the registry, which OpenSSL's store cannot express (per
// account, changing at run time). Returning 1 keeps the chain the client sent; possession of
// the leaf's key is still proved by CertificateVerify, which this callback does not affect.
int AcceptChainForAuthenticator(X509_STORE_CTX* /*ctx*/, void* /*arg*/) { return 1; }

// Selects AWS's MQTT-over-443 protocol id when offered (RFC 7301 §3.2). Anything else proceeds
// without ALPN rather than failing the handshake: the refusal is the authenticator's, so it is
// logged like every other.
int SelectMqttAlpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen,
                   const unsigned char* in, unsigned int inlen, void* /*arg*/) {
  unsigned int i = 0;
  while (i < inlen) {
    const unsigned int len = in[i];
    if (len == 0 || i + 1 + len > inlen) {
      break;
    }
    std::string_view offered(reinterpret_cast<const char*>(in + i + 1), len);
    if (offered == gateway::kMqttAlpn) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Ciphers =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";

// The client leaf's bytes as they arrived, from the Certificate message until InspectPeer takes
// them: OpenSSL keeps only its parse, and the certificate id must be the hash of what the device
// sent (pki::Certificate::FromReceived). Owned by the SSL's ex_data slot while there.
void FreeReceivedLeaf(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*index*/,
                      long /*argl*/, void* /*argp*/) {
  std::unique_ptr<std::string> owned(static_cast<std::string*>(ptr));
}

int ReceivedLeafIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &FreeReceivedLeaf);
  return index;
}

uint32_t ReadUint24(std::span<const uint8_t> in, size_t at) {
  return (uint32_t{in[at]} << 16) | (uint32_t{in[at + 1]} << 8) | uint32_t{in[at + 2]};
}

// The first certificate_list entry of a Certificate handshake message (header included):
// RFC 8446 §4.4.2 (a certificate_request_context first) or RFC 5246 §7.4.2. Empty if the
// message is malformed or the list is empty; OpenSSL then fails the handshake itself.
std::string_view FirstCertificate(std::span<const uint8_t> msg, bool tls13) {
  size_t pos = 4;  // msg_type, uint24 length
  if (tls13) {
    if (pos >= msg.size()) {
      return {};
    }
    pos += 1 + size_t{msg[pos]};
  }
  if (pos + 6 > msg.size()) {  // uint24 list length, uint24 first entry length
    return {};
  }
  const size_t cert_len = ReadUint24(msg, pos + 3);
  pos += 6;
  if (cert_len == 0 || cert_len > msg.size() - pos) {
    return {};
  }
  return {reinterpret_cast<const char*>(msg.data() + pos), cert_len};
}

// SSL_CTX_set_msg_callback: sees each handshake message as received, before OpenSSL parses it.
void KeepReceivedLeaf(int write_p, int version, int content_type, const void* buf, size_t len,
                      SSL* ssl, void* /*arg*/) {
  if (write_p != 0 || content_type != SSL3_RT_HANDSHAKE || len < 4 ||
      static_cast<const uint8_t*>(buf)[0] != SSL3_MT_CERTIFICATE) {
    return;
  }
  const std::string_view leaf =
      FirstCertificate({static_cast<const uint8_t*>(buf), len}, version == TLS1_3_VERSION);
  if (leaf.empty()) {
    return;
  }
  // No exception may unwind through OpenSSL's frames; without the copy the authenticator
  // refuses the connection.
  try {
    auto copy = std::make_unique<std::string>(leaf);
    void* previous = SSL_get_ex_data(ssl, ReceivedLeafIndex());
    if (SSL_set_ex_data(ssl, ReceivedLeafIndex(), copy.get()) != 1) {
      ERR_clear_error();
      return;
    }
    copy.release();
    std::unique_ptr<std::string> replaced(static_cast<std::string*>(previous));
  } catch (...) {
  }
}

}  // namespace

Result<pki::SslCtxPtr> MakeMqttServerContext(const std::string& cert_file,
                                             const std::string& key_file) {
  ERR_clear_error();
  pki::SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    return Fail(ErrorCode::kInternal, "SSL_CTX_new: " + pki::LastCryptoError());
  }
  SSL_CTX* c = ctx.get();
  if (SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_session_id_context(c, reinterpret_cast<const unsigned char*>("fg-mqtt"), 7) !=
          1 ||
      SSL_CTX_set_num_tickets(c, 0) != 1 ||
      // Only AEAD suites with ECDHE, all of which net/tls_record_layer.h implements (TLS 1.3's
      // list is OpenSSL's default, spelled out so that a changed default cannot widen it).
      SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(c, kTls13Ciphers) != 1) {
    return Fail(ErrorCode::kInternal,
                "cannot configure the TLS context: " + pki::LastCryptoError());
  }
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                             SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(c, &AcceptChainForAuthenticator, nullptr);
  SSL_CTX_set_alpn_select_cb(c, &SelectMqttAlpn, nullptr);
  if (ReceivedLeafIndex() < 0) {
    return Fail(ErrorCode::kInternal, "SSL_get_ex_new_index: " + pki::LastCryptoError());
  }
  SSL_CTX_set_msg_callback(c, &KeepReceivedLeaf);
  KeepTrafficSecrets(*c);

  if (SSL_CTX_use_certificate_chain_file(c, cert_file.c_str()) != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load TLS certificate chain " + cert_file + ": " + pki::LastCryptoError());
  }
  if (SSL_CTX_use_PrivateKey_file(c, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load TLS private key " + key_file + ": " + pki::LastCryptoError());
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    ERR_clear_error();
    return Fail(ErrorCode::kInvalidArgument, "TLS private key does not match the certificate");
  }
  return ctx;
}

TlsPeer InspectPeer(SSL& ssl) {
  TlsPeer peer;
  if (const char* name = SSL_get_servername(&ssl, TLSEXT_NAMETYPE_host_name); name != nullptr) {
    peer.server_name = name;
  }
  // Borrowed from the SSL session; the reference taken here lets the peer outlive it.
  if (X509* leaf = SSL_get0_peer_certificate(&ssl); leaf != nullptr) {
    pki::CheckCrypto(X509_up_ref(leaf) == 1, "X509_up_ref");
    peer.leaf.reset(leaf);
  }
  if (void* received = SSL_get_ex_data(&ssl, ReceivedLeafIndex()); received != nullptr) {
    if (SSL_set_ex_data(&ssl, ReceivedLeafIndex(), nullptr) == 1) {
      std::unique_ptr<std::string> owned(static_cast<std::string*>(received));
      if (peer.leaf != nullptr) {
        peer.leaf_der = std::move(*owned);
      }
    }
  }
  SSL_set_msg_callback(&ssl, nullptr);
  const unsigned char* alpn = nullptr;
  unsigned int alpn_len = 0;
  SSL_get0_alpn_selected(&ssl, &alpn, &alpn_len);
  if (alpn != nullptr) {
    peer.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_len);
  }
  return peer;
}

bool HandshakeFailedForMissingCertificate() {
  // ERR_peek_error looks at the oldest error without removing it.
  const unsigned long err = ERR_peek_error();
  return ERR_GET_LIB(err) == ERR_LIB_SSL &&
         ERR_GET_REASON(err) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

}  // namespace fg::net
