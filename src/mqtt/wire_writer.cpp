#include "mqtt/wire_writer.h"

#include <cassert>

namespace fg::mqtt {

void AppendByte(std::vector<std::uint8_t>& out, std::uint8_t v) { out.push_back(v); }

void AppendU16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFFu));
}

void AppendU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>((v >> shift) & 0xFFu));
  }
}

void AppendString(std::vector<std::uint8_t>& out, std::string_view s) {
  assert(s.size() <= 0xFFFF && "caller bounds string fields");
  AppendU16(out, static_cast<std::uint16_t>(s.size()));
  AppendRaw(out, s);
}

void AppendRaw(std::vector<std::uint8_t>& out, std::string_view bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace fg::mqtt
