#pragma once

// What a REST handler sees of one request: the caller's account, the decoded path labels and
// query, the headers, and the JSON body parsed on first use.
//
// A RequestContext lives for one handler call and is used by one thread (the body is parsed
// lazily and cached, without locking). It refers to the HttpRequest, which must outlive it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/http_types.h"
#include "api/json_body.h"
#include "api/percent_encoding.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::api {

// Path label name ("certificateId") -> percent-decoded value.
using PathLabels = std::map<std::string, std::string, std::less<>>;

class RequestContext {
 public:
  RequestContext(const HttpRequest& request, std::string account_id, std::string request_id,
                 std::string operation, PathLabels labels, QueryParams query);
  // Body() hands out readers into this object's storage, so it stays where it was made.
  RequestContext(const RequestContext&) = delete;
  RequestContext& operator=(const RequestContext&) = delete;

  const HttpRequest& request() const { return *request_; }
  const HttpHeaders& headers() const { return request_->headers; }
  // The 12-digit account the SigV4 key belongs to. Handlers scope every lookup by it.
  const std::string& account_id() const { return account_id_; }
  const std::string& request_id() const { return request_id_; }
  // The AWS operation name of the matched route ("DescribeCertificate").
  const std::string& operation() const { return operation_; }
  const PathLabels& labels() const { return labels_; }
  const QueryParams& query() const { return query_; }

  // The decoded value of a label of the matched template; "" if the template has no such label
  // (a programming error in the handler, which the handler's tests catch).
  std::string_view Label(std::string_view name) const;

  // Scalar querystring members (reference §1.1). Each returns nullopt when the parameter is
  // absent and kInvalidArgument when it is repeated or does not parse:
  // booleans are exactly "true"/"false"; integers are decimal int64; timestamps are ISO 8601 UTC.
  Result<std::optional<std::string>> QueryString(std::string_view name) const;
  Result<std::optional<bool>> QueryBool(std::string_view name) const;
  Result<std::optional<int64_t>> QueryInt(std::string_view name) const;
  Result<std::optional<TimePoint>> QueryTimestamp(std::string_view name) const;

  // The body as a JSON object (empty body = {}), parsed on the first call. The reader refers to
  // storage inside this context. kInvalidArgument for a body that is not a JSON object.
  Result<JsonReader> Body() const;

 private:
  const HttpRequest* request_;
  std::string account_id_;
  std::string request_id_;
  std::string operation_;
  PathLabels labels_;
  QueryParams query_;
  mutable std::optional<Result<boost::json::object>> body_;
};

}  // namespace fg::api
