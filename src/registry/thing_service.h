#pragma once

// Things and the certificates attached to them (principals). Every call names the calling
// account and sees only its things and certificates. Thread-safe if the store is; `store` and
// `clock` must outlive the service.
//
// Decisions: deleting a thing also detaches its principals and removes it from its groups. A
// principal is a certificate ARN of the calling account and region, or a bare certificate id;
// a certificate in PENDING_TRANSFER cannot be attached (kCertificateState).

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "registry/page.h"
#include "registry/registry_store.h"
#include "registry/thing.h"

namespace fg::registry {

struct ThingConfig {
  std::string type_name;  // may be empty
  Attributes attributes;

  bool operator==(const ThingConfig&) const = default;
};

struct UpdateThingRequest {
  std::optional<std::string> type_name;
  bool remove_thing_type = false;
  std::optional<Attributes> attributes;
  // AWS AttributePayload.merge: set the given attributes (an empty value removes one) instead
  // of replacing all of them.
  bool merge = false;
  std::optional<int64_t> expected_version;
};

class ThingService {
 public:
  ThingService(RegistryStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // AWS CreateThing: idempotent for the same configuration (returns the existing thing);
  // kAlreadyExists (with id and ARN) for a different one. kInvalidArgument for a bad name,
  // type name or attributes.
  Result<Thing> Create(std::string_view account_id, std::string_view name,
                       const ThingConfig& config);
  Result<Thing> Describe(std::string_view account_id, std::string_view name);
  // AWS UpdateThing: the version increases by one. kVersionConflict if `expected_version` is
  // set and differs; kNotFound if missing.
  Result<Thing> Update(std::string_view account_id, std::string_view name,
                       const UpdateThingRequest& request);
  // AWS DeleteThing: a missing thing is a success; kVersionConflict on a version mismatch.
  Result<void> Delete(std::string_view account_id, std::string_view name,
                      std::optional<int64_t> expected_version);
  Result<Page<Thing>> List(std::string_view account_id, const ThingFilter& filter,
                           const PageRequest& page);

  // AWS AttachThingPrincipal. EXCLUSIVE_THING refuses a certificate attached to any other
  // thing; NON_EXCLUSIVE_THING refuses one attached exclusively elsewhere (both
  // kInvalidArgument). Re-attaching to the same thing updates the type. kNotFound for an
  // unknown thing or certificate.
  Result<void> AttachPrincipal(std::string_view account_id, std::string_view thing_name,
                               std::string_view principal, ThingPrincipalType type);
  // AWS DetachThingPrincipal; kNotFound if the thing does not exist or the principal is not
  // attached to it.
  Result<void> DetachPrincipal(std::string_view account_id, std::string_view thing_name,
                               std::string_view principal);
  // Certificate ARNs attached to the thing, in certificate-id order.
  Result<Page<std::string>> ListThingPrincipals(std::string_view account_id,
                                                std::string_view thing_name,
                                                const PageRequest& page);
  // Names of the things the certificate is attached to, in name order.
  Result<Page<std::string>> ListPrincipalThings(std::string_view account_id,
                                                std::string_view principal,
                                                const PageRequest& page);

 private:
  RegistryStore& store_;
  const Clock& clock_;
};

}  // namespace fg::registry
