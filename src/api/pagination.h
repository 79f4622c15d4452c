#pragma once

// Opaque page tokens for marker / nextToken pagination (reference §1.5).
//
// A token wraps a registry cursor (any byte string, e.g. the last key returned) with a MAC under
// a key derived from the installation's secret (so tokens survive a restart), and binds it to a
// scope (account, operation and filters), so a token cannot be forged, altered, or replayed against
// another account or listing. The output is standard base64 and fits the model's Marker pattern
// [A-Za-z0-9+/]+={0,2}.
//
// Thread-safety: a codec is immutable after construction; share it freely.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::api {

// Page size when the request sets none (the model's documented default).
inline constexpr int kDefaultPageSize = 25;

class PageTokenCodec {
 public:
  // A codec with a fresh random 32-byte key, for tests and tools: its tokens die with it.
  static PageTokenCodec WithRandomKey();
  // The codec of an installation: its key is HKDF-SHA-256 of `secret` (the data directory's
  // secret.key) under the label kPageTokenKeyLabel, so every process of one installation, and
  // every restart, accepts the others' tokens, and no other installation does. Knowing the
  // derived key reveals nothing about `secret`. REQUIRES: secret is at least 16 bytes.
  static PageTokenCodec FromInstallationSecret(std::string_view secret);
  static constexpr std::string_view kPageTokenKeyLabel = "fleetguard/page-token-mac/v1";
  // REQUIRES: key is at least 16 bytes (a shorter key is a programming error).
  explicit PageTokenCodec(std::string key);

  // The token for resuming after `cursor` within `scope` (e.g. "123456789012/ListCertificates/
  // asc"). Cursors longer than kMaxCursorBytes do not fit the 1024-character Marker limit.
  static constexpr size_t kMaxCursorBytes = 700;
  std::string Encode(std::string_view scope, std::string_view cursor) const;

  // The cursor inside `token`. kInvalidArgument ("Invalid <member>") for anything Encode did not
  // produce with this key and this scope: bad base64, wrong version, altered bytes, other scope.
  Result<std::string> Decode(std::string_view scope, std::string_view token,
                             std::string_view member) const;

 private:
  std::string Mac(std::string_view scope, std::string_view cursor) const;

  std::string key_;
};

// `requested` (pageSize / maxResults) checked against 1..250, or kDefaultPageSize when absent.
Result<int> ResolvePageSize(std::string_view member, std::optional<int64_t> requested);

}  // namespace fg::api
