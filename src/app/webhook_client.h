#pragma once

// A tiny blocking HTTP/1.1 client that POSTs one JSON document to a notification target's
// webhook. It exists so the audit's notifications need no Asio/Beast outside net/
// (ARCHITECTURE "Build-time hygiene"): it runs on the audit thread, which may block.
//
// Only http:// URLs: an https:// webhook is refused when the configuration is read (TLS to
// webhooks is not implemented). Every connect, write and read has a deadline.
//
// Thread-safety: pure functions over their arguments; safe from any thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::app {

struct WebhookUrl {
  std::string host;  // name or literal address (IPv6 without brackets)
  uint16_t port = 80;
  std::string target = "/";  // path and query, as sent on the request line
  std::string text;          // the URL as configured, for messages

  bool operator==(const WebhookUrl&) const = default;
};

// kInvalidArgument for anything but an absolute http:// URL with a host (https:// is refused
// as not supported), userinfo, a fragment, or a bad port.
Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

// POSTs `json` with Content-Type: application/json and Connection: close, and waits for the
// status line. Ok for any 2xx status. kUnavailable when the host does not resolve, the
// connection fails, the deadline passes, or the status is not 2xx (the message says which).
Result<void> PostJson(const WebhookUrl& url, std::string_view json,
                      std::chrono::milliseconds timeout);

}  // namespace fg::app
