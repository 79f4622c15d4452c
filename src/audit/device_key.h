#pragma once

// Maps an MQTT client id to the device it stands for. Sessions whose client ids map to the same
// device key are never counted as concurrent: they are one device (or a takeover), not a clone.

#include <optional>
#include <string_view>

namespace fg::audit {

enum class DeviceKeyRule {
  // The default, as AWS has it: every distinct client id is a distinct device.
  kClientId,
  // Greengrass v2 opens `thing`, `thing#2`, `thing#3`... concurrently on one certificate once it
  // needs more subscriptions than one connection allows. This rule strips a trailing `#<digits>`
  // so that those connections count as the one device they are.
  kStripHashNumberSuffix,
};

// The device key of `client_id` under `rule`. The result is a view into `client_id`. Under
// kStripHashNumberSuffix, `thing#2` -> `thing`; `thing#`, `thing#x2` and `#2` (whose stripped key
// would be empty) are returned unchanged. Thread-safe and allocation-free.
std::string_view DeviceKey(std::string_view client_id, DeviceKeyRule rule);

// "CLIENT_ID" / "STRIP_HASH_NUMBER_SUFFIX", for configuration files and logs.
std::string_view DeviceKeyRuleName(DeviceKeyRule rule);
std::optional<DeviceKeyRule> ParseDeviceKeyRule(std::string_view name);

}  // namespace fg::audit
