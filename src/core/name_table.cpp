#include "core/name_table.h"

#include <string>

namespace fg {

Error UnknownNameError(std::string_view what, std::string_view name) {
  std::string message = "invalid ";
  message += what;
  message += " '";
  // Echo at most a short prefix of untrusted input back into the message.
  message += name.substr(0, 64);
  message += "'";
  Error error;
  error.code = ErrorCode::kInvalidArgument;
  error.message = std::move(message);
  return error;
}

}  // namespace fg
