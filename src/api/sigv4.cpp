#include "api/sigv4.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "api/http_date.h"
#include "api/percent_encoding.h"
#include "core/hex.h"
#include "core/time_format.h"
#include "pki/constant_time.h"
#include "pki/digest.h"

namespace fg::api {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";

tl::unexpected<ApiError> Reject(ApiFailure failure, std::string_view message) {
  return tl::unexpected(ApiError::From(failure, std::string(message)));
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    return {};
  }
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// botocore: ' '.join(value.split()) - trim and collapse internal whitespace runs to one space.
std::string NormalizeHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

std::string HmacRaw(std::string_view key, std::string_view data) {
  pki::Sha256Digest d = pki::HmacSha256(key, data);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

struct ParsedAuthorization {
  std::string access_key_id;
  std::string day;
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;
};

bool IsHeaderNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Parses the Authorization value. Errors are IncompleteSignature with a description of the
// format problem only.
tl::expected<ParsedAuthorization, ApiError> ParseAuthorization(std::string_view value) {
  value = Trim(value);
  size_t space = value.find(' ');
  std::string_view algorithm = value.substr(0, space);
  if (algorithm != kAlgorithm) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "Unsupported signature algorithm; only AWS4-HMAC-SHA256 is accepted");
  }
  if (space == std::string_view::npos) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
  }
  std::map<std::string_view, std::string_view> params;
  std::string_view rest = value.substr(space + 1);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "Authorization header parameters must be of the form key=value");
    }
    std::string_view key = item.substr(0, eq);
    if (key != "Credential" && key != "SignedHeaders" && key != "Signature") {
      return Reject(ApiFailure::kIncompleteSignature,
                    "Authorization header has an unknown parameter");
    }
    if (!params.emplace(key, item.substr(eq + 1)).second) {
      return Reject(ApiFailure::kIncompleteSignature, "Authorization header repeats a parameter");
    }
  }
  if (params.size() != 3) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
  }

  ParsedAuthorization out;
  std::vector<std::string_view> scope;
  std::string_view credential = params["Credential"];
  while (true) {
    size_t slash = credential.find('/');
    scope.push_back(credential.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    credential.remove_prefix(slash + 1);
  }
  if (scope.size() != 5 || scope[0].empty() || scope[1].size() != 8 ||
      scope[1].find_first_not_of("0123456789") != std::string_view::npos || scope[2].empty() ||
      scope[3].empty()) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "Credential must have the form <key>/<yyyymmdd>/<region>/<service>/aws4_request");
  }
  if (scope[4] != kTerminator) {
    return Reject(ApiFailure::kInvalidSignature,
                  "Credential should be scoped with a valid terminator: 'aws4_request'");
  }
  out.access_key_id = std::string(scope[0]);
  out.day = std::string(scope[1]);
  out.region = std::string(scope[2]);
  out.service = std::string(scope[3]);

  std::string_view names = params["SignedHeaders"];
  while (!names.empty() || out.signed_headers.empty()) {
    size_t semi = names.find(';');
    std::string_view name = names.substr(0, semi);
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsHeaderNameChar)) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "SignedHeaders must be a ';'-separated list of lowercase header names");
    }
    if (std::find(out.signed_headers.begin(), out.signed_headers.end(), name) !=
        out.signed_headers.end()) {
      return Reject(ApiFailure::kIncompleteSignature, "SignedHeaders repeats a header name");
    }
    out.signed_headers.emplace_back(name);
    if (semi == std::string_view::npos) {
      break;
    }
    names.remove_prefix(semi + 1);
    if (names.empty()) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "SignedHeaders must be a ';'-separated list of lowercase header names");
    }
  }

  out.signature = std::string(params["Signature"]);
  if (out.signature.size() != 64 || !IsHex(out.signature, 64)) {
    return Reject(ApiFailure::kIncompleteSignature, "Signature must be 64 hexadecimal digits");
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string CanonicalUri(std::string_view raw_path) {
  if (raw_path.empty()) {
    return "/";
  }
  return PercentEncode(raw_path, "/~");
}

Result<std::string> CanonicalQuery(std::string_view raw_query) {
  auto params = ParseQueryString(raw_query);
  if (!params) {
    return Fail(params.error());
  }
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params->size());
  for (const auto& [key, value] : *params) {
    encoded.emplace_back(PercentEncode(key), PercentEncode(value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += key;
    out.push_back('=');
    out += value;
  }
  return out;
}

Result<std::string> CanonicalRequest(const HttpRequest& request,
                                     std::span<const std::string> signed_headers) {
  auto query = CanonicalQuery(request.RawQuery());
  if (!query) {
    return Fail(query.error());
  }
  std::string out = request.method;
  out.push_back('\n');
  out += CanonicalUri(request.RawPath());
  out.push_back('\n');
  out += *query;
  out.push_back('\n');
  std::string names;
  for (const std::string& name : signed_headers) {
    std::vector<std::string_view> values = request.headers.GetAll(name);
    if (values.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "A signed header is missing from the request");
    }
    out += name;
    out.push_back(':');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) {
        out.push_back(',');
      }
      out += NormalizeHeaderValue(values[i]);
    }
    out.push_back('\n');
    if (!names.empty()) {
      names.push_back(';');
    }
    names += name;
  }
  out.push_back('\n');
  out += names;
  out.push_back('\n');
  out += pki::Sha256Hex(request.body);
  return out;
}

std::string SigningKey(std::string_view secret, std::string_view day, std::string_view region,
                       std::string_view service) {
  std::string key = HmacRaw("AWS4" + std::string(secret), day);
  key = HmacRaw(key, region);
  key = HmacRaw(key, service);
  return HmacRaw(key, kTerminator);
}

std::string ComputeSignature(std::string_view secret, std::string_view amz_date,
                             std::string_view region, std::string_view service,
                             std::string_view canonical_request) {
  std::string_view day = amz_date.substr(0, 8);
  std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                               std::string(day) + "/" + std::string(region) + "/" +
                               std::string(service) + "/" + std::string(kTerminator) + "\n" +
                               pki::Sha256Hex(canonical_request);
  pki::Sha256Digest mac = pki::HmacSha256(SigningKey(secret, day, region, service), string_to_sign);
  return HexEncode(std::span<const uint8_t>(mac.data(), mac.size()));
}

Result<void> SignRequest(HttpRequest& request, const SigningParams& params) {
  std::string amz_date = FormatAmzDate(params.time);
  std::vector<std::string> names = params.extra_signed_headers;
  names.emplace_back("host");
  if (params.use_date_header) {
    request.headers.Set("Date", FormatHttpDate(params.time));
    names.emplace_back("date");
  } else {
    request.headers.Set("X-Amz-Date", amz_date);
    names.emplace_back("x-amz-date");
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  auto canonical = CanonicalRequest(request, names);
  if (!canonical) {
    return Fail(canonical.error());
  }
  std::string signature =
      ComputeSignature(params.secret, amz_date, params.region, params.service, *canonical);
  std::string joined;
  for (const std::string& name : names) {
    joined += joined.empty() ? "" : ";";
    joined += name;
  }
  request.headers.Set("Authorization",
                      std::string(kAlgorithm) + " Credential=" + params.access_key_id + "/" +
                          amz_date.substr(0, 8) + "/" + params.region + "/" + params.service + "/" +
                          std::string(kTerminator) + ", SignedHeaders=" + joined +
                          ", Signature=" + signature);
  return Ok();
}

SigV4Verifier::SigV4Verifier(AccessKeyLookup lookup, std::string region, const Clock& clock)
    : lookup_(std::move(lookup)), region_(std::move(region)), clock_(&clock) {}

tl::expected<Caller, ApiError> SigV4Verifier::Verify(const HttpRequest& request) const {
  std::vector<std::string_view> authorization = request.headers.GetAll("Authorization");
  if (authorization.empty()) {
    return Reject(ApiFailure::kMissingAuthenticationToken, "Missing Authentication Token");
  }
  if (authorization.size() > 1) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "The request must carry exactly one Authorization header");
  }
  auto parsed = ParseAuthorization(authorization[0]);
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  // Temporary credentials are never issued here, so any token is one we cannot honour.
  if (request.headers.Count("X-Amz-Security-Token") > 0) {
    return Reject(ApiFailure::kUnrecognizedClient, kInvalidToken);
  }
  if (parsed->service != "iot" && parsed->service != "execute-api") {
    return Reject(ApiFailure::kInvalidSignature,
                  "Credential should be scoped to correct service: 'iot'.");
  }
  if (parsed->region != region_) {
    return Reject(ApiFailure::kInvalidSignature, "Credential should be scoped to a valid region.");
  }
  // X-Amz-Date, or else the HTTP Date header, gives the signing time; whichever is used must be
  // signed, as must host: otherwise the signature could be replayed at another time or endpoint.
  std::string amz_date;
  std::optional<TimePoint> signed_at;
  std::string_view date_header = "x-amz-date";
  std::vector<std::string_view> amz_dates = request.headers.GetAll("X-Amz-Date");
  if (!amz_dates.empty()) {
    if (amz_dates.size() != 1) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "The request must carry exactly one X-Amz-Date header");
    }
    amz_date = std::string(Trim(amz_dates[0]));
    signed_at = ParseAmzDate(amz_date);
    if (!signed_at) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "X-Amz-Date must have the form yyyymmddThhmmssZ");
    }
  } else {
    std::vector<std::string_view> http_dates = request.headers.GetAll("Date");
    if (http_dates.size() != 1) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a "
                    "'Date' header.");
    }
    date_header = "date";
    signed_at = ParseHttpDate(Trim(http_dates[0]));
    if (!signed_at) {
      return Reject(ApiFailure::kIncompleteSignature,
                    "Date must have the form 'Sun, 06 Nov 1994 08:49:37 GMT'");
    }
    amz_date = FormatAmzDate(*signed_at);
  }
  if (!Contains(parsed->signed_headers, "host") || !Contains(parsed->signed_headers, date_header)) {
    return Reject(ApiFailure::kIncompleteSignature,
                  "SignedHeaders must include 'host' and '" + std::string(date_header) + "'");
  }
  if (FormatAmzDay(*signed_at) != parsed->day) {
    return Reject(ApiFailure::kInvalidSignature,
                  "Date in Credential scope does not match YYYYMMDD from the request date");
  }
  auto skew = clock_->Now() - *signed_at;
  if (skew > kMaxClockSkew || skew < -kMaxClockSkew) {
    return Reject(ApiFailure::kInvalidSignature,
                  "Signature expired or not yet current: the request date must be within 15 "
                  "minutes "
                  "of the server time");
  }

  Result<AccessKeySecret> key = lookup_(parsed->access_key_id);
  if (!key) {
    if (key.error().code == ErrorCode::kNotFound) {
      return Reject(ApiFailure::kUnrecognizedClient, kInvalidToken);
    }
    return tl::unexpected(ApiError::From(key.error()));
  }
  auto canonical = CanonicalRequest(request, parsed->signed_headers);
  if (!canonical) {
    return Reject(ApiFailure::kInvalidSignature, kMismatch);
  }
  std::string expected =
      ComputeSignature(key->secret, amz_date, parsed->region, parsed->service, *canonical);
  // Lowercase hex only: the canonical form. An uppercase signature is a mismatch.
  if (!pki::ConstantTimeEquals(expected, parsed->signature)) {
    return Reject(ApiFailure::kInvalidSignature, kMismatch);
  }
  return Caller{std::move(key->account_id), std::move(parsed->access_key_id)};
}

}  // namespace fg::api
