#pragma once

// AWS Signature Version 4 verification for the control plane (reference §1.4), plus the signer
// that tests and tools use to produce requests.
//
// Accepted: `Authorization: AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request,
// SignedHeaders=..., Signature=<64 hex>` with service `iot` or `execute-api` (older botocore signs
// IoT with the latter), the server's region, `host` and `x-amz-date` signed, X-Amz-Date within
// 15 minutes of the clock and on the scope's day (the HTTP `Date` header, signed as `date`, may
// stand in for X-Amz-Date). We issue no temporary credentials, so a request carrying
// X-Amz-Security-Token is refused. Presigned query-string auth is not supported.
//
// Failures use the codes of AWS's front end, all 403 (api_error.h): MissingAuthenticationToken
// (no Authorization), IncompleteSignature (malformed Authorization or X-Amz-Date),
// InvalidSignature (mismatch, expired, wrong region/service/day), UnrecognizedClient (unknown key,
// any security token). Messages never contain the expected signature, the canonical request or the
// string to sign. Key-store failures other than kNotFound are passed through the error table.

#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "api/api_error.h"
#include "api/http_types.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::api {

struct AccessKeySecret {
  std::string account_id;
  std::string secret;
};

// access_key_id -> its account and secret. kNotFound when the key is unknown or disabled.
// Called once per request from the handler threads; must be thread-safe.
using AccessKeyLookup = std::function<Result<AccessKeySecret>(std::string_view access_key_id)>;

struct Caller {
  std::string account_id;
  std::string access_key_id;
};

inline constexpr std::chrono::minutes kMaxClockSkew{15};

class SigV4Verifier {
 public:
  // `clock` must outlive the verifier. Thread-safe if `lookup` is.
  SigV4Verifier(AccessKeyLookup lookup, std::string region, const Clock& clock);

  tl::expected<Caller, ApiError> Verify(const HttpRequest& request) const;

 private:
  AccessKeyLookup lookup_;
  std::string region_;
  const Clock* clock_;
};

// --- The pieces of the algorithm, exposed for tests and for the signer. ---

// The raw path percent-encoded again with '/' and '~' safe, without decoding first ("/" if empty).
std::string CanonicalUri(std::string_view raw_path);

// Query pairs decoded, re-encoded with only A-Za-z0-9-_.~ safe, sorted, joined "k=v&k=v".
// kInvalidArgument on malformed percent-encoding.
Result<std::string> CanonicalQuery(std::string_view raw_query);

// The canonical request for `signed_headers` (lowercase names, in signing order). kInvalidArgument
// when a signed header is absent from the request or the query is malformed.
Result<std::string> CanonicalRequest(const HttpRequest& request,
                                     std::span<const std::string> signed_headers);

// HMAC chain "AWS4"+secret -> day -> region -> service -> "aws4_request" (32 raw bytes).
std::string SigningKey(std::string_view secret, std::string_view day, std::string_view region,
                       std::string_view service);

// Lowercase hex signature of `canonical_request` at `amz_date` ("20261122T020944Z").
std::string ComputeSignature(std::string_view secret, std::string_view amz_date,
                             std::string_view region, std::string_view service,
                             std::string_view canonical_request);

struct SigningParams {
  std::string access_key_id;
  std::string secret;
  std::string region;
  std::string service = "iot";
  TimePoint time;
  // Lowercase names to sign besides host and the date header (e.g. "content-type").
  std::vector<std::string> extra_signed_headers;
  // Sign the HTTP Date header instead of X-Amz-Date (some non-botocore clients do).
  bool use_date_header = false;
};

// Sets X-Amz-Date (or Date) and Authorization on `request` as botocore would. `request` must
// already have its Host header. kInvalidArgument if a header to sign is missing.
Result<void> SignRequest(HttpRequest& request, const SigningParams& params);

}  // namespace fg::api
