#pragma once

// Transport-independent HTTP request and response. net/ converts Beast messages to and from these,
// so that api/ handlers compile without Beast and are tested without sockets (STYLE.md §11.2).
// Plain values: copyable, no internal synchronisation.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fg::api {

struct HttpHeader {
  std::string name;  // as received; compare with EqualsIgnoreCase
  std::string value;
};

// ASCII case-insensitive equality, as HTTP field names compare (RFC 9110 §5.1).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An ordered list of header fields. Duplicates and their order are kept, because SigV4 signs
// every value of a repeated header in the order received.
class HttpHeaders {
 public:
  void Add(std::string name, std::string value);
  // Removes every field called `name`, then adds one.
  void Set(std::string name, std::string value);
  void Remove(std::string_view name);

  // The first value of `name` (case-insensitive), or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  size_t Count(std::string_view name) const;

  const std::vector<HttpHeader>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<HttpHeader> fields_;
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as received (case-sensitive per RFC 9110 §9.1)
  std::string target;  // raw request-target: path plus optional "?query", still percent-encoded
  HttpHeaders headers;
  std::string body;
  std::string peer_address;  // "ip:port" of the client, for logs

  // The part of `target` before '?', and the part after it ("" when there is none).
  std::string_view RawPath() const;
  std::string_view RawQuery() const;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;
};

}  // namespace fg::api
