#pragma once

// The MitigationActionParams union of the audit mitigation actions (botocore model, reference
// §5) on the wire: written with only the member that is set, read member by member.
//
// Pure functions. Readers never throw; every failure is kInvalidArgument
// (InvalidRequestException) with a message naming the member.

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

#include "api/json_body.h"
#include "audit/mitigation_action.h"
#include "core/result.h"

namespace fg::api {

// MitigationActionParams with only the member that is set (reference §5).
boost::json::object MitigationActionParamsJson(const audit::MitigationActionParams& params);

// The MitigationActionParams member `name`: the six members of AWS's union with their
// required members and shapes (thingGroupNames 1..10 of ThingGroupName, topicArn ..350,
// roleArnForLogging 20..2048). Whether exactly one is set, and which types fleetguard supports,
// the audit service decides (audit::ValidateActionParams).
Result<std::optional<audit::MitigationActionParams>> ReadOptMitigationActionParams(
    const JsonReader& body, std::string_view name);

}  // namespace fg::api
