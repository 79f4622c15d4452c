#pragma once

// A minimal BER tree for the fg_pki tests: parses a DER value into its TLVs so a test can change
// one of them (a length written in long form, a tag in high-tag-number form, a BOOLEAN octet, an
// extra element) and encode the result again. Test-only: no limits, reads definite lengths only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fg::pki::testing {

struct DerNode {
  std::string identifier;  // the identifier octets as read (or as a test rewrote them)
  bool constructed = false;
  std::string content;            // primitive content
  std::vector<DerNode> children;  // constructed content
  // How many octets longer than DER's the length field is: 0 is DER; n > 0 writes a short-form
  // length (below 128) in long form with n - 1 leading zero octets (0x0c becomes 0x81 0x0c for
  // n = 1) and a long-form one with n leading zero octets (0x82 0x01 0x25: 0x83 0x00 0x01 0x25).
  int length_padding = 0;
  // BER's indefinite form (0x80, then the content, then two zero octets); constructed only.
  bool indefinite_length = false;
};

// One TLV that spans all of `der`; nullopt if it does not parse or leaves bytes over.
std::optional<DerNode> ParseDerTree(std::string_view der);

std::string EncodeDerTree(const DerNode& node);

}  // namespace fg::pki::testing
