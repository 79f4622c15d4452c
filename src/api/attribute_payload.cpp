#include "api/attribute_payload.h"

#include <string>

#include "api/validation.h"

namespace fg::api {
namespace {

Result<AttributePayload> ReadPayload(const JsonReader& reader) {
  AttributePayload out;
  auto attributes = reader.OptStringMap("attributes");
  if (!attributes) {
    return Fail(attributes.error());
  }
  const std::string member = reader.MemberPath("attributes");
  if (attributes->has_value()) {
    for (const auto& [key, value] : **attributes) {
      // The model's AttributeName has no min but a '+' pattern, so an empty key is refused too.
      if (key.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "Keys of '" + member + "' must not be empty");
      }
      if (auto ok = Validate(Shape::kAttributeName, member + " key", key); !ok) {
        return Fail(ok.error());
      }
      if (auto ok = Validate(Shape::kAttributeValue, member + "." + key, value); !ok) {
        return Fail(ok.error());
      }
    }
    out.attributes = std::move(**attributes);
  }
  auto merge = reader.OptBool("merge");
  if (!merge) {
    return Fail(merge.error());
  }
  out.merge = merge->value_or(false);
  return out;
}

}  // namespace

Result<std::optional<AttributePayload>> ReadAttributePayload(const JsonReader& body,
                                                             std::string_view name) {
  return ReadOptStruct<AttributePayload>(body, name, ReadPayload);
}

boost::json::object AttributesJson(const registry::Attributes& attributes) {
  boost::json::object out;
  for (const auto& [key, value] : attributes) {
    out[key] = value;
  }
  return out;
}

}  // namespace fg::api
