#include "app/audit_adapters.h"

#include "registry/arn.h"
#include "registry/certificate_service.h"
#include "registry/enums.h"
#include "registry/page.h"
#include "registry/thing_group_service.h"
#include "registry/thing_service.h"

namespace fg::app {

Result<void> RegistryCertificateUpdater::DeactivateCertificate(std::string_view account_id,
                                                               std::string_view certificate_id) {
  return certificates_.UpdateStatus(account_id, certificate_id,
                                    registry::CertificateStatus::kInactive);
}

Result<void> RegistryThingGroupAdder::AddThingsOfCertificate(
    std::string_view account_id, std::string_view certificate_id,
    const std::vector<std::string>& group_names, bool /*override_dynamic_groups*/) {
  const std::string principal = registry::CertificateArn(region_, account_id, certificate_id);
  // Collect every name first, so that no page cursor is held across the writes.
  std::vector<std::string> thing_names;
  registry::PageRequest page;
  page.page_size = registry::kMaxPageSize;
  do {
    auto things = things_.ListPrincipalThings(account_id, principal, page);
    if (!things) {
      return Fail(things.error());
    }
    thing_names.insert(thing_names.end(), things->items.begin(), things->items.end());
    page.cursor = things->next_cursor;
  } while (!page.cursor.empty());
  // Checking every group before moving anything keeps a typo in a group name from leaving
  // things half-moved.
  for (const std::string& group : group_names) {
    if (auto found = groups_.Describe(account_id, group); !found) {
      return Fail(found.error());
    }
  }
  for (const std::string& group : group_names) {
    for (const std::string& thing : thing_names) {
      if (auto added = groups_.AddThing(account_id, group, thing); !added) {
        return Fail(added.error());
      }
    }
  }
  return Ok();
}

}  // namespace fg::app
