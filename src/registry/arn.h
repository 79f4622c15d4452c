#pragma once

// AWS IoT ARNs for registry resources (aws-iot-api.md §1.6):
// arn:aws:iot:<region>:<account>:cert/<id>, cacert/<id>, thing/<name>, thinggroup/<name>.

#include <string>
#include <string_view>

#include "core/result.h"

namespace fg::registry {

std::string CertificateArn(std::string_view region, std::string_view account_id,
                           std::string_view certificate_id);
std::string CaCertificateArn(std::string_view region, std::string_view account_id,
                             std::string_view certificate_id);
std::string ThingArn(std::string_view region, std::string_view account_id,
                     std::string_view thing_name);
std::string ThingGroupArn(std::string_view region, std::string_view account_id,
                          std::string_view group_name);

struct ParsedArn {
  std::string region;
  std::string account_id;
  std::string resource_type;  // "cert", "thing", ...
  std::string resource_id;
};

// Splits "arn:aws:iot:<region>:<account>:<type>/<id>"; kInvalidArgument on any other shape.
Result<ParsedArn> ParseIotArn(std::string_view arn);

}  // namespace fg::registry
