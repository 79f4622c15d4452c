#include "api/http_types.h"

#include <algorithm>

namespace fg::api {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return LowerAscii(x) == LowerAscii(y);
         });
}

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.push_back(HttpHeader{std::move(name), std::move(value)});
}

void HttpHeaders::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(fields_, [name](const HttpHeader& h) { return EqualsIgnoreCase(h.name, name); });
}

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const HttpHeader& h : fields_) {
    if (EqualsIgnoreCase(h.name, name)) {
      return std::string_view(h.value);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> HttpHeaders::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const HttpHeader& h : fields_) {
    if (EqualsIgnoreCase(h.name, name)) {
      out.emplace_back(h.value);
    }
  }
  return out;
}

size_t HttpHeaders::Count(std::string_view name) const {
  return static_cast<size_t>(
      std::count_if(fields_.begin(), fields_.end(),
                    [name](const HttpHeader& h) { return EqualsIgnoreCase(h.name, name); }));
}

std::string_view HttpRequest::RawPath() const {
  std::string_view t(target);
  return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::RawQuery() const {
  std::string_view t(target);
  size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

}  // namespace fg::api
