#pragma once

// The registry side of the audit's mitigation seams: UPDATE_DEVICE_CERTIFICATE and
// ADD_THINGS_TO_THING_GROUP act through the registry services, exactly as the AWS API calls
// UpdateCertificate and AddThingToThingGroup would, so every registry rule and event applies
// (a deactivated certificate's live sessions are dropped by the gateway through the registry's
// status events).
//
// Thread-safety: as the registry services (safe from any thread). The services must outlive
// the adapters.

#include <string>
#include <string_view>
#include <vector>

#include "audit/certificate_updater.h"
#include "audit/thing_group_adder.h"
#include "core/result.h"

namespace fg::registry {
class CertificateService;
class ThingGroupService;
class ThingService;
}  // namespace fg::registry

namespace fg::app {

class RegistryCertificateUpdater final : public audit::CertificateUpdater {
 public:
  explicit RegistryCertificateUpdater(registry::CertificateService& certificates)
      : certificates_(certificates) {}

  // CertificateService::UpdateStatus(INACTIVE): idempotent; kNotFound, kCertificateState
  // (REVOKED, PENDING_TRANSFER) and store errors as the service returns them.
  Result<void> DeactivateCertificate(std::string_view account_id,
                                     std::string_view certificate_id) override;

 private:
  registry::CertificateService& certificates_;
};

class RegistryThingGroupAdder final : public audit::ThingGroupAdder {
 public:
  // `region` builds the certificate ARN under which things are attached.
  RegistryThingGroupAdder(registry::ThingService& things, registry::ThingGroupService& groups,
                          std::string region)
      : things_(things), groups_(groups), region_(std::move(region)) {}

  // Every thing attached to the certificate (ListPrincipalThings, all pages) goes into every
  // group (AddThing, idempotent). fleetguard has static groups only, so
  // `override_dynamic_groups` changes nothing. kNotFound for a missing group; store errors.
  Result<void> AddThingsOfCertificate(std::string_view account_id, std::string_view certificate_id,
                                      const std::vector<std::string>& group_names,
                                      bool override_dynamic_groups) override;

 private:
  registry::ThingService& things_;
  registry::ThingGroupService& groups_;
  std::string region_;
};

}  // namespace fg::app
