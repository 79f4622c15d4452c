#include "core/error.h"

namespace fg {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "InvalidArgument";
    case ErrorCode::kNotFound: return "NotFound";
    case ErrorCode::kAlreadyExists: return "AlreadyExists";
    case ErrorCode::kCertificateValidation: return "CertificateValidation";
    case ErrorCode::kCertificateState: return "CertificateState";
    case ErrorCode::kCertificateConflict: return "CertificateConflict";
    case ErrorCode::kDeleteConflict: return "DeleteConflict";
    case ErrorCode::kTransferConflict: return "TransferConflict";
    case ErrorCode::kTransferAlreadyCompleted: return "TransferAlreadyCompleted";
    case ErrorCode::kVersionConflict: return "VersionConflict";
    case ErrorCode::kRegistrationCodeValidation: return "RegistrationCodeValidation";
    case ErrorCode::kLimitExceeded: return "LimitExceeded";
    case ErrorCode::kUnauthenticated: return "Unauthenticated";
    case ErrorCode::kForbidden: return "Forbidden";
    case ErrorCode::kUnavailable: return "Unavailable";
    case ErrorCode::kCorrupt: return "Corrupt";
    case ErrorCode::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code));
  out += ": ";
  out += message;
  return out;
}

}  // namespace fg
