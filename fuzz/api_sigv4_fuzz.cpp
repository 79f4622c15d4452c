// Target: api::SigV4Verifier::Verify (Authorization header parsing, credential scope, signed
// header list, X-Amz-Date and clock skew, canonical request, signature comparison) on arbitrary
// requests, plus api::CanonicalUri and api::CanonicalQuery on their path and query.
//
// Input: HTTP text (see fuzz/http_text.h). The clock stands at 2026-11-22T02:09:44Z and the key
// store knows AKIDEXAMPLE with the secret of reference §1.4, so the golden vectors in the corpus
// verify and the fuzzer mutates from accepted requests. AKIDUNAVAILABLE makes the key store fail.
//
// Invariants: an accepted request is attributed to AKIDEXAMPLE's account; a refusal is 403 (or
// the key store's own error); no refusal message carries a 64-hex-digit string that the client
// did not send itself (the expected signature, a hash of the canonical request).

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/api_error.h"
#include "api/sigv4.h"
#include "core/clock.h"
#include "core/time_format.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/http_text.h"

namespace fg::api {
namespace {

constexpr std::string_view kAccount = "123456789012";

Result<AccessKeySecret> Lookup(std::string_view access_key_id) {
  if (access_key_id == "AKIDEXAMPLE") {
    return AccessKeySecret{std::string(kAccount), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
  }
  if (access_key_id == "AKIDUNAVAILABLE") {
    return Fail(ErrorCode::kUnavailable, "key store down");
  }
  return Fail(ErrorCode::kNotFound, "no such key");
}

// True if every run of 64 or more hex digits in `message` also occurs in `sent`.
bool OnlyEchoesClientHex(std::string_view message, std::string_view sent) {
  std::size_t i = 0;
  while (i < message.size()) {
    std::size_t j = i;
    while (j < message.size() && std::isxdigit(static_cast<unsigned char>(message[j])) != 0) {
      ++j;
    }
    if (j - i >= 64 && sent.find(message.substr(i, j - i)) == std::string_view::npos) {
      return false;
    }
    i = j + 1;
  }
  return true;
}

void CheckRequest(const HttpRequest& request) {
  static const ManualClock clock(*ParseAmzDate("20261122T020944Z"));
  static const SigV4Verifier verifier(Lookup, "us-east-1", clock);

  (void)CanonicalUri(request.RawPath());
  (void)CanonicalQuery(request.RawQuery());

  auto caller = verifier.Verify(request);
  if (caller) {
    FG_FUZZ_CHECK(caller->access_key_id == "AKIDEXAMPLE", "only the known key verifies");
    FG_FUZZ_CHECK(caller->account_id == kAccount, "the caller is the key's account");
    return;
  }
  const int unavailable = WireCodeFor(ErrorCode::kUnavailable).status;
  FG_FUZZ_CHECK(caller.error().status == 403 || caller.error().status == unavailable,
                "authentication failures are 403");
  std::string sent = request.target;
  for (const HttpHeader& header : request.headers.fields()) {
    sent += header.value;
  }
  FG_FUZZ_CHECK(OnlyEchoesClientHex(caller.error().message, sent),
                "refusals never reveal the expected signature or hashes");
}

}  // namespace
}  // namespace fg::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fg::api::CheckRequest(
      fg::fuzz::ParseHttpText(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}
