#include "net/tls_handoff.h"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "net/mqtt_tls.h"
#include "net/tls_record_layer.h"
#include "pki/openssl_ptr.h"

namespace fg::net {
namespace {

std::string PkiFixture(const std::string& name) {
  return std::string(FG_SOURCE_DIR) + "/tests/fixtures/pki/" + name;
}

std::vector<uint8_t> Bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) {
    bytes[i] = static_cast<uint8_t>(i * 31 + seed);
  }
  return bytes;
}

struct PairOptions {
  std::string server_identity = "device-rsa-3";  // fixture used as the server certificate
  int version = TLS1_3_VERSION;
  std::string cipher = "TLS_AES_128_GCM_SHA256";  // TLS 1.3 suite or TLS 1.2 cipher list
  // Changes the server's context or SSL before the handshake (to make a hand-off impossible).
  std::function<void(SSL_CTX&)> server_ctx_setup;
  std::function<void(SSL&)> server_setup;
};

// A real OpenSSL client and our server context, over memory BIOs: no sockets.
class TlsPair {
 public:
  explicit TlsPair(const PairOptions& options) {
    auto server_ctx = MakeMqttServerContext(PkiFixture(options.server_identity + ".pem"),
                                            PkiFixture(options.server_identity + ".key"));
    EXPECT_TRUE(server_ctx.has_value());
    if (!server_ctx) {
      return;
    }
    server_ctx_ = std::move(*server_ctx);
    if (options.server_ctx_setup) {
      options.server_ctx_setup(*server_ctx_);
    }
    client_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX* c = client_ctx_.get();
    SSL_CTX_set_security_level(c, 0);
    EXPECT_EQ(SSL_CTX_set_min_proto_version(c, options.version), 1);
    EXPECT_EQ(SSL_CTX_set_max_proto_version(c, options.version), 1);
    if (options.version == TLS1_3_VERSION) {
      EXPECT_EQ(SSL_CTX_set_ciphersuites(c, options.cipher.c_str()), 1);
    } else {
      EXPECT_EQ(SSL_CTX_set_cipher_list(c, options.cipher.c_str()), 1);
    }
    EXPECT_EQ(
        SSL_CTX_use_certificate_file(c, PkiFixture("device-ec-1.pem").c_str(), SSL_FILETYPE_PEM),
        1);
    EXPECT_EQ(
        SSL_CTX_use_PrivateKey_file(c, PkiFixture("device-ec-1.key").c_str(), SSL_FILETYPE_PEM), 1);
    client_.reset(SSL_new(c));
    server_.reset(SSL_new(server_ctx_.get()));
    if (options.server_setup) {
      options.server_setup(*server_);
    }
    client_in_ = BIO_new(BIO_s_mem());
    client_out_ = BIO_new(BIO_s_mem());
    server_in_ = BIO_new(BIO_s_mem());
    server_out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(client_.get(), client_in_, client_out_);  // the SSLs own the BIOs
    SSL_set_bio(server_.get(), server_in_, server_out_);
    SSL_set_connect_state(client_.get());
    SSL_set_accept_state(server_.get());
  }

  // Runs both handshakes to completion. `before_server_finishes` runs once the client is done
  // and before the server has read the client's last flight.
  bool Handshake(const std::function<void()>& before_server_finishes = nullptr) {
    bool client_done = false;
    for (int i = 0; i < 20; ++i) {
      const bool was_done = client_done;
      client_done = SSL_do_handshake(client_.get()) == 1;
      if (client_done && !was_done && before_server_finishes) {
        before_server_finishes();
      }
      Move(client_out_, server_in_);
      const bool server_done = SSL_do_handshake(server_.get()) == 1;
      Move(server_out_, client_in_);
      if (client_done && server_done) {
        return true;
      }
    }
    return false;
  }

  // What the client wrote, as the server's socket would receive it.
  std::vector<uint8_t> FromClient() { return Drain(client_out_); }
  void ToClient(const std::vector<uint8_t>& bytes) {
    ASSERT_EQ(BIO_write(client_in_, bytes.data(), static_cast<int>(bytes.size())),
              static_cast<int>(bytes.size()));
  }
  // Reads exactly n bytes of plaintext at the client.
  std::vector<uint8_t> ClientRead(size_t n) {
    std::vector<uint8_t> out(n);
    size_t got = 0;
    while (got < n) {
      size_t r = 0;
      if (SSL_read_ex(client_.get(), out.data() + got, n - got, &r) != 1) {
        ADD_FAILURE() << "client read failed: " << SSL_get_error(client_.get(), 0);
        break;
      }
      got += r;
    }
    out.resize(got);
    return out;
  }
  void ClientWrite(const std::vector<uint8_t>& bytes) {
    size_t written = 0;
    ASSERT_EQ(SSL_write_ex(client_.get(), bytes.data(), bytes.size(), &written), 1);
    ASSERT_EQ(written, bytes.size());
  }

  SSL& client() { return *client_; }
  SSL& server() { return *server_; }
  void FreeServer() { server_.reset(); }

 private:
  static std::vector<uint8_t> Drain(BIO* bio) {
    std::vector<uint8_t> out(static_cast<size_t>(BIO_ctrl_pending(bio)));
    if (!out.empty()) {
      EXPECT_EQ(BIO_read(bio, out.data(), static_cast<int>(out.size())),
                static_cast<int>(out.size()));
    }
    return out;
  }
  static void Move(BIO* from, BIO* to) {
    std::vector<uint8_t> bytes = Drain(from);
    if (!bytes.empty()) {
      EXPECT_EQ(BIO_write(to, bytes.data(), static_cast<int>(bytes.size())),
                static_cast<int>(bytes.size()));
    }
  }

  pki::SslCtxPtr server_ctx_;
  pki::SslCtxPtr client_ctx_;
  pki::SslPtr client_;
  pki::SslPtr server_;
  BIO* client_in_ = nullptr;  // owned by client_
  BIO* client_out_ = nullptr;
  BIO* server_in_ = nullptr;  // owned by server_
  BIO* server_out_ = nullptr;
};

// Opens `ciphertext` in uneven pieces and returns the plaintext; fails the test if it ends.
std::vector<uint8_t> OpenAll(TlsRecordLayer& layer, const std::vector<uint8_t>& ciphertext) {
  std::vector<uint8_t> plaintext;
  for (size_t pos = 0; pos < ciphertext.size(); pos += 1000) {
    auto opened = layer.Open(std::span<const uint8_t>(ciphertext)
                                 .subspan(pos, std::min<size_t>(1000, ciphertext.size() - pos)));
    EXPECT_FALSE(opened.ended) << opened.reason;
    EXPECT_TRUE(opened.to_send.empty());
    plaintext.insert(plaintext.end(), opened.plaintext.begin(), opened.plaintext.end());
  }
  return plaintext;
}

struct SuiteCase {
  std::string name;
  std::string server_identity;
  int version;
  std::string cipher;
};
void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.name; }

class TlsHandoffRoundTrip : public ::testing::TestWithParam<SuiteCase> {
 protected:
  PairOptions Options() const {
    PairOptions options;
    options.server_identity = GetParam().server_identity;
    options.version = GetParam().version;
    options.cipher = GetParam().cipher;
    return options;
  }
};

TEST_P(TlsHandoffRoundTrip, CarriesDataBothWaysAndClosesWithCloseNotify) {
  TlsPair pair(Options());
  ASSERT_TRUE(pair.Handshake());
  auto layer = TakeOverRecordLayer(pair.server());
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  EXPECT_EQ(layer->tls13(), GetParam().version == TLS1_3_VERSION);
  pair.FreeServer();  // from here on only our layer speaks for the server

  // Client to server: sizes around the 2^14 record limit, then many small records.
  for (size_t size : {size_t{1}, size_t{100}, size_t{16384}, size_t{16385}, size_t{40000}}) {
    const std::vector<uint8_t> message = Bytes(size, static_cast<uint8_t>(size));
    pair.ClientWrite(message);
    EXPECT_EQ(OpenAll(*layer, pair.FromClient()), message) << size;
  }
  for (int i = 0; i < 50; ++i) {
    pair.ClientWrite(Bytes(7, static_cast<uint8_t>(i)));
  }
  std::vector<uint8_t> expected;
  for (int i = 0; i < 50; ++i) {
    const std::vector<uint8_t> part = Bytes(7, static_cast<uint8_t>(i));
    expected.insert(expected.end(), part.begin(), part.end());
  }
  EXPECT_EQ(OpenAll(*layer, pair.FromClient()), expected);

  // Server to client.
  for (size_t size : {size_t{1}, size_t{16384}, size_t{40000}}) {
    const std::vector<uint8_t> message = Bytes(size, 3);
    auto sealed = layer->Seal(message);
    ASSERT_TRUE(sealed.has_value());
    pair.ToClient(*sealed);
    EXPECT_EQ(pair.ClientRead(size), message) << size;
  }

  // The client closes; we answer with our close_notify, which the client accepts.
  ASSERT_GE(SSL_shutdown(&pair.client()), 0);
  auto closed = layer->Open(pair.FromClient());
  EXPECT_TRUE(closed.ended);
  EXPECT_EQ(closed.reason, "peer sent close_notify");
  ASSERT_FALSE(closed.to_send.empty());
  pair.ToClient(closed.to_send);
  EXPECT_EQ(SSL_shutdown(&pair.client()), 1);  // both close_notify alerts exchanged
}

TEST_P(TlsHandoffRoundTrip, ServerCloseNotifyEndsTheClientsStream) {
  TlsPair pair(Options());
  ASSERT_TRUE(pair.Handshake());
  auto layer = TakeOverRecordLayer(pair.server());
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  pair.FreeServer();
  auto sealed = layer->Seal(Bytes(10, 1));
  ASSERT_TRUE(sealed.has_value());
  std::vector<uint8_t> bytes = *sealed;
  const std::vector<uint8_t> close = layer->CloseNotify();
  bytes.insert(bytes.end(), close.begin(), close.end());
  pair.ToClient(bytes);
  EXPECT_EQ(pair.ClientRead(10), Bytes(10, 1));
  char c = 0;
  size_t n = 0;
  EXPECT_EQ(SSL_read_ex(&pair.client(), &c, 1, &n), 0);
  EXPECT_EQ(SSL_get_error(&pair.client(), 0), SSL_ERROR_ZERO_RETURN);
}

TEST_P(TlsHandoffRoundTrip, TamperedRecordGetsBadRecordMac) {
  TlsPair pair(Options());
  ASSERT_TRUE(pair.Handshake());
  auto layer = TakeOverRecordLayer(pair.server());
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  pair.FreeServer();
  pair.ClientWrite(Bytes(64, 9));
  std::vector<uint8_t> record = pair.FromClient();
  record[record.size() / 2] ^= 0x80;
  auto opened = layer->Open(record);
  EXPECT_TRUE(opened.ended);
  EXPECT_EQ(opened.reason, "bad record MAC");
  EXPECT_TRUE(opened.plaintext.empty());
  pair.ToClient(opened.to_send);
  char c = 0;
  size_t n = 0;
  EXPECT_EQ(SSL_read_ex(&pair.client(), &c, 1, &n), 0);
  EXPECT_EQ(SSL_get_error(&pair.client(), 0), SSL_ERROR_SSL);  // the client saw a fatal alert
}

INSTANTIATE_TEST_SUITE_P(
    Suites, TlsHandoffRoundTrip,
    ::testing::Values(
        SuiteCase{"tls13_aes128_gcm", "device-rsa-3", TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256"},
        SuiteCase{"tls13_aes256_gcm", "device-rsa-3", TLS1_3_VERSION, "TLS_AES_256_GCM_SHA384"},
        SuiteCase{"tls13_chacha20", "device-ec-2", TLS1_3_VERSION, "TLS_CHACHA20_POLY1305_SHA256"},
        SuiteCase{"tls12_rsa_aes128_gcm", "device-rsa-3", TLS1_2_VERSION,
                  "ECDHE-RSA-AES128-GCM-SHA256"},
        SuiteCase{"tls12_rsa_aes256_gcm", "device-rsa-3", TLS1_2_VERSION,
                  "ECDHE-RSA-AES256-GCM-SHA384"},
        SuiteCase{"tls12_rsa_chacha20", "device-rsa-3", TLS1_2_VERSION,
                  "ECDHE-RSA-CHACHA20-POLY1305"},
        SuiteCase{"tls12_ecdsa_aes128_gcm", "device-ec-2", TLS1_2_VERSION,
                  "ECDHE-ECDSA-AES128-GCM-SHA256"},
        SuiteCase{"tls12_ecdsa_aes256_gcm", "device-ec-2", TLS1_2_VERSION,
                  "ECDHE-ECDSA-AES256-GCM-SHA384"},
        SuiteCase{"tls12_ecdsa_chacha20", "device-ec-2", TLS1_2_VERSION,
                  "ECDHE-ECDSA-CHACHA20-POLY1305"}),
    [](const ::testing::TestParamInfo<SuiteCase>& p) { return p.param.name; });

// RFC 8446 §4.6.3, driven by OpenSSL's client (SSL_key_update), several times in a row.
class TlsHandoffKeyUpdate : public ::testing::TestWithParam<bool> {};

TEST_P(TlsHandoffKeyUpdate, FollowsTheClientsKeyUpdates) {
  const bool requested = GetParam();
  for (const char* suite :
       {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
    PairOptions options;
    options.cipher = suite;
    TlsPair pair(options);
    ASSERT_TRUE(pair.Handshake());
    auto layer = TakeOverRecordLayer(pair.server());
    ASSERT_TRUE(layer.has_value()) << layer.error().message;
    pair.FreeServer();
    for (int round = 0; round < 3; ++round) {
      ASSERT_EQ(SSL_key_update(&pair.client(),
                               requested ? SSL_KEY_UPDATE_REQUESTED : SSL_KEY_UPDATE_NOT_REQUESTED),
                1);
      const std::vector<uint8_t> message = Bytes(300, static_cast<uint8_t>(round));
      pair.ClientWrite(message);  // sends the KeyUpdate first, then the data under new keys
      auto opened = layer->Open(pair.FromClient());
      ASSERT_FALSE(opened.ended) << suite << ": " << opened.reason;
      EXPECT_EQ(opened.plaintext, message);
      EXPECT_EQ(layer->read_sequence(), 1u) << "new keys start at sequence 0";
      EXPECT_EQ(opened.to_send.empty(), !requested);
      // Our answer (if any) then data: the client must read both under the keys we claim.
      auto sealed = layer->Seal(Bytes(500, 7));
      ASSERT_TRUE(sealed.has_value());
      std::vector<uint8_t> to_client = opened.to_send;
      to_client.insert(to_client.end(), sealed->begin(), sealed->end());
      pair.ToClient(to_client);
      EXPECT_EQ(pair.ClientRead(500), Bytes(500, 7)) << suite;
      EXPECT_EQ(layer->write_sequence(), requested ? 1u : static_cast<uint64_t>(round + 1));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Requested, TlsHandoffKeyUpdate, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "update_requested" : "update_not_requested";
                         });

struct RefusalCase {
  std::string name;
  PairOptions options;
  bool read_ahead_data = false;  // the client sends data before the server finishes
  bool complete = true;          // run the handshake
  std::string reason;
};
void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class TlsHandoffRefuses : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(TlsHandoffRefuses, AndOpenSslKeepsTheConnection) {
  const RefusalCase& c = GetParam();
  TlsPair pair(c.options);
  if (c.complete) {
    ASSERT_TRUE(pair.Handshake([&] {
      if (c.read_ahead_data) {
        pair.ClientWrite(Bytes(20, 1));
      }
    }));
  }
  auto layer = TakeOverRecordLayer(pair.server());
  ASSERT_FALSE(layer.has_value());
  EXPECT_EQ(layer.error().message, c.reason);
}

PairOptions WithServer(std::function<void(SSL&)> setup) {
  PairOptions options;
  options.server_setup = std::move(setup);
  return options;
}

PairOptions WithServerContext(std::function<void(SSL_CTX&)> setup) {
  PairOptions options;
  options.server_ctx_setup = std::move(setup);
  return options;
}

PairOptions WithCiphers(int version, std::string client, std::string server) {
  PairOptions options;
  options.version = version;
  options.cipher = std::move(client);
  options.server_ctx_setup = [version, server](SSL_CTX& ctx) {
    if (version == TLS1_3_VERSION) {
      EXPECT_EQ(SSL_CTX_set_ciphersuites(&ctx, server.c_str()), 1);
    } else {
      EXPECT_EQ(SSL_CTX_set_cipher_list(&ctx, server.c_str()), 1);
    }
  };
  return options;
}

INSTANTIATE_TEST_SUITE_P(
    Table, TlsHandoffRefuses,
    ::testing::Values(
        RefusalCase{"handshake_not_done", PairOptions{}, false, false,
                    "the handshake has not completed"},
        RefusalCase{"tls13_aes_ccm",
                    WithCiphers(TLS1_3_VERSION, "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256"),
                    false, true, "TLS 1.3 cipher suite not supported"},
        RefusalCase{"tls12_cbc",
                    WithCiphers(TLS1_2_VERSION, "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES128-SHA"),
                    false, true, "TLS 1.2 cipher suite not supported"},
        RefusalCase{"tls13_tickets", WithServer([](SSL& ssl) { SSL_set_num_tickets(&ssl, 1); }),
                    false, true, "session tickets are enabled"},
        RefusalCase{"bytes_read_ahead", WithServer([](SSL& ssl) { SSL_set_read_ahead(&ssl, 1); }),
                    true, true, "OpenSSL holds unread bytes"},
        RefusalCase{"secrets_not_captured", WithServerContext([](SSL_CTX& ctx) {
                      SSL_CTX_set_keylog_callback(&ctx, nullptr);
                    }),
                    false, true, "traffic secrets were not captured"}),
    [](const ::testing::TestParamInfo<RefusalCase>& p) { return p.param.name; });

}  // namespace
}  // namespace fg::net
