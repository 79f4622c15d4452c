#include "pki/strict_der.h"

#include <algorithm>
#include <cstddef>
#include <string>

namespace fg::pki {
namespace {

constexpr int kMaxDepth = 64;

// Universal tag numbers (X.680 §8.6).
constexpr unsigned kBoolean = 1;
constexpr unsigned kInteger = 2;
constexpr unsigned kBitString = 3;
constexpr unsigned kNull = 5;
constexpr unsigned kEnumerated = 10;
constexpr unsigned kSequence = 16;
constexpr unsigned kSet = 17;
constexpr unsigned kUtcTime = 23;
constexpr unsigned kGeneralizedTime = 24;

constexpr unsigned char kUniversalClass = 0x00;

struct Tlv {
  unsigned char identifier = 0;  // the first identifier octet
  unsigned tag_number = 0;
  std::string_view content;
  std::string_view whole;  // identifier, length and content
};

auto Refuse(std::string_view rule, size_t offset) {
  return Fail(ErrorCode::kInvalidArgument,
              std::string(rule) + " at offset " + std::to_string(offset));
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// X.690 §11.6: the encodings compared as octet strings, the shorter padded with trailing zeros.
bool PaddedLess(std::string_view a, std::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    if (x != y) {
      return x < y;
    }
  }
  return false;
}

class Checker {
 public:
  explicit Checker(std::string_view der) : der_(der) {}

  Result<void> Run() {
    size_t pos = 0;
    auto tlv = Read(pos, der_.size());
    if (!tlv) {
      return Fail(tlv.error());
    }
    if (pos != der_.size()) {
      return Refuse("trailing bytes", pos);
    }
    return Check(*tlv, 0);
  }

 private:
  size_t OffsetOf(std::string_view part) const {
    return static_cast<size_t>(part.data() - der_.data());
  }

  // Reads one TLV starting at `pos` that ends at or before `end`, and moves `pos` past it.
  Result<Tlv> Read(size_t& pos, size_t end) const {
    const size_t start = pos;
    if (pos >= end) {
      return Refuse("truncated identifier", pos);
    }
    Tlv tlv;
    tlv.identifier = static_cast<unsigned char>(der_[pos++]);
    tlv.tag_number = tlv.identifier & 0x1fu;
    if (tlv.tag_number == 0x1f) {
      // X.690 §8.1.2.4: high-tag-number form, base 128, only for tag numbers of 31 and above,
      // with no leading 0x80 octet (§10.1 leaves DER one way to write each tag).
      if (pos >= end || static_cast<unsigned char>(der_[pos]) == 0x80) {
        return Refuse("non-minimal tag", start);
      }
      unsigned number = 0;
      for (;;) {
        if (pos >= end || number > (1u << 24)) {
          return Refuse("truncated or oversized tag", start);
        }
        const auto octet = static_cast<unsigned char>(der_[pos++]);
        number = (number << 7) | (octet & 0x7fu);
        if ((octet & 0x80) == 0) {
          break;
        }
      }
      if (number < 0x1f) {
        return Refuse("high-tag-number form for a low tag", start);
      }
      tlv.tag_number = number;
    }
    if (pos >= end) {
      return Refuse("truncated length", start);
    }
    const auto first = static_cast<unsigned char>(der_[pos++]);
    size_t length = first;
    if (first == 0x80) {
      return Refuse("indefinite length", start);
    }
    if (first > 0x80) {
      const size_t octets = first & 0x7fu;
      if (octets > 4 || octets > end - pos) {
        return Refuse("truncated or oversized length", start);
      }
      if (der_[pos] == '\0') {
        return Refuse("non-minimal length", start);
      }
      length = 0;
      for (size_t i = 0; i < octets; ++i) {
        length = (length << 8) | static_cast<unsigned char>(der_[pos++]);
      }
      if (length < 0x80) {
        return Refuse("non-minimal length", start);
      }
    }
    if (length > end - pos) {
      return Refuse("truncated content", start);
    }
    tlv.content = der_.substr(pos, length);
    pos += length;
    tlv.whole = der_.substr(start, pos - start);
    return tlv;
  }

  Result<void> Check(const Tlv& tlv, int depth) const {
    const size_t at = OffsetOf(tlv.whole);
    const bool constructed = (tlv.identifier & 0x20) != 0;
    const bool universal = (tlv.identifier & 0xc0) == kUniversalClass;
    if (universal && constructed != (tlv.tag_number == kSequence || tlv.tag_number == kSet)) {
      return Refuse(constructed ? "constructed form of a primitive type"
                                : "primitive form of SEQUENCE or SET",
                    at);
    }
    if (constructed) {
      return CheckChildren(tlv, universal && tlv.tag_number == kSet, depth);
    }
    if (!universal) {
      return Ok();
    }
    const std::string_view c = tlv.content;
    switch (tlv.tag_number) {
      case kBoolean:
        if (c.size() != 1 || (c[0] != '\0' && c[0] != '\xff')) {
          return Refuse("BOOLEAN other than 0x00 or 0xFF", at);
        }
        break;
      case kInteger:
      case kEnumerated:
        if (c.empty() || (c.size() > 1 && ((c[0] == '\0' && (c[1] & 0x80) == 0) ||
                                           (c[0] == '\xff' && (c[1] & 0x80) != 0)))) {
          return Refuse("non-minimal INTEGER", at);
        }
        break;
      case kBitString: {
        if (c.empty() || static_cast<unsigned char>(c[0]) > 7 || (c.size() == 1 && c[0] != 0)) {
          return Refuse("malformed BIT STRING", at);
        }
        const unsigned unused = static_cast<unsigned char>(c[0]);
        if (unused != 0 && (static_cast<unsigned char>(c.back()) & ((1u << unused) - 1)) != 0) {
          return Refuse("non-zero BIT STRING padding", at);
        }
        break;
      }
      case kNull:
        if (!c.empty()) {
          return Refuse("NULL with content", at);
        }
        break;
      case kUtcTime:
        if (c.size() != 13 || c.back() != 'Z' || !AllDigits(c.substr(0, 12))) {
          return Refuse("UTCTime not in the form YYMMDDHHMMSSZ", at);
        }
        break;
      case kGeneralizedTime:
        if (c.size() != 15 || c.back() != 'Z' || !AllDigits(c.substr(0, 14))) {
          return Refuse("GeneralizedTime not in the form YYYYMMDDHHMMSSZ", at);
        }
        break;
      default:
        break;
    }
    return Ok();
  }

  Result<void> CheckChildren(const Tlv& tlv, bool sorted, int depth) const {
    if (depth >= kMaxDepth) {
      return Refuse("nesting too deep", OffsetOf(tlv.whole));
    }
    size_t pos = OffsetOf(tlv.content);
    const size_t end = pos + tlv.content.size();
    std::string_view previous;
    while (pos < end) {
      auto child = Read(pos, end);
      if (!child) {
        return Fail(child.error());
      }
      if (sorted && !previous.empty() && PaddedLess(child->whole, previous)) {
        return Refuse("SET elements out of DER order", OffsetOf(child->whole));
      }
      previous = child->whole;
      if (auto checked = Check(*child, depth + 1); !checked) {
        return checked;
      }
    }
    return Ok();
  }

  std::string_view der_;
};

}  // namespace

Result<void> CheckStrictDer(std::string_view der) { return Checker(der).Run(); }

std::vector<DerElement> StrictDerElements(std::string_view tlv) {
  std::vector<DerElement> elements;
  // Returns the header size of the TLV at the front of `t`, or 0 if it does not fit in `t`.
  const auto header = [](std::string_view t) -> size_t {
    if (t.size() < 2) {
      return 0;
    }
    const auto first = static_cast<unsigned char>(t[1]);
    const size_t h = first < 0x80 ? 2 : 2 + (first & 0x7fu);
    return h <= t.size() && h <= 6 ? h : 0;
  };
  const size_t outer = header(tlv);
  if (outer == 0) {
    return elements;
  }
  std::string_view rest = tlv.substr(outer);
  while (const size_t h = header(rest)) {
    size_t length = static_cast<unsigned char>(rest[1]);
    if (length >= 0x80) {
      length = 0;
      for (size_t i = 2; i < h; ++i) {
        length = (length << 8) | static_cast<unsigned char>(rest[i]);
      }
    }
    if (length > rest.size() - h) {
      break;
    }
    elements.push_back(DerElement{static_cast<unsigned char>(rest[0]), rest.substr(h, length),
                                  rest.substr(0, h + length)});
    rest = rest.substr(h + length);
  }
  return elements;
}

}  // namespace fg::pki
