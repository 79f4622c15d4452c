#include "api/api_error.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace fg::api {

WireCode WireCodeFor(ErrorCode code) {
  // Status codes are the model's error shapes (reference §4).
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {400, "InvalidRequestException"};
    case ErrorCode::kNotFound:
      return {404, "ResourceNotFoundException"};
    case ErrorCode::kAlreadyExists:
      return {409, "ResourceAlreadyExistsException"};
    case ErrorCode::kCertificateValidation:
      return {400, "CertificateValidationException"};
    case ErrorCode::kCertificateState:
      return {406, "CertificateStateException"};
    case ErrorCode::kCertificateConflict:
      return {409, "CertificateConflictException"};
    case ErrorCode::kDeleteConflict:
      return {409, "DeleteConflictException"};
    case ErrorCode::kTransferConflict:
      return {409, "TransferConflictException"};
    case ErrorCode::kTransferAlreadyCompleted:
      return {410, "TransferAlreadyCompletedException"};
    case ErrorCode::kVersionConflict:
      return {409, "VersionConflictException"};
    case ErrorCode::kRegistrationCodeValidation:
      return {400, "RegistrationCodeValidationException"};
    case ErrorCode::kLimitExceeded:
      return {410, "LimitExceededException"};
    // IoT answers an IAM denial with UnauthorizedException (401); it is the only
    // authorisation shape in the model, so both codes use it.
    case ErrorCode::kUnauthenticated:
      return {401, "UnauthorizedException"};
    case ErrorCode::kForbidden:
      return {401, "UnauthorizedException"};
    case ErrorCode::kUnavailable:
      return {503, "ServiceUnavailableException"};
    case ErrorCode::kCorrupt:
      return {500, "InternalFailureException"};
    case ErrorCode::kInternal:
      return {500, "InternalFailureException"};
  }
  return {500, "InternalFailureException"};
}

WireCode WireCodeFor(ApiFailure failure) {
  // Authentication failures use the codes AWS's front end returns for SigV4 problems, all 403;
  // botocore maps them to ClientError with these codes.
  switch (failure) {
    case ApiFailure::kMissingAuthenticationToken:
      return {403, "MissingAuthenticationTokenException"};
    case ApiFailure::kIncompleteSignature:
      return {403, "IncompleteSignatureException"};
    case ApiFailure::kInvalidSignature:
      return {403, "InvalidSignatureException"};
    case ApiFailure::kUnrecognizedClient:
      return {403, "UnrecognizedClientException"};
    case ApiFailure::kUnknownOperation:
      return {404, "UnknownOperationException"};
    case ApiFailure::kMethodNotAllowed:
      return {405, "UnknownOperationException"};
    case ApiFailure::kMalformedRequest:
      return {400, "InvalidRequestException"};
    case ApiFailure::kRequestTimeout:
      return {408, "RequestTimeoutException"};
    case ApiFailure::kPayloadTooLarge:
      return {413, "RequestEntityTooLargeException"};
    case ApiFailure::kHeaderFieldsTooLarge:
      return {431, "RequestHeaderFieldsTooLargeException"};
  }
  return {500, "InternalFailureException"};
}

ApiError ApiError::From(const Error& error) {
  WireCode wire = WireCodeFor(error.code);
  ApiError out;
  out.status = wire.status;
  out.type = std::string(wire.type);
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kCorrupt) {
    out.message = "An internal error occurred. Retry the request later.";
  } else {
    out.message = error.message;
  }
  if (error.code == ErrorCode::kAlreadyExists) {
    out.resource_id = error.resource_id;
    out.resource_arn = error.resource_arn;
  }
  return out;
}

ApiError ApiError::From(ApiFailure failure, std::string message) {
  WireCode wire = WireCodeFor(failure);
  ApiError out;
  out.status = wire.status;
  out.type = std::string(wire.type);
  out.message = std::move(message);
  return out;
}

HttpResponse ErrorResponse(const ApiError& error, std::string_view request_id) {
  boost::json::object body;
  body["message"] = error.message;
  body["__type"] = error.type;
  if (!error.resource_id.empty()) {
    body["resourceId"] = error.resource_id;
  }
  if (!error.resource_arn.empty()) {
    body["resourceArn"] = error.resource_arn;
  }
  HttpResponse response;
  response.status = error.status;
  // Never a "namespace#" prefix: aws-cli 2.9 keeps it and then fails to match the shape (§1.3).
  response.headers.Add("x-amzn-ErrorType", error.type);
  response.headers.Add("Content-Type", "application/json");
  response.headers.Add("x-amzn-RequestId", std::string(request_id));
  response.body = boost::json::serialize(body);
  return response;
}

HttpResponse ErrorResponse(const Error& error, std::string_view request_id) {
  return ErrorResponse(ApiError::From(error), request_id);
}

}  // namespace fg::api
