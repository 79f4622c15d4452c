#pragma once

// The TLS server name (SNI) a device connects to, parsed into the parts that select an
// account: "<prefix>-ats.iot.<region>.<domain>" (AWS iot:Data-ATS endpoints) or the legacy
// "<prefix>.iot.<region>.<domain>" (iot:Data). Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace fg::gateway {

struct EndpointName {
  std::string prefix;  // lowercase, the account's endpoint prefix
  std::string region;  // lowercase, e.g. "us-east-1"
  std::string domain;  // lowercase, at least one label, e.g. "amazonaws.com" or "localhost"
  bool ats = true;     // false for the legacy "<prefix>.iot..." form

  bool operator==(const EndpointName&) const = default;
};

// DNS names are case-insensitive (RFC 4343), so the name is lowercased first; one trailing dot
// (absolute form) is accepted. nullopt for anything that is not of the two shapes above:
// empty, over 253 characters, an empty label or one over 63, characters other than ASCII
// letters, digits and '-', a prefix other than letters and digits, or no "iot" second label.
std::optional<EndpointName> ParseEndpointName(std::string_view server_name);

}  // namespace fg::gateway
