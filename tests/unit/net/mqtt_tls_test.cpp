#include "net/mqtt_tls.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "pki/certificate.h"
#include "pki/openssl_ptr.h"
#include "unit/net/mqtt_test_client.h"
#include "unit/pki/pki_fixtures.h"

namespace fg::net {
namespace {

using testing::PkiFixture;

constexpr char kSni[] = "aaaaaaaaaaaaaa-ats.iot.us-east-1.localhost";

std::string FixtureDer(const std::string& name) { return pki::testing::LoadCert(name).Der(); }

// A mutual-TLS handshake between a client and MakeMqttServerContext's context over an in-memory
// BIO pair, at TLS version `version`, the client presenting fixture `identity`.
class InMemoryHandshake {
 public:
  InMemoryHandshake(int version, const std::string& identity) {
    auto server_ctx =
        MakeMqttServerContext(PkiFixture("device-rsa-3.pem"), PkiFixture("device-rsa-3.key"));
    EXPECT_TRUE(server_ctx) << server_ctx.error().ToString();
    server_ctx_ = std::move(*server_ctx);
    client_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX_set_min_proto_version(client_ctx_.get(), version);
    SSL_CTX_set_max_proto_version(client_ctx_.get(), version);
    EXPECT_EQ(SSL_CTX_use_certificate_file(client_ctx_.get(), PkiFixture(identity + ".pem").c_str(),
                                           SSL_FILETYPE_PEM),
              1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(client_ctx_.get(), PkiFixture(identity + ".key").c_str(),
                                          SSL_FILETYPE_PEM),
              1);
    client_.reset(SSL_new(client_ctx_.get()));
    server_.reset(SSL_new(server_ctx_.get()));
    BIO* client_end = nullptr;
    BIO* server_end = nullptr;
    EXPECT_EQ(BIO_new_bio_pair(&client_end, 0, &server_end, 0), 1);
    // Each SSL takes over its end (one reference serves as both its read and write BIO).
    SSL_set_bio(client_.get(), client_end, client_end);
    SSL_set_bio(server_.get(), server_end, server_end);
    SSL_ctrl(client_.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(kSni));
    SSL_set_connect_state(client_.get());
    SSL_set_accept_state(server_.get());
    bool client_done = false;
    bool server_done = false;
    for (int i = 0; i < 20 && !(client_done && server_done); ++i) {
      client_done = client_done || SSL_do_handshake(client_.get()) == 1;
      server_done = server_done || SSL_do_handshake(server_.get()) == 1;
    }
    done_ = client_done && server_done;
  }

  bool done() const { return done_; }
  SSL& server() { return *server_; }
  void FreeServer() { server_.reset(); }

 private:
  pki::SslCtxPtr server_ctx_;
  pki::SslCtxPtr client_ctx_;
  pki::SslPtr client_;
  pki::SslPtr server_;
  bool done_ = false;
};

class MqttTlsTest : public ::testing::TestWithParam<int> {};

TEST_P(MqttTlsTest, InspectPeerHandsOverTheLeafAndTheBytesTheClientSent) {
  for (const char* identity : {"device-ec-2", "device-rsa-1"}) {
    SCOPED_TRACE(identity);
    InMemoryHandshake handshake(GetParam(), identity);
    ASSERT_TRUE(handshake.done());
    TlsPeer peer = InspectPeer(handshake.server());
    EXPECT_EQ(peer.server_name, kSni);
    ASSERT_NE(peer.leaf, nullptr);
    EXPECT_EQ(peer.leaf_der, FixtureDer(identity));
    // The peer owns what it holds: the SSL may go first.
    handshake.FreeServer();
    auto cert = pki::Certificate::FromReceived(*peer.leaf, peer.leaf_der);
    ASSERT_TRUE(cert) << cert.error().ToString();
    EXPECT_EQ(cert->Der(), FixtureDer(identity));
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, MqttTlsTest, ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return param.param == TLS1_2_VERSION ? "Tls12" : "Tls13";
                         });

}  // namespace
}  // namespace fg::net
