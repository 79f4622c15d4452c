#include "pki/pem_block.h"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "pki/crypto_error.h"
#include "pki/memory_bio.h"

namespace fg::pki {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\v\f";

}  // namespace

Result<std::string> ReadSinglePemBlock(std::string_view pem,
                                       std::initializer_list<std::string_view> labels,
                                       std::string_view what, ErrorCode code) {
  const std::string w(what);
  const size_t start = pem.find_first_not_of(kWhitespace);
  if (start == std::string_view::npos) {
    return Fail(code, w + " PEM is empty");
  }
  // PEM_read_bio needs the BEGIN line at a line start; leading whitespace is harmless to drop.
  pem.remove_prefix(start);
  if (pem.rfind("-----BEGIN ", 0) != 0) {
    return Fail(
        code, w + " is not PEM: expected \"-----BEGIN " + std::string(*labels.begin()) + "-----\"");
  }
  auto bio = ReadOnlyMemBio(pem);
  if (!bio) {
    return Fail(code, w + " PEM: " + bio.error().message);
  }
  char* raw_name = nullptr;
  char* raw_header = nullptr;
  unsigned char* raw_data = nullptr;
  long len = 0;
  ERR_clear_error();
  const int ok = PEM_read_bio(bio->get(), &raw_name, &raw_header, &raw_data, &len);
  OpensslStringPtr name(raw_name);
  OpensslStringPtr header(raw_header);
  OpensslBytesPtr data(raw_data);
  if (ok != 1 || name == nullptr || len < 0) {
    return Fail(code, "malformed " + w + " PEM (truncated or bad base64): " + LastCryptoError());
  }
  const std::string_view label(name.get());
  if (std::find(labels.begin(), labels.end(), label) == labels.end()) {
    return Fail(code, "PEM block is \"" + std::string(label) + "\", expected \"" +
                          std::string(*labels.begin()) + "\"");
  }
  if (header != nullptr && header.get()[0] != '\0') {
    return Fail(code, w + " PEM must not carry PEM headers");
  }
  // PEM_read_bio stopped right after the END line, so the BIO now holds what followed it.
  const std::string rest = MemBioContents(**bio);
  if (rest.find("-----BEGIN") != std::string::npos) {
    return Fail(code, "PEM holds more than one block; expected exactly one " + w);
  }
  if (rest.find_first_not_of(kWhitespace) != std::string::npos) {
    return Fail(code, "unexpected data after the " + w + " PEM");
  }
  return std::string(reinterpret_cast<const char*>(data.get()), static_cast<size_t>(len));
}

}  // namespace fg::pki
