#pragma once

#include <string>
#include <string_view>

namespace fg {

// Domain error kinds. They are deliberately close to AWS IoT's exception shapes, so that the
// API layer maps each one to exactly one wire error (api/api_error.cpp) and no handler needs
// to decide on its own. Adding a code means adding a row to that table.
enum class ErrorCode {
  kInvalidArgument,        // malformed input: InvalidRequestException
  kNotFound,               // ResourceNotFoundException
  kAlreadyExists,          // ResourceAlreadyExistsException (resource_id/arn may be set)
  kCertificateValidation,  // CertificateValidationException: unparsable or unacceptable cert
  kCertificateState,       // CertificateStateException: the status forbids the operation
  kCertificateConflict,    // CertificateConflictException
  kDeleteConflict,         // DeleteConflictException: still attached or referenced
  kTransferConflict,       // TransferConflictException
  kTransferAlreadyCompleted,  // TransferAlreadyCompletedException
  kVersionConflict,        // VersionConflictException
  kRegistrationCodeValidation,  // RegistrationCodeValidationException
  kLimitExceeded,          // LimitExceededException
  kUnauthenticated,        // UnauthorizedException / bad signature
  kForbidden,              // the caller is known but may not do this
  kUnavailable,            // ServiceUnavailableException: retry later
  kCorrupt,                // stored data failed a consistency check
  kInternal,               // InternalFailureException: a bug or an unexpected library failure
};

std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // Set for kAlreadyExists, where AWS returns the existing resource's id and ARN.
  std::string resource_id;
  std::string resource_arn;

  // "kNotFound: certificate abc does not exist" for logs and CLI output.
  std::string ToString() const;
};

}  // namespace fg
