// Target: api::PercentDecode / PercentEncode, api::ParseQueryString, api::CanonicalQuery,
// api::PageTokenCodec::Decode (the marker / nextToken a client sends back), api::Validate for
// every model shape, and api::Utf16Length.
//
// Input: a raw query string, which is also used as a page token and as a member value.
//
// Invariants: PercentDecode(PercentEncode(s)) == s; ParseQueryString and CanonicalQuery accept
// exactly the same strings and CanonicalQuery is idempotent; a token only decodes under the
// scope it was made for, and an arbitrary input decodes as a token only if it is a real one
// (which the fuzzer cannot forge without the key).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/pagination.h"
#include "api/percent_encoding.h"
#include "api/sigv4.h"
#include "api/validation.h"
#include "fuzz/fuzz_check.h"

namespace fg::api {
namespace {

constexpr Shape kShapes[] = {
    Shape::kCertificateId,
    Shape::kRegistrationCode,
    Shape::kThingName,
    Shape::kThingGroupName,
    Shape::kThingTypeName,
    Shape::kBillingGroupName,
    Shape::kPolicyName,
    Shape::kScheduledAuditName,
    Shape::kMitigationActionName,
    Shape::kAuditTaskId,
    Shape::kMitigationActionsTaskId,
    Shape::kFindingId,
    Shape::kMarker,
    Shape::kCertificatePem,
    Shape::kCertificateSigningRequest,
    Shape::kPolicyDocument,
    Shape::kClientRequestToken,
    Shape::kAttributeName,
    Shape::kAttributeValue,
    Shape::kDayOfMonth,
    Shape::kAwsAccountId,
    Shape::kMessage,
    Shape::kAuditDescription,
    Shape::kThingGroupDescription,
    Shape::kRoleArn,
    Shape::kTemplateName,
    Shape::kTemplateBody,
    Shape::kTagKey,
    Shape::kTagValue,
    Shape::kConfigValue,
    Shape::kEndpointType,
};

void CheckQuery(std::string_view input) {
  FG_FUZZ_CHECK(PercentDecode(PercentEncode(input)) == std::string(input), "encode/decode");
  FG_FUZZ_CHECK(PercentDecode(PercentEncode(input, "/~")) == std::string(input),
                "encode/decode with safe characters");

  auto params = ParseQueryString(input);
  auto canonical = CanonicalQuery(input);
  FG_FUZZ_CHECK(params.has_value() == canonical.has_value(),
                "the router and SigV4 accept the same query strings");
  if (canonical) {
    auto twice = CanonicalQuery(*canonical);
    FG_FUZZ_CHECK(twice.has_value() && *twice == *canonical, "CanonicalQuery is idempotent");
  }

  static const PageTokenCodec codec(std::string(32, 'k'));
  const std::string_view scope = "123456789012/ListCertificates/asc";
  auto forged = codec.Decode(scope, input, "marker");
  FG_FUZZ_CHECK(!forged || forged->size() <= PageTokenCodec::kMaxCursorBytes,
                "a decoded cursor fits the limit");
  const std::string_view cursor = input.substr(0, PageTokenCodec::kMaxCursorBytes);
  const std::string token = codec.Encode(scope, cursor);
  FG_FUZZ_CHECK(Validate(Shape::kMarker, "marker", token).has_value(), "tokens fit Marker");
  auto decoded = codec.Decode(scope, token, "marker");
  FG_FUZZ_CHECK(decoded.has_value() && *decoded == cursor, "a token decodes to its cursor");
  FG_FUZZ_CHECK(!codec.Decode("210987654321/ListCertificates/asc", token, "marker").has_value(),
                "a token does not decode under another account's scope");

  for (Shape shape : kShapes) {
    (void)Validate(shape, "member", input);
  }
  (void)Utf16Length(input);
}

}  // namespace
}  // namespace fg::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::api::CheckQuery(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
