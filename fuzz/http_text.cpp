#include "fuzz/http_text.h"

#include <cstddef>
#include <string>

namespace fg::fuzz {
namespace {

// The next line of `text` without its LF (and a CR before it); advances `text` past it.
std::string_view NextLine(std::string_view& text) {
  const std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

api::HttpRequest ParseHttpText(std::string_view text) {
  api::HttpRequest request;
  std::string_view request_line = NextLine(text);
  const std::size_t method_end = request_line.find(' ');
  request.method = std::string(request_line.substr(0, method_end));
  if (method_end != std::string_view::npos) {
    std::string_view rest = request_line.substr(method_end + 1);
    request.target = std::string(rest.substr(0, rest.find(' ')));
  }
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (line.empty()) {
      break;
    }
    const std::size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    request.headers.Add(std::string(name), std::string(value));
  }
  request.body = std::string(text);
  request.peer_address = "192.0.2.1:50000";
  return request;
}

}  // namespace fg::fuzz
