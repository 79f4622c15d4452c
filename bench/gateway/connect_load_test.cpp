// ConnectLoad against a small in-process MQTT-over-mutual-TLS server on 127.0.0.1:0: the server
// requires client certificates from a test CA, records the certificate and SNI of each
// connection, answers CONNECT with CONNACK (or a refusal for chosen common names), and can be
// told to hold connections without a handshake.

#include "connect_load.h"

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "pki/authority.h"
#include "pki/key.h"
#include "pki/random.h"

namespace fg::bench {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A PKI in a temporary directory: a client CA with `n` devices and a server CA with a
// "localhost" server certificate.
class TestPki {
 public:
  explicit TestPki(int devices) {
    dir_ = fs::temp_directory_path() / ("fg-gwbench-load-" + pki::RandomHex(6));
    fs::create_directories(dir_ / "devices");
    const TimePoint now = SystemClock::Instance().Now();
    auto client_ca = pki::CertificateAuthority::Generate("clients", now - std::chrono::hours(1),
                                                         now + std::chrono::hours(2),
                                                         pki::KeyAlgorithm::kEcP256);
    auto server_ca = pki::CertificateAuthority::Generate("servers", now - std::chrono::hours(1),
                                                         now + std::chrono::hours(2),
                                                         pki::KeyAlgorithm::kEcP256);
    auto other_ca = pki::CertificateAuthority::Generate("other", now - std::chrono::hours(1),
                                                        now + std::chrono::hours(2),
                                                        pki::KeyAlgorithm::kEcP256);
    EXPECT_TRUE(client_ca && server_ca && other_ca);
    Write("clients-ca.pem", client_ca->Cert().Pem());
    Write("servers-ca.pem", server_ca->Cert().Pem());
    Write("other-ca.pem", other_ca->Cert().Pem());
    for (int i = 0; i < devices; ++i) {
      Issue(*client_ca, "devices/dev-" + std::to_string(i), false);
    }
    Issue(*server_ca, "server", true);
  }
  ~TestPki() { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string Read(const std::string& name) const { return ReadText(dir_ / name); }

 private:
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  void Issue(const pki::CertificateAuthority& ca, const std::string& stem, bool server) {
    auto keys = pki::GenerateEcKeyPair();
    ASSERT_TRUE(keys);
    pki::CertificateAuthority::IssueOptions o;
    o.common_name = server ? "localhost" : fs::path(stem).filename().string();
    if (server) {
      o.dns_names = {"localhost"};
    }
    o.not_before = SystemClock::Instance().Now() - std::chrono::hours(1);
    o.not_after = o.not_before + std::chrono::hours(3);
    o.server_auth = server;
    o.client_auth = !server;
    auto cert = ca.Issue(keys->public_key_pem, o);
    ASSERT_TRUE(cert);
    Write(stem + ".pem", cert->Pem());
    Write(stem + ".key", keys->private_key_pem);
  }

  fs::path dir_;
};

// The in-process server. Runs on one thread of its own; the accessors lock.
class TinyServer {
 public:
  enum class Mode { kAnswer, kSilent };

  TinyServer(const TestPki& pki, Mode mode, std::set<std::string> refused_cns = {})
      : mode_(mode),
        refused_(std::move(refused_cns)),
        tls_(asio::ssl::context::tls_server),
        acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    const std::string cert = pki.Read("server.pem");
    const std::string key = pki.Read("server.key");
    tls_.use_certificate_chain(asio::buffer(cert));
    tls_.use_private_key(asio::buffer(key), asio::ssl::context::pem);
    tls_.load_verify_file(pki.Path("clients-ca.pem"));
    tls_.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TinyServer() {
    ioc_.stop();
    thread_.join();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::multiset<std::string> common_names() {
    std::lock_guard lock(mutex_);
    return cns_;
  }
  std::set<std::string> server_names() {
    std::lock_guard lock(mutex_);
    return snis_;
  }
  // Closes the first answered connection (on the server's thread).
  void CloseOne() {
    asio::post(ioc_, [this] {
      if (!conns_.empty()) {
        boost::system::error_code ignored;
        conns_.front()->lowest_layer().close(ignored);
      }
    });
  }

 private:
  using Stream = asio::ssl::stream<tcp::socket>;

  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        return;
      }
      auto stream = std::make_shared<Stream>(std::move(socket), tls_);
      conns_.push_back(stream);
      if (mode_ == Mode::kAnswer) {
        stream->async_handshake(Stream::server, [this, stream](boost::system::error_code hec) {
          if (!hec) {
            OnHandshake(stream);
          }
        });
      }
      Accept();
    });
  }

  void OnHandshake(const std::shared_ptr<Stream>& stream) {
    SSL* ssl = stream->native_handle();
    std::string cn;
    if (X509* peer = SSL_get0_peer_certificate(ssl)) {
      std::array<char, 128> buf{};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf.data(),
                                static_cast<int>(buf.size()));
      cn = buf.data();
    }
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    {
      std::lock_guard lock(mutex_);
      cns_.insert(cn);
      snis_.insert(sni ? sni : "");
    }
    auto buffer = std::make_shared<std::array<uint8_t, 256>>();
    stream->async_read_some(asio::buffer(*buffer), [this, stream, buffer, cn](
                                                       boost::system::error_code ec, size_t n) {
      if (ec || n == 0 || (*buffer)[0] != 0x10) {
        return;  // not a CONNECT: leave the client to time out
      }
      const uint8_t code = refused_.contains(cn) ? 0x05 : 0x00;
      auto connack =
          std::make_shared<std::array<uint8_t, 4>>(std::array<uint8_t, 4>{0x20, 0x02, 0x00, code});
      asio::async_write(*stream, asio::buffer(*connack),
                        [connack, stream](boost::system::error_code, size_t) {});
    });
  }

  const Mode mode_;
  const std::set<std::string> refused_;
  asio::io_context ioc_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<Stream>> conns_;  // server thread only
  std::mutex mutex_;
  std::multiset<std::string> cns_;
  std::set<std::string> snis_;
  std::thread thread_;
};

ConnectLoadOptions OptionsFor(const TestPki& pki, uint16_t port) {
  ConnectLoadOptions o;
  o.port = port;
  o.server_name = "localhost";
  o.ca_file = pki.Path("servers-ca.pem");
  o.concurrency = 3;
  o.attempt_timeout = std::chrono::milliseconds(5'000);
  o.run_timeout = std::chrono::milliseconds(20'000);
  return o;
}

std::vector<DeviceIdentity> Load(const TestPki& pki, size_t n) {
  auto ids = LoadDeviceIdentities(pki.Path("devices"), n);
  EXPECT_TRUE(ids) << ids.error().message;
  return ids ? std::move(*ids) : std::vector<DeviceIdentity>{};
}

TEST(ConnectLoadTest, ConnectsEveryIdentityOnceAndKeepsTheConnectionsOpen) {
  TestPki pki(8);
  TinyServer server(pki, TinyServer::Mode::kAnswer);
  auto ids = Load(pki, 8);
  auto load = ConnectLoad::Create(OptionsFor(pki, server.port()), ids);
  ASSERT_TRUE(load) << load.error().message;
  ConnectReport r = (*load)->Run();
  EXPECT_EQ(r.attempted, 8u);
  EXPECT_EQ(r.established, 8u);
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(r.latencies_ms.size(), 8u);
  EXPECT_GT(r.ConnectsPerSecond(), 0);
  // Eight distinct certificates, each seen once, all with the configured SNI.
  std::multiset<std::string> cns = server.common_names();
  EXPECT_EQ(cns.size(), 8u);
  EXPECT_EQ(std::set<std::string>(cns.begin(), cns.end()).size(), 8u);
  EXPECT_EQ(server.server_names(), std::set<std::string>{"localhost"});
  EXPECT_EQ((*load)->CountDroppedWhileIdle(), 0u);
  server.CloseOne();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((*load)->CountDroppedWhileIdle() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ((*load)->CountDroppedWhileIdle(), 1u);
}

TEST(ConnectLoadTest, CountsRefusalsByReturnCode) {
  TestPki pki(4);
  TinyServer server(pki, TinyServer::Mode::kAnswer, {"dev-1", "dev-3"});
  auto ids = Load(pki, 4);
  auto load = ConnectLoad::Create(OptionsFor(pki, server.port()), ids);
  ASSERT_TRUE(load);
  ConnectReport r = (*load)->Run();
  EXPECT_EQ(r.established, 2u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_TRUE(r.failures.begin()->first.starts_with("connack: refused 0x05 ("))
      << r.failures.begin()->first;
  EXPECT_EQ(r.failures.begin()->second, 2u);
}

TEST(ConnectLoadTest, FailsWhenTheServerIsNotTrustedOrNamedWrong) {
  TestPki pki(2);
  TinyServer server(pki, TinyServer::Mode::kAnswer);
  auto ids = Load(pki, 2);
  struct Case {
    const char* name;
    std::string ca_file;
    std::string server_name;
  };
  const Case cases[] = {
      {"untrusted server CA", pki.Path("other-ca.pem"), "localhost"},
      {"name not in the server certificate", pki.Path("servers-ca.pem"), "elsewhere.example"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ConnectLoadOptions o = OptionsFor(pki, server.port());
    o.ca_file = c.ca_file;
    o.server_name = c.server_name;
    auto load = ConnectLoad::Create(o, ids);
    ASSERT_TRUE(load);
    ConnectReport r = (*load)->Run();
    EXPECT_EQ(r.established, 0u);
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_TRUE(r.failures.begin()->first.starts_with("handshake: ")) << r.failures.begin()->first;
    EXPECT_EQ(r.failures.begin()->second, 2u);
  }
}

TEST(ConnectLoadTest, SilentServerTimesOutInTheHandshake) {
  TestPki pki(2);
  TinyServer server(pki, TinyServer::Mode::kSilent);
  auto ids = Load(pki, 2);
  ConnectLoadOptions o = OptionsFor(pki, server.port());
  o.attempt_timeout = std::chrono::milliseconds(200);
  auto load = ConnectLoad::Create(o, ids);
  ASSERT_TRUE(load);
  const auto started = std::chrono::steady_clock::now();
  ConnectReport r = (*load)->Run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(r.established, 0u);
  EXPECT_EQ(r.failures, (std::map<std::string, size_t>{{"timeout: in handshake", 2}}));
}

TEST(ConnectLoadTest, RunTimeoutEndsAttemptsInFlight) {
  TestPki pki(2);
  TinyServer server(pki, TinyServer::Mode::kSilent);
  auto ids = Load(pki, 2);
  ConnectLoadOptions o = OptionsFor(pki, server.port());
  o.attempt_timeout = std::chrono::milliseconds(60'000);
  o.run_timeout = std::chrono::milliseconds(300);
  auto load = ConnectLoad::Create(o, ids);
  ASSERT_TRUE(load);
  ConnectReport r = (*load)->Run();
  EXPECT_EQ(r.established, 0u);
  EXPECT_EQ(r.failures, (std::map<std::string, size_t>{{"timeout: run ended in handshake", 2}}));
}

TEST(ConnectLoadTest, RefusesBadOptions) {
  TestPki pki(1);
  auto ids = Load(pki, 1);
  ConnectLoadOptions o = OptionsFor(pki, 1);
  struct Case {
    const char* name;
    std::function<void(ConnectLoadOptions&)> change;
  };
  const Case cases[] = {
      {"zero concurrency", [](ConnectLoadOptions& x) { x.concurrency = 0; }},
      {"no threads", [](ConnectLoadOptions& x) { x.threads = 0; }},
      {"host name instead of address", [](ConnectLoadOptions& x) { x.host = "localhost"; }},
      {"missing CA file", [](ConnectLoadOptions& x) { x.ca_file = "/nonexistent/ca.pem"; }},
      {"TLS 1.1", [](ConnectLoadOptions& x) { x.tls_version = "1.1"; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ConnectLoadOptions changed = o;
    c.change(changed);
    auto load = ConnectLoad::Create(changed, ids);
    ASSERT_FALSE(load);
    EXPECT_EQ(load.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ConnectLoad::Create(o, {}));
}

}  // namespace
}  // namespace fg::bench
