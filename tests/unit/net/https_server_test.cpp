#include <arpa/inet.h>
#include <cerrno>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "net/http_server.h"
#include "pki/openssl_ptr.h"

namespace fg::net {
namespace {

const std::string kFixtures = std::string(FG_SOURCE_DIR) + "/tests/fixtures/pki/";

int ConnectLoopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}


std::unique_ptr<HttpServer> StartTlsServer() {
  HttpServerOptions options;
  // A fixture identity serves as the server certificate; the test client does not verify it.
  options.tls_cert_file = kFixtures + "device-rsa-1.pem";
  options.tls_key_file = kFixtures + "device-rsa-1.key";
  options.header_deadline = std::chrono::milliseconds(500);
  options.handler = [](const api::HttpRequest& r) {
    api::HttpResponse response;
    response.body = "tls " + r.target;
    return response;
  };
  auto server = HttpServer::Create(std::move(options));
  EXPECT_TRUE(server) << server.error().ToString();
  if (!server) {
    return nullptr;
  }
  (*server)->Start();
  return std::move(*server);
}

TEST(HttpsServerTest, ServesRequestsOverTls) {
  auto server = StartTlsServer();
  ASSERT_TRUE(server);
  pki::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  ASSERT_TRUE(ctx);
  int fd = ConnectLoopback(server->LocalPort());
  pki::SslPtr ssl(SSL_new(ctx.get()));
  ASSERT_EQ(SSL_set_fd(ssl.get(), fd), 1);
  ASSERT_EQ(SSL_connect(ssl.get()), 1);
  EXPECT_GE(SSL_version(ssl.get()), TLS1_2_VERSION);
  std::string request = "GET /secure HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())),
            static_cast<int>(request.size()));
  std::string response;
  char buf[4096];
  int n = 0;
  while ((n = SSL_read(ssl.get(), buf, sizeof(buf))) > 0) {
    response.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(response.substr(0, 12), "HTTP/1.1 200");
  EXPECT_NE(response.find("\r\n\r\ntls /secure"), std::string::npos) << response;
  ::close(fd);
}

TEST(HttpsServerTest, PlainHttpToTlsPortIsDisconnected) {
  auto server = StartTlsServer();
  ASSERT_TRUE(server);
  int fd = ConnectLoopback(server->LocalPort());
  std::string request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  ASSERT_GT(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), 0);
  char buf[512];
  ssize_t n = 0;
  std::string received;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) {
    received.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(received.find("HTTP/1.1 200"), std::string::npos);
  // Closed (FIN, or RST when our bytes were left unread), never left hanging until the timeout.
  EXPECT_TRUE(n == 0 || errno == ECONNRESET) << "errno " << errno;
  ::close(fd);
}

TEST(HttpsServerTest, MismatchedKeyIsRefusedAtCreate) {
  HttpServerOptions options;
  options.tls_cert_file = kFixtures + "device-rsa-1.pem";
  options.tls_key_file = kFixtures + "device-rsa-2.key";
  options.handler = [](const api::HttpRequest&) { return api::HttpResponse{}; };
  auto server = HttpServer::Create(std::move(options));
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fg::net
