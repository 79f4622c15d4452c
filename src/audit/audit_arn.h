#pragma once

// ARNs of audit resources, which the API returns but the store does not keep (they follow from
// the account's region): arn:aws:iot:<region>:<account>:scheduledaudit/<name> and
// arn:aws:iot:<region>:<account>:mitigationaction/<name>.

#include <string>
#include <string_view>

namespace fg::audit {

std::string ScheduledAuditArn(std::string_view region, std::string_view account_id,
                              std::string_view name);
std::string MitigationActionArn(std::string_view region, std::string_view account_id,
                                std::string_view name);

}  // namespace fg::audit
