#include "app/webhook_client.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>

namespace fg::app {
namespace {

// The status line and headers of a reply are all we read; anything longer is not a webhook.
constexpr size_t kMaxResponseHead = 16 * 1024;

// Closes the socket on every path.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

struct AddrInfoFree {
  void operator()(addrinfo* p) const noexcept { ::freeaddrinfo(p); }
};

tl::unexpected<Error> Unavailable(const WebhookUrl& url, const std::string& why) {
  return Fail(ErrorCode::kUnavailable, "webhook " + url.text + ": " + why);
}

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool Wait(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, RemainingMs(deadline));
    if (n > 0) {
      return true;
    }
    if (n == 0 || errno != EINTR) {
      return false;
    }
  }
}

// A non-blocking socket connected to one of the host's addresses; the caller owns it.
Result<int> Connect(const WebhookUrl& url, Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  const std::string port = std::to_string(url.port);
  if (int rc = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &raw); rc != 0) {
    return Unavailable(url, std::string("cannot resolve host: ") + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, AddrInfoFree> addresses(raw);
  std::string last_error = "no address";
  for (addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    Socket guard(fd);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last_error = std::strerror(errno);
      continue;
    }
    if (!Wait(fd, POLLOUT, deadline)) {
      last_error = "connect timed out";
      continue;
    }
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
      last_error = std::strerror(so_error != 0 ? so_error : errno);
      continue;
    }
    return guard.release();
  }
  return Unavailable(url, "cannot connect: " + last_error);
}

Result<void> SendAll(const WebhookUrl& url, int fd, std::string_view data,
                     Clock::time_point deadline) {
  while (!data.empty()) {
    if (!Wait(fd, POLLOUT, deadline)) {
      return Unavailable(url, "write timed out");
    }
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      return Unavailable(url, std::string("write failed: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Reads until the status line is complete; its status code.
Result<int> ReadStatus(const WebhookUrl& url, int fd, Clock::time_point deadline) {
  std::string head;
  char buf[1024];
  while (head.find("\r\n") == std::string::npos) {
    if (head.size() > kMaxResponseHead) {
      return Unavailable(url, "response status line too long");
    }
    if (!Wait(fd, POLLIN, deadline)) {
      return Unavailable(url, "no response before the deadline");
    }
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      return Unavailable(url, std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) {
      return Unavailable(url, "connection closed before a response");
    }
    head.append(buf, static_cast<size_t>(n));
  }
  // "HTTP/1.x NNN reason" (RFC 9112 §4).
  int status = 0;
  if (head.size() < 12 || head.compare(0, 7, "HTTP/1.") != 0 || head[8] != ' ') {
    return Unavailable(url, "malformed response");
  }
  auto [ptr, ec] = std::from_chars(head.data() + 9, head.data() + 12, status);
  if (ec != std::errc() || ptr != head.data() + 12) {
    return Unavailable(url, "malformed response status");
  }
  return status;
}

}  // namespace

Result<WebhookUrl> ParseWebhookUrl(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument, "webhook '" + std::string(text) + "' is not a URL");
  }
  const boost::urls::url_view& u = *parsed;
  WebhookUrl url;
  url.text = std::string(text);
  // Schemes compare case-insensitively (RFC 3986 §3.1).
  if (u.scheme_id() == boost::urls::scheme::https) {
    return Fail(ErrorCode::kInvalidArgument,
                "webhook '" + url.text + "': https is not supported yet; use http://");
  }
  if (u.scheme_id() != boost::urls::scheme::http) {
    return Fail(ErrorCode::kInvalidArgument, "webhook '" + url.text + "' must be an http:// URL");
  }
  if (u.has_userinfo() || u.has_fragment()) {
    return Fail(ErrorCode::kInvalidArgument,
                "webhook '" + url.text + "' must not have user info or a fragment");
  }
  std::string host(u.encoded_host_address());
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "webhook '" + url.text + "' has no host");
  }
  url.host = std::move(host);
  if (u.has_port()) {
    unsigned port = 0;
    std::string_view p = u.port();
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || ptr != p.data() + p.size() || port == 0 || port > 65535) {
      return Fail(ErrorCode::kInvalidArgument, "webhook '" + url.text + "' has a bad port");
    }
    url.port = static_cast<uint16_t>(port);
  }
  url.target = std::string(u.encoded_target());
  if (url.target.empty()) {
    url.target = "/";
  }
  return url;
}

Result<void> PostJson(const WebhookUrl& url, std::string_view json,
                      std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  auto fd = Connect(url, deadline);
  if (!fd) {
    return Fail(fd.error());
  }
  Socket socket(*fd);
  const bool v6 = url.host.find(':') != std::string::npos;
  std::string request =
      "POST " + url.target + " HTTP/1.1\r\nHost: " + (v6 ? "[" + url.host + "]" : url.host) + ":" +
      std::to_string(url.port) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
      "\r\nUser-Agent: fleetguard-audit\r\nConnection: close\r\n\r\n";
  request.append(json);
  if (auto sent = SendAll(url, socket.fd(), request, deadline); !sent) {
    return Fail(sent.error());
  }
  auto status = ReadStatus(url, socket.fd(), deadline);
  if (!status) {
    return Fail(status.error());
  }
  if (*status < 200 || *status > 299) {
    return Unavailable(url, "answered HTTP " + std::to_string(*status));
  }
  return Ok();
}

}  // namespace fg::app
