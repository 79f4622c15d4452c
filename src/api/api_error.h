#pragma once

// The wire form of every error the control plane returns, in AWS rest-json style
// (reference aws-iot-api.md §1.3 and §4): the status, `x-amzn-ErrorType: <ShortName>`,
// `Content-Type: application/json`, `x-amzn-RequestId`, and the body
// {"message": ..., "__type": <ShortName>} (plus resourceId/resourceArn for
// ResourceAlreadyExistsException). This file holds the only ErrorCode -> wire table.

#include <string>
#include <string_view>

#include "api/http_types.h"
#include "core/error.h"

namespace fg::api {

// Failures that arise in the API layer itself, before or around a handler, and that have no
// domain ErrorCode: authentication (SigV4), routing and HTTP framing.
enum class ApiFailure {
  kMissingAuthenticationToken,  // 403: no Authorization header at all
  kIncompleteSignature,         // 403: Authorization present but malformed
  kInvalidSignature,            // 403: bad signature, expired, wrong scope
  kUnrecognizedClient,          // 403: unknown access key or a security token we never issued
  kUnknownOperation,            // 404: no route for this path
  kMethodNotAllowed,            // 405: the path exists but not with this method
  kMalformedRequest,            // 400: unparsable HTTP
  kRequestTimeout,              // 408: the client was too slow sending the request
  kPayloadTooLarge,             // 413: body over the limit
  kHeaderFieldsTooLarge,        // 431: header section over the limit
};

// An error ready for the wire. Copyable value.
struct ApiError {
  int status = 500;
  std::string type;  // AWS short name, no namespace prefix
  std::string message;
  std::string resource_id;   // only for ResourceAlreadyExistsException
  std::string resource_arn;  // only for ResourceAlreadyExistsException

  // Maps a domain error through the table. kInternal and kCorrupt get a generic message, because
  // their detail (SQL text, file names) is for the log, not for the caller.
  static ApiError From(const Error& error);
  static ApiError From(ApiFailure failure, std::string message);
};

// Status and short name for a domain error code / an API failure.
struct WireCode {
  int status;
  std::string_view type;
};
WireCode WireCodeFor(ErrorCode code);
WireCode WireCodeFor(ApiFailure failure);

// The complete error response described at the top of this file.
HttpResponse ErrorResponse(const ApiError& error, std::string_view request_id);
HttpResponse ErrorResponse(const Error& error, std::string_view request_id);

}  // namespace fg::api
