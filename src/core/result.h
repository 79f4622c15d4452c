#pragma once

// fg::Result<T> is the return type of every operation that can fail on input or state.
// It aliases tl::expected so that a move to C++23 std::expected changes this one file.

#include <tl/expected.hpp>

#include "core/error.h"

namespace fg {

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the error side of a Result: `return fg::Fail(ErrorCode::kNotFound, "no such cert");`
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return tl::unexpected<Error>(std::move(e));
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

// Result<void> success value: `return fg::Ok();`
inline Result<void> Ok() { return {}; }

}  // namespace fg
