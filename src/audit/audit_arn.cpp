#include "audit/audit_arn.h"

namespace fg::audit {
namespace {

std::string IotArn(std::string_view region, std::string_view account_id, std::string_view type,
                   std::string_view name) {
  std::string arn = "arn:aws:iot:";
  arn += region;
  arn += ':';
  arn += account_id;
  arn += ':';
  arn += type;
  arn += '/';
  arn += name;
  return arn;
}

}  // namespace

std::string ScheduledAuditArn(std::string_view region, std::string_view account_id,
                              std::string_view name) {
  return IotArn(region, account_id, "scheduledaudit", name);
}

std::string MitigationActionArn(std::string_view region, std::string_view account_id,
                                std::string_view name) {
  return IotArn(region, account_id, "mitigationaction", name);
}

}  // namespace fg::audit
