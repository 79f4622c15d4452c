#include "api/pagination.h"

#include <cstdlib>

#include "api/base64.h"
#include "api/validation.h"
#include "pki/constant_time.h"
#include "pki/digest.h"
#include "pki/random.h"

namespace fg::api {
namespace {

constexpr char kVersion = '\x01';
// 128 bits of MAC: forging needs 2^128 guesses, and tokens stay short.
constexpr size_t kMacBytes = 16;

}  // namespace

PageTokenCodec PageTokenCodec::WithRandomKey() { return PageTokenCodec(pki::RandomBytes(32)); }

PageTokenCodec PageTokenCodec::FromInstallationSecret(std::string_view secret) {
  if (secret.size() < 16) {
    std::abort();  // Condition is guaranteed by callers: secret.key is checked at start-up.
  }
  return PageTokenCodec(pki::HkdfSha256(secret, "", kPageTokenKeyLabel, 32));
}

PageTokenCodec::PageTokenCodec(std::string key) : key_(std::move(key)) {
  if (key_.size() < 16) {
    std::abort();  // Condition is guaranteed by callers: keys come from RandomBytes or config.
  }
}

std::string PageTokenCodec::Mac(std::string_view scope, std::string_view cursor) const {
  // Length-prefix the scope so that (scope, cursor) pairs cannot collide by shifting bytes.
  std::string message;
  message.push_back(kVersion);
  message += std::to_string(scope.size());
  message.push_back(':');
  message += scope;
  message += cursor;
  pki::Sha256Digest digest = pki::HmacSha256(key_, message);
  return std::string(reinterpret_cast<const char*>(digest.data()), kMacBytes);
}

std::string PageTokenCodec::Encode(std::string_view scope, std::string_view cursor) const {
  std::string raw;
  raw.push_back(kVersion);
  raw += cursor;
  raw += Mac(scope, cursor);
  return Base64Encode(raw);
}

Result<std::string> PageTokenCodec::Decode(std::string_view scope, std::string_view token,
                                           std::string_view member) const {
  // One message for every failure: which check failed is of no use to an honest client and
  // of some use to a forger.
  std::string invalid = "Invalid " + std::string(member) + ": it was not issued for this request";
  if (token.size() > 1024) {
    return Fail(ErrorCode::kInvalidArgument, invalid);
  }
  std::optional<std::string> raw = Base64Decode(token);
  if (!raw || raw->size() < 1 + kMacBytes || (*raw)[0] != kVersion) {
    return Fail(ErrorCode::kInvalidArgument, invalid);
  }
  std::string_view body(*raw);
  std::string_view cursor = body.substr(1, body.size() - 1 - kMacBytes);
  std::string_view mac = body.substr(body.size() - kMacBytes);
  if (!pki::ConstantTimeEquals(mac, Mac(scope, cursor))) {
    return Fail(ErrorCode::kInvalidArgument, invalid);
  }
  return std::string(cursor);
}

Result<int> ResolvePageSize(std::string_view member, std::optional<int64_t> requested) {
  if (!requested) {
    return kDefaultPageSize;
  }
  if (auto ok = ValidatePageSize(member, *requested); !ok) {
    return Fail(ok.error());
  }
  return static_cast<int>(*requested);
}

}  // namespace fg::api
