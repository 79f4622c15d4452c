#pragma once

// The AttributePayload structure of CreateThing, UpdateThing, CreateThingGroup and
// UpdateThingGroup ({"attributes": {name: value}, "merge": bool}), and the Attributes map in
// responses.
//
// Pure functions; safe from any thread.

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/json_body.h"
#include "core/result.h"
#include "registry/thing.h"

namespace fg::api {

struct AttributePayload {
  std::optional<registry::Attributes> attributes;  // absent: leave the attributes alone
  bool merge = false;
};

// Reads the optional member `name` of `body`. Every key must match the model's AttributeName
// (..128, [a-zA-Z0-9_.,@/:#-]+) and every value its AttributeValue (..800, may be empty: with
// merge an empty value removes the attribute). kInvalidArgument naming the member otherwise.
Result<std::optional<AttributePayload>> ReadAttributePayload(const JsonReader& body,
                                                             std::string_view name);

// {name: value, ...}; an empty map is written as {} (AWS always returns the member).
boost::json::object AttributesJson(const registry::Attributes& attributes);

}  // namespace fg::api
