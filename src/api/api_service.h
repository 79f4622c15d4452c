#pragma once

// The control plane's front door: every HTTP request from net/ passes through Handle(), which
// assigns the request id, authenticates with SigV4, routes, runs the handler and formats errors.
// Authentication comes before routing, so an unauthenticated caller learns nothing about paths.
//
// Thread-safety: Handle() is const and may run on many threads at once once set-up is over
// (the router is filled before the server starts).

#include <string>

#include "api/http_types.h"
#include "api/router.h"
#include "api/sigv4.h"

namespace fg::api {

class ApiService {
 public:
  ApiService(SigV4Verifier verifier, Router router);

  // Never throws. The response always carries x-amzn-RequestId (a fresh UUID).
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  SigV4Verifier verifier_;
  Router router_;
};

}  // namespace fg::api
