#pragma once

// What ADD_THINGS_TO_THING_GROUP needs from the registry. The app implements it over
// registry::ThingService / ThingGroupService (ListPrincipalThings, then AddThingToThingGroup
// for every group). Tests use a recording fake.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace fg::audit {

class ThingGroupAdder {
 public:
  virtual ~ThingGroupAdder() = default;

  // Adds every thing attached to the account's certificate to every group in `group_names`.
  // A certificate with no things attached is a success (nothing to move). With
  // `override_dynamic_groups` (AWS's overrideDynamicGroups) dynamic groups may be replaced;
  // fleetguard has static groups only, so implementations may ignore it.
  // Errors: kNotFound (no such certificate or group); store errors. Partial progress is not
  // rolled back (AWS has no rollback either). Thread-safe.
  virtual Result<void> AddThingsOfCertificate(std::string_view account_id,
                                              std::string_view certificate_id,
                                              const std::vector<std::string>& group_names,
                                              bool override_dynamic_groups) = 0;
};

}  // namespace fg::audit
