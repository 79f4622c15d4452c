#include "audit/device_key.h"

namespace fg::audit {

std::string_view DeviceKey(std::string_view client_id, DeviceKeyRule rule) {
  if (rule == DeviceKeyRule::kClientId) {
    return client_id;
  }
  size_t digits_begin = client_id.size();
  while (digits_begin > 0 && client_id[digits_begin - 1] >= '0' &&
         client_id[digits_begin - 1] <= '9') {
    --digits_begin;
  }
  const bool has_digits = digits_begin < client_id.size();
  const bool has_hash = digits_begin > 0 && client_id[digits_begin - 1] == '#';
  // An empty key would make `#1` and `#2` one device; such ids are better left distinct.
  if (!has_digits || !has_hash || digits_begin == 1) {
    return client_id;
  }
  return client_id.substr(0, digits_begin - 1);
}

std::string_view DeviceKeyRuleName(DeviceKeyRule rule) {
  switch (rule) {
    case DeviceKeyRule::kClientId:
      return "CLIENT_ID";
    case DeviceKeyRule::kStripHashNumberSuffix:
      return "STRIP_HASH_NUMBER_SUFFIX";
  }
  return "CLIENT_ID";
}

std::optional<DeviceKeyRule> ParseDeviceKeyRule(std::string_view name) {
  if (name == "CLIENT_ID") {
    return DeviceKeyRule::kClientId;
  }
  if (name == "STRIP_HASH_NUMBER_SUFFIX") {
    return DeviceKeyRule::kStripHashNumberSuffix;
  }
  return std::nullopt;
}

}  // namespace fg::audit
