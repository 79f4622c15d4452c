#include "gateway/endpoint_name.h"

#include <vector>

namespace fg::gateway {
namespace {

// RFC 1035 §2.3.4 limits.
constexpr size_t kMaxNameLength = 253;
constexpr size_t kMaxLabelLength = 63;
constexpr std::string_view kAtsSuffix = "-ats";

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsLabelChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool IsAlnum(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return !s.empty();
}

}  // namespace

std::optional<EndpointName> ParseEndpointName(std::string_view server_name) {
  if (!server_name.empty() && server_name.back() == '.') {
    server_name.remove_suffix(1);
  }
  if (server_name.empty() || server_name.size() > kMaxNameLength) {
    return std::nullopt;
  }
  std::string name;
  name.reserve(server_name.size());
  for (char c : server_name) {
    const char lower = LowerAscii(c);
    if (!IsLabelChar(lower) && lower != '.') {
      return std::nullopt;
    }
    name.push_back(lower);
  }
  std::vector<std::string_view> labels;
  std::string_view rest = name;
  while (true) {
    const size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > kMaxLabelLength) {
      return std::nullopt;
    }
    labels.push_back(label);
    if (dot == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(dot + 1);
  }
  // prefix(-ats) . iot . region . domain...
  if (labels.size() < 4 || labels[1] != "iot") {
    return std::nullopt;
  }
  EndpointName out;
  std::string_view first = labels[0];
  out.ats = first.size() > kAtsSuffix.size() && first.ends_with(kAtsSuffix);
  if (out.ats) {
    first.remove_suffix(kAtsSuffix.size());
  }
  if (!IsAlnum(first)) {
    return std::nullopt;
  }
  out.prefix = std::string(first);
  out.region = std::string(labels[2]);
  const size_t domain_start = static_cast<size_t>(labels[3].data() - name.data());
  out.domain = name.substr(domain_start);
  return out;
}

}  // namespace fg::gateway
