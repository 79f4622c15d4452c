#include "api/api_service.h"

#include <exception>

#include <spdlog/spdlog.h>

#include "pki/random.h"

namespace fg::api {

ApiService::ApiService(SigV4Verifier verifier, Router router)
    : verifier_(std::move(verifier)), router_(std::move(router)) {}

HttpResponse ApiService::Handle(const HttpRequest& request) const {
  std::string request_id = pki::RandomUuid();
  // The key lookup may reach the store; like a handler, it must not let an exception escape.
  try {
    auto caller = verifier_.Verify(request);
    if (!caller) {
      return ErrorResponse(caller.error(), request_id);
    }
    return router_.Dispatch(request, caller->account_id, request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {}: exception during authentication: {}", request_id, e.what());
  } catch (...) {
    spdlog::error("request {}: unknown exception during authentication", request_id);
  }
  return ErrorResponse(Error{ErrorCode::kInternal, "exception", {}, {}}, request_id);
}

}  // namespace fg::api
