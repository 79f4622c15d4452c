#include "der_tree.h"

#include <cstddef>

namespace fg::pki::testing {
namespace {

struct Reader {
  std::string_view in;
  size_t pos = 0;

  std::optional<DerNode> Next() {
    DerNode node;
    const size_t start = pos;
    if (pos >= in.size()) {
      return std::nullopt;
    }
    const auto first = static_cast<unsigned char>(in[pos++]);
    node.constructed = (first & 0x20) != 0;
    if ((first & 0x1f) == 0x1f) {
      while (pos < in.size() && (static_cast<unsigned char>(in[pos]) & 0x80) != 0) {
        ++pos;
      }
      ++pos;
    }
    if (pos >= in.size()) {
      return std::nullopt;
    }
    node.identifier = std::string(in.substr(start, pos - start));
    size_t length = static_cast<unsigned char>(in[pos++]);
    if (length >= 0x80) {
      const size_t octets = length & 0x7f;
      if (octets == 0 || octets > 4 || pos + octets > in.size()) {
        return std::nullopt;
      }
      length = 0;
      for (size_t i = 0; i < octets; ++i) {
        length = (length << 8) | static_cast<unsigned char>(in[pos++]);
      }
    }
    if (length > in.size() - pos) {
      return std::nullopt;
    }
    const std::string_view content = in.substr(pos, length);
    pos += length;
    if (!node.constructed) {
      node.content = std::string(content);
      return node;
    }
    Reader inner{content};
    while (inner.pos < content.size()) {
      auto child = inner.Next();
      if (!child) {
        return std::nullopt;
      }
      node.children.push_back(std::move(*child));
    }
    return node;
  }
};

}  // namespace

std::optional<DerNode> ParseDerTree(std::string_view der) {
  Reader reader{der};
  auto node = reader.Next();
  if (!node || reader.pos != der.size()) {
    return std::nullopt;
  }
  return node;
}

std::string EncodeDerTree(const DerNode& node) {
  std::string content;
  if (node.constructed) {
    for (const auto& child : node.children) {
      content += EncodeDerTree(child);
    }
  } else {
    content = node.content;
  }
  std::string length_octets;
  for (size_t n = content.size(); n > 0; n >>= 8) {
    length_octets.insert(length_octets.begin(), static_cast<char>(n & 0xff));
  }
  std::string out = node.identifier;
  if (node.indefinite_length) {
    return out + '\x80' + content + std::string(2, '\0');
  }
  if (node.length_padding == 0 && content.size() < 0x80) {
    out += static_cast<char>(content.size());
  } else {
    if (length_octets.empty()) {
      length_octets.push_back('\0');
    }
    const int zeros = content.size() < 0x80 ? node.length_padding - 1 : node.length_padding;
    length_octets.insert(0, static_cast<size_t>(zeros), '\0');
    out += static_cast<char>(0x80 | length_octets.size());
    out += length_octets;
  }
  return out + content;
}

}  // namespace fg::pki::testing
