// The webhook POST client (app/webhook_client.h) against a one-shot HTTP responder on
// 127.0.0.1:0 (plain POSIX sockets, as the client uses).

#include "app/webhook_client.h"

#include <atomic>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

namespace fg::app {
namespace {

using std::chrono::milliseconds;

// Accepts one connection, reads the request (headers and Content-Length body) and answers
// `reply`, or keeps silent when `reply` is empty.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(listen_fd_, 1), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::jthread([this] { Serve(); });
  }
  ~OneShotServer() {
    done_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    if (thread_.joinable()) {
      thread_.join();
    }
    ::close(listen_fd_);
  }

  uint16_t port() const { return port_; }
  std::string request() {
    thread_.join();
    return request_;
  }

 private:
  void Serve() {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      return;
    }
    char buf[4096];
    for (;;) {
      size_t end = request_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = request_.find("Content-Length: ");
        size_t length = cl == std::string::npos ? 0 : std::stoul(request_.substr(cl + 16));
        if (request_.size() >= end + 4 + length) {
          break;
        }
      }
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) {
        break;
      }
      request_.append(buf, static_cast<size_t>(n));
    }
    if (!reply_.empty()) {
      ::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    } else {
      while (!done_) {
        std::this_thread::sleep_for(milliseconds(10));
      }
    }
    ::close(fd);
  }

  std::string reply_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::string request_;
  std::atomic<bool> done_{false};
  std::jthread thread_;
};

WebhookUrl Url(uint16_t port, const std::string& path = "/hook?x=1") {
  auto url = ParseWebhookUrl("http://127.0.0.1:" + std::to_string(port) + path);
  EXPECT_TRUE(url.has_value()) << url.error().ToString();
  return *url;
}

TEST(WebhookClientTest, PostsTheJsonAndAcceptsA2xx) {
  OneShotServer server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  auto posted = PostJson(Url(server.port()), R"({"a":1})", milliseconds(5000));
  ASSERT_TRUE(posted.has_value()) << posted.error().ToString();
  const std::string request = server.request();
  EXPECT_EQ(request.rfind("POST /hook?x=1 HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(request.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nContent-Length: 7\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - 7), R"({"a":1})");
}

TEST(WebhookClientTest, ANon2xxAnswerIsUnavailable) {
  for (const char* reply : {"HTTP/1.1 500 Oops\r\n\r\n", "HTTP/1.0 302 Found\r\n\r\n",
                            "garbage\r\n\r\n", "HTTP/1.1 2x0 What\r\n\r\n"}) {
    OneShotServer server(reply);
    auto posted = PostJson(Url(server.port()), "{}", milliseconds(5000));
    ASSERT_FALSE(posted.has_value()) << reply;
    EXPECT_EQ(posted.error().code, ErrorCode::kUnavailable) << reply;
  }
}

TEST(WebhookClientTest, SilenceAndRefusalAreUnavailable) {
  {
    OneShotServer silent("");
    auto posted = PostJson(Url(silent.port()), "{}", milliseconds(200));
    ASSERT_FALSE(posted.has_value());
    EXPECT_EQ(posted.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(posted.error().message.find("deadline"), std::string::npos) << posted.error().message;
  }
  uint16_t closed_port = 0;
  {
    OneShotServer gone("HTTP/1.1 200 OK\r\n\r\n");
    closed_port = gone.port();
    ASSERT_TRUE(PostJson(Url(closed_port), "{}", milliseconds(5000)).has_value());
  }
  auto refused = PostJson(Url(closed_port), "{}", milliseconds(2000));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

TEST(WebhookClientTest, ParsesOnlyPlainHttpUrls) {
  auto url = ParseWebhookUrl("http://hooks.example:8080");
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->host, "hooks.example");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->target, "/");
  for (const char* bad : {"https://x/", "HTTPS://x/", "ws://x/", "http://", "http://x:99999/",
                          "http://x:0/", "http://u@x/", "http://x/#frag", "/relative", ""}) {
    auto parsed = ParseWebhookUrl(bad);
    EXPECT_FALSE(parsed.has_value()) << bad;
  }
}

}  // namespace
}  // namespace fg::app
