#include "net/http_server.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "api/api_service.h"
#include "core/clock.h"

namespace fg::net {
namespace {

using std::chrono::milliseconds;

// A blocking loopback client with a receive timeout, so that no test can hang.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // One response: status line, headers, and a Content-Length body. "" on close or timeout.
  std::string ReadResponse() {
    while (true) {
      size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        size_t cl = Lower(buffer_.substr(0, end)).find("content-length:");
        if (cl != std::string::npos) {
          length = std::stoul(buffer_.substr(cl + 15));
        }
        if (buffer_.size() >= end + 4 + length) {
          std::string response = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!Fill()) {
        return "";
      }
    }
  }

  // True if the server closes the connection (EOF or reset) within the receive timeout.
  bool WaitForClose() {
    while (Fill()) {
    }
    return closed_;
  }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
  }

  bool Fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    closed_ = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    return false;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

int StatusOf(const std::string& response) {
  if (response.size() < 12) {
    return 0;
  }
  return std::stoi(response.substr(9, 3));
}

std::string BodyOf(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

// Echoes what the handler saw, so the test checks the Beast -> HttpRequest conversion.
api::HttpResponse Echo(const api::HttpRequest& request) {
  api::HttpResponse response;
  response.headers.Add("Content-Type", "text/plain");
  response.headers.Add("x-amzn-RequestId", "rid");
  response.body = request.method + " " + request.target + " [" +
                  std::string(request.headers.Get("x-test").value_or("-")) + "] " + request.body;
  return response;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions options) {
    if (!options.handler) {
      options.handler = [this](const api::HttpRequest& r) {
        ++calls_;
        return Echo(r);
      };
    }
    auto server = HttpServer::Create(std::move(options));
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = std::move(*server);
    server_->Start();
    ASSERT_NE(server_->LocalPort(), 0);
  }

  std::unique_ptr<HttpServer> server_;
  std::atomic<int> calls_{0};
};

TEST_F(HttpServerTest, RoundTrip) {
  StartServer({});
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.Send("POST /things/x%3Ay?a=1 HTTP/1.1\r\nHost: h\r\nX-Test: v1\r\nContent-Length: "
             "5\r\n\r\nhello"));
  std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200) << response;
  EXPECT_EQ(BodyOf(response), "POST /things/x%3Ay?a=1 [v1] hello");
  EXPECT_NE(response.find("x-amzn-RequestId: rid"), std::string::npos);
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  StartServer({});
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /one [-] ");
  ASSERT_TRUE(c.Send("GET /two HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /two [-] ");
  EXPECT_EQ(calls_.load(), 2);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer({});
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /a [-] ");
  EXPECT_EQ(BodyOf(c.ReadResponse()), "GET /b [-] ");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer({});
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  EXPECT_TRUE(c.WaitForClose());
}

TEST_F(HttpServerTest, OversizeBodyIsRefusedWith413) {
  HttpServerOptions options;
  options.body_limit = 1024;
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\n\r\n"));
  std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 413) << response;
  EXPECT_NE(response.find("x-amzn-ErrorType: RequestEntityTooLargeException"), std::string::npos);
  EXPECT_TRUE(c.WaitForClose());
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServerTest, OversizeChunkedBodyIsRefusedWith413) {
  HttpServerOptions options;
  options.body_limit = 16;
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
             "20\r\n" +
             std::string(32, 'x') + "\r\n0\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 413);
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServerTest, OversizeHeaderIsRefusedWith431) {
  HttpServerOptions options;
  options.header_limit = 1024;
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 431);
  EXPECT_TRUE(c.WaitForClose());
}

TEST_F(HttpServerTest, GarbageRequestLineGets400AndClose) {
  StartServer({});
  for (const char* garbage :
       {"HELLO\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "G@T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    Client c(server_->LocalPort());
    ASSERT_TRUE(c.Send(garbage));
    std::string response = c.ReadResponse();
    EXPECT_EQ(StatusOf(response), 400) << garbage << " -> " << response;
    EXPECT_TRUE(c.WaitForClose()) << garbage;
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServerTest, TricklingHeadersAreCutOffAtTheDeadline) {
  HttpServerOptions options;
  options.header_deadline = milliseconds(300);
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n"));
  auto start = std::chrono::steady_clock::now();
  bool cut_off = false;
  // Keep sending a header line every 50 ms; the server must hang up well before 3 s.
  for (int i = 0; i < 60 && !cut_off; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
    cut_off = !c.Send("X-Slow: " + std::to_string(i) + "\r\n");
  }
  if (!cut_off) {
    cut_off = c.WaitForClose();
  }
  EXPECT_TRUE(cut_off);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServerTest, SlowBodyIsCutOffAtTheRequestDeadline) {
  HttpServerOptions options;
  options.request_deadline = milliseconds(300);
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc"));
  EXPECT_TRUE(c.WaitForClose());
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(200);
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitForClose());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(HttpServerTest, SlowHandlerDoesNotBlockAnotherConnection) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  HttpServerOptions options;
  options.handler = [&](const api::HttpRequest& r) {
    if (r.target == "/slow") {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
    }
    return Echo(r);
  };
  StartServer(std::move(options));
  Client slow(server_->LocalPort());
  Client fast(server_->LocalPort());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds(50));
  ASSERT_TRUE(fast.Send("GET /fast HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(BodyOf(fast.ReadResponse()), "GET /fast [-] ");
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_FALSE(release);  // the fast answer came while the slow handler was still blocked
    release = true;
  }
  cv.notify_all();
  EXPECT_EQ(BodyOf(slow.ReadResponse()), "GET /slow [-] ");
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndKeepsServing) {
  HttpServerOptions options;
  options.handler = [](const api::HttpRequest& r) -> api::HttpResponse {
    if (r.target == "/throw") {
      throw std::runtime_error("boom");
    }
    return Echo(r);
  };
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 500);
  EXPECT_EQ(response.find("boom"), std::string::npos);
  ASSERT_TRUE(c.Send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 200);
}

TEST_F(HttpServerTest, HeaderInjectionFromHandlerIsDropped) {
  HttpServerOptions options;
  options.handler = [](const api::HttpRequest&) {
    api::HttpResponse response;
    response.headers.Add("X-Evil", "a\r\nSet-Cookie: x=1");
    response.headers.Add("X-Fine", "ok");
    return response;
  };
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::string response = c.ReadResponse();
  EXPECT_EQ(response.find("Set-Cookie"), std::string::npos);
  EXPECT_NE(response.find("X-Fine: ok"), std::string::npos);
}

TEST_F(HttpServerTest, ExpectContinueIsAnswered) {
  StartServer({});
  Client c(server_->LocalPort());
  ASSERT_TRUE(
      c.Send("PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse()), 100);
  ASSERT_TRUE(c.Send("hi"));
  EXPECT_EQ(BodyOf(c.ReadResponse()), "PUT /x [-] hi");
}

TEST_F(HttpServerTest, StopWithOpenConnectionsReturnsPromptly) {
  StartServer({});
  Client idle(server_->LocalPort());
  Client half(server_->LocalPort());
  ASSERT_TRUE(half.Send("GET / HTTP/1.1\r\n"));
  std::this_thread::sleep_for(milliseconds(50));
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(idle.WaitForClose());
  EXPECT_TRUE(half.WaitForClose());
}

TEST_F(HttpServerTest, StopLetsARunningHandlerAnswer) {
  std::atomic<bool> entered{false};
  HttpServerOptions options;
  options.handler = [&](const api::HttpRequest& r) {
    entered = true;
    std::this_thread::sleep_for(milliseconds(200));
    return Echo(r);
  };
  StartServer(std::move(options));
  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send("GET /inflight HTTP/1.1\r\nHost: h\r\n\r\n"));
  while (!entered) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  server_->Stop();
  std::string response = c.ReadResponse();
  EXPECT_EQ(BodyOf(response), "GET /inflight [-] ");
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitAreClosed) {
  HttpServerOptions options;
  options.max_connections = 1;
  StartServer(std::move(options));
  Client first(server_->LocalPort());
  ASSERT_TRUE(first.Send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(first.ReadResponse()), 200);
  Client second(server_->LocalPort());
  second.Send("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_TRUE(second.WaitForClose());
  ASSERT_TRUE(first.Send("GET /3 HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_EQ(StatusOf(first.ReadResponse()), 200);
}

// The wiring app/ will use: HttpServer in front of ApiService, with a SigV4-signed request.
TEST_F(HttpServerTest, ServesTheSignedControlPlaneEndToEnd) {
  ManualClock clock(FromEpochSeconds(1795313384));
  api::Router router;
  ASSERT_TRUE(router.Add("GET", "/certificates/{certificateId}", "DescribeCertificate",
                         [](const api::RequestContext& ctx) -> Result<api::HttpResponse> {
                           return Fail(ErrorCode::kNotFound,
                                       "certificate " + std::string(ctx.Label("certificateId")) +
                                           " in " + ctx.account_id());
                         }));
  api::SigV4Verifier verifier(
      [](std::string_view) -> Result<api::AccessKeySecret> {
        return api::AccessKeySecret{"123456789012", "secret"};
      },
      "us-east-1", clock);
  auto service = std::make_shared<api::ApiService>(std::move(verifier), std::move(router));
  HttpServerOptions options;
  options.handler = [service](const api::HttpRequest& r) { return service->Handle(r); };
  StartServer(std::move(options));

  std::string host = "127.0.0.1:" + std::to_string(server_->LocalPort());
  api::HttpRequest request;
  request.method = "GET";
  request.target = "/certificates/abc%3Ad";
  request.headers.Add("Host", host);
  api::SigningParams params{"AKID", "secret", "us-east-1", "iot", clock.Now(), {}};
  ASSERT_TRUE(api::SignRequest(request, params));
  std::string wire = "GET /certificates/abc%3Ad HTTP/1.1\r\n";
  for (const api::HttpHeader& h : request.headers.fields()) {
    wire += h.name + ": " + h.value + "\r\n";
  }
  wire += "\r\n";

  Client c(server_->LocalPort());
  ASSERT_TRUE(c.Send(wire));
  std::string response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 404) << response;
  EXPECT_NE(response.find("x-amzn-ErrorType: ResourceNotFoundException"), std::string::npos);
  EXPECT_NE(response.find("certificate abc:d in 123456789012"), std::string::npos);
  EXPECT_NE(response.find("x-amzn-RequestId: "), std::string::npos);

  // The same request with one byte of the target changed no longer verifies.
  std::string tampered = wire;
  tampered.replace(tampered.find("abc"), 3, "abd");
  ASSERT_TRUE(c.Send(tampered));
  response = c.ReadResponse();
  EXPECT_EQ(StatusOf(response), 403) << response;
  EXPECT_NE(response.find("InvalidSignatureException"), std::string::npos);
}

TEST(HttpServerCreateTest, RejectsBadOptions) {
  auto handler = [](const api::HttpRequest& r) { return Echo(r); };
  struct Case {
    std::string address;
    std::string cert;
    std::string key;
  };
  for (const Case& c :
       {Case{"127.0.0.1", "", ""}, Case{"127.0.0.1:x", "", ""}, Case{"127.0.0.1:70000", "", ""},
        Case{"example.com:0", "", ""}, Case{"127.0.0.1:0", "/nonexistent.pem", ""},
        Case{"127.0.0.1:0", "/nonexistent.pem", "/nonexistent.key"}}) {
    HttpServerOptions options;
    options.handler = handler;
    options.listen_address = c.address;
    options.tls_cert_file = c.cert;
    options.tls_key_file = c.key;
    auto server = HttpServer::Create(std::move(options));
    ASSERT_FALSE(server) << c.address;
    EXPECT_EQ(server.error().code, ErrorCode::kInvalidArgument);
  }
  HttpServerOptions no_handler;
  EXPECT_FALSE(HttpServer::Create(std::move(no_handler)));
}

TEST(HttpServerCreateTest, BusyPortIsUnavailable) {
  HttpServerOptions first;
  first.handler = [](const api::HttpRequest& r) { return Echo(r); };
  auto a = HttpServer::Create(first);
  ASSERT_TRUE(a);
  HttpServerOptions second = first;
  second.listen_address = "127.0.0.1:" + std::to_string((*a)->LocalPort());
  auto b = HttpServer::Create(second);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace fg::net
