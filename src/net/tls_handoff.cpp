#include "net/tls_handoff.h"

#include <array>
#include <cstring>
#include <memory>
#include <string_view>

#include <openssl/crypto.h>

#include "net/tls_traffic_keys.h"

namespace fg::net {
namespace {

struct CapturedSecrets {
  SecretBytes client;  // client_application_traffic_secret_0
  SecretBytes server;  // server_application_traffic_secret_0
};

// CRYPTO_EX_free: runs inside SSL_free; SecretBytes clears itself.
void FreeCapturedSecrets(void* /*parent*/, void* ptr, CRYPTO_EX_DATA* /*ad*/, int /*idx*/,
                         long /*argl*/, void* /*argp*/) {
  std::unique_ptr<CapturedSecrets> owned(static_cast<CapturedSecrets*>(ptr));
}

int SecretsIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &FreeCapturedSecrets);
  return index;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// NSS key log format: "<LABEL> <client_random hex> <secret hex>". OpenSSL clears the line after
// the callback; the decoded bytes live only on the stack (cleared) and in SecretBytes.
void OnKeyLogLine(const SSL* ssl, const char* line) {
  const std::string_view text(line);
  const size_t first = text.find(' ');
  const size_t last = text.rfind(' ');
  if (first == std::string_view::npos || last == first) {
    return;
  }
  const std::string_view label = text.substr(0, first);
  const bool client = label == "CLIENT_TRAFFIC_SECRET_0";
  if (!client && label != "SERVER_TRAFFIC_SECRET_0") {
    return;
  }
  const std::string_view hex = text.substr(last + 1);
  if (hex.size() % 2 != 0 || hex.size() / 2 > SecretBytes::kMaxSize) {
    return;
  }
  std::array<uint8_t, SecretBytes::kMaxSize> bytes{};
  const size_t size = hex.size() / 2;
  bool ok = true;
  for (size_t i = 0; i < size; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    ok = ok && hi >= 0 && lo >= 0;
    bytes[i] = static_cast<uint8_t>(((hi & 0xf) << 4) | (lo & 0xf));
  }
  auto* secrets = static_cast<CapturedSecrets*>(SSL_get_ex_data(ssl, SecretsIndex()));
  if (ok && secrets == nullptr) {
    auto fresh = std::make_unique<CapturedSecrets>();
    // The callback gets a const SSL, but it is the connection's own, not shared.
    if (SSL_set_ex_data(const_cast<SSL*>(ssl), SecretsIndex(), fresh.get()) == 1) {
      secrets = fresh.release();
    }
  }
  if (ok && secrets != nullptr) {
    (client ? secrets->client : secrets->server) =
        SecretBytes(std::span<const uint8_t>(bytes.data(), size));
  }
  OPENSSL_cleanse(bytes.data(), bytes.size());
}

Result<TlsAead> Tls13Aead(uint16_t suite) {
  switch (suite) {
    case 0x1301:
      return TlsAead::kAes128Gcm;
    case 0x1302:
      return TlsAead::kAes256Gcm;
    case 0x1303:
      return TlsAead::kChacha20Poly1305;
    default:
      return Fail(ErrorCode::kInvalidArgument, "TLS 1.3 cipher suite not supported");
  }
}

Result<TlsAead> Tls12Aead(uint16_t suite) {
  switch (suite) {
    case 0xC02B:  // ECDHE-ECDSA-AES128-GCM-SHA256
    case 0xC02F:  // ECDHE-RSA-AES128-GCM-SHA256
      return TlsAead::kAes128Gcm;
    case 0xC02C:  // ECDHE-ECDSA-AES256-GCM-SHA384
    case 0xC030:  // ECDHE-RSA-AES256-GCM-SHA384
      return TlsAead::kAes256Gcm;
    case 0xCCA8:  // ECDHE-RSA-CHACHA20-POLY1305
    case 0xCCA9:  // ECDHE-ECDSA-CHACHA20-POLY1305
      return TlsAead::kChacha20Poly1305;
    default:
      return Fail(ErrorCode::kInvalidArgument, "TLS 1.2 cipher suite not supported");
  }
}

Result<TlsRecordLayer> Tls13Layer(const SSL& ssl, uint16_t suite) {
  auto aead = Tls13Aead(suite);
  if (!aead) {
    return Fail(aead.error());
  }
  // A ticket would have been sent under the application keys and moved the write sequence.
  if (SSL_get_num_tickets(&ssl) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "session tickets are enabled");
  }
  const auto* secrets = static_cast<const CapturedSecrets*>(SSL_get_ex_data(&ssl, SecretsIndex()));
  if (secrets == nullptr || secrets->client.size() != AeadHashLength(*aead) ||
      secrets->server.size() != AeadHashLength(*aead)) {
    return Fail(ErrorCode::kInvalidArgument, "traffic secrets were not captured");
  }
  return TlsRecordLayer::ForTls13(*aead, secrets->client, secrets->server);
}

Result<TlsRecordLayer> Tls12Layer(const SSL& ssl, uint16_t suite) {
  auto aead = Tls12Aead(suite);
  if (!aead) {
    return Fail(aead.error());
  }
  if ((SSL_get_options(&ssl) & SSL_OP_NO_TICKET) == 0) {
    return Fail(ErrorCode::kInvalidArgument, "session tickets are enabled");
  }
  const SSL_SESSION* session = SSL_get_session(&ssl);
  if (session == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no session");
  }
  std::array<uint8_t, SSL_MAX_MASTER_KEY_LENGTH> master{};
  std::array<uint8_t, SSL3_RANDOM_SIZE> client_random{};
  std::array<uint8_t, SSL3_RANDOM_SIZE> server_random{};
  const size_t master_len = SSL_SESSION_get_master_key(session, master.data(), master.size());
  const bool ok = master_len == SSL_MAX_MASTER_KEY_LENGTH &&
                  SSL_get_client_random(&ssl, client_random.data(), client_random.size()) ==
                      client_random.size() &&
                  SSL_get_server_random(&ssl, server_random.data(), server_random.size()) ==
                      server_random.size();
  if (!ok) {
    OPENSSL_cleanse(master.data(), master.size());
    return Fail(ErrorCode::kInvalidArgument, "no master secret");
  }
  TlsRecordLayer layer = TlsRecordLayer::ForTls12(*aead, master, client_random, server_random);
  OPENSSL_cleanse(master.data(), master.size());
  return layer;
}

}  // namespace

void KeepTrafficSecrets(SSL_CTX& ctx) {
  SecretsIndex();  // allocated before the first handshake, not inside one
  SSL_CTX_set_keylog_callback(&ctx, &OnKeyLogLine);
}

Result<TlsRecordLayer> TakeOverRecordLayer(const SSL& ssl) {
  if (SSL_is_init_finished(&ssl) != 1) {
    return Fail(ErrorCode::kInvalidArgument, "the handshake has not completed");
  }
  if (SSL_session_reused(&ssl) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "resumed session");
  }
  // Bytes OpenSSL read but did not return would be lost, or decrypted with the wrong keys.
  if (SSL_has_pending(&ssl) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "OpenSSL holds unread bytes");
  }
  const SSL_CIPHER* cipher = SSL_get_current_cipher(&ssl);
  if (cipher == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no cipher");
  }
  const uint16_t suite = SSL_CIPHER_get_protocol_id(cipher);
  switch (SSL_version(&ssl)) {
    case TLS1_3_VERSION:
      return Tls13Layer(ssl, suite);
    case TLS1_2_VERSION:
      return Tls12Layer(ssl, suite);
    default:
      return Fail(ErrorCode::kInvalidArgument, "TLS version not supported");
  }
}

}  // namespace fg::net
