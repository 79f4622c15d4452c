#include "registry/thing_service.h"

#include <vector>

#include "pki/random.h"
#include "registry/arn.h"
#include "registry/names.h"
#include "registry/transact.h"

namespace fg::registry {
namespace {

Result<void> ValidateConfig(const ThingConfig& config) {
  if (!config.type_name.empty()) {
    if (auto r = ValidateThingTypeName(config.type_name); !r) {
      return r;
    }
  }
  return ValidateAttributes(config.attributes);
}

// The certificate id a principal names, checked against the caller's account and region.
Result<std::string> PrincipalCertificateId(const Account& account, std::string_view principal) {
  if (!principal.starts_with("arn:")) {
    return NormalizeCertificateId(principal);
  }
  auto arn = ParseIotArn(principal);
  if (!arn) {
    return Fail(arn.error());
  }
  if (arn->resource_type != "cert") {
    return Fail(ErrorCode::kInvalidArgument, "principal must be a certificate ARN");
  }
  if (arn->account_id != account.id || arn->region != account.region) {
    return Fail(ErrorCode::kInvalidArgument,
                "principal must be a certificate of this account and region");
  }
  return NormalizeCertificateId(arn->resource_id);
}

Result<Thing> RequireThing(RegistryTx& tx, std::string_view account_id, std::string_view name) {
  return Require(tx.FindThing(account_id, name), ErrorCode::kNotFound,
                 "thing " + std::string(name) + " does not exist");
}

}  // namespace

Result<Thing> ThingService::Create(std::string_view account_id, std::string_view name,
                                   const ThingConfig& config) {
  if (auto r = ValidateThingName(name); !r) {
    return Fail(r.error());
  }
  if (auto r = ValidateConfig(config); !r) {
    return Fail(r.error());
  }
  return TransactValue<Thing>(store_, [&](RegistryTx& tx) -> Result<Thing> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    auto existing = tx.FindThing(account_id, name);
    if (!existing) {
      return Fail(existing.error());
    }
    if (*existing) {
      if (ThingConfig{(*existing)->type_name, (*existing)->attributes} == config) {
        return std::move(**existing);
      }
      Error error;
      error.code = ErrorCode::kAlreadyExists;
      error.message = "a thing with this name and a different configuration exists";
      error.resource_id = (*existing)->id;
      error.resource_arn = ThingArn(account->region, account->id, name);
      return Fail(std::move(error));
    }
    Thing thing{std::string(account_id),
                std::string(name),
                pki::RandomUuid(),
                config.type_name,
                config.attributes,
                1,
                clock_.Now()};
    if (auto r = tx.InsertThing(thing); !r) {
      return Fail(r.error());
    }
    return thing;
  });
}

Result<Thing> ThingService::Describe(std::string_view account_id, std::string_view name) {
  if (auto r = ValidateThingName(name); !r) {
    return Fail(r.error());
  }
  return TransactValue<Thing>(store_,
                              [&](RegistryTx& tx) { return RequireThing(tx, account_id, name); });
}

Result<Thing> ThingService::Update(std::string_view account_id, std::string_view name,
                                   const UpdateThingRequest& request) {
  if (auto r = ValidateThingName(name); !r) {
    return Fail(r.error());
  }
  if (request.type_name && request.remove_thing_type) {
    return Fail(ErrorCode::kInvalidArgument,
                "thingTypeName and removeThingType exclude each other");
  }
  return TransactValue<Thing>(store_, [&](RegistryTx& tx) -> Result<Thing> {
    auto thing = RequireThing(tx, account_id, name);
    if (!thing) {
      return Fail(thing.error());
    }
    if (request.expected_version && *request.expected_version != thing->version) {
      return Fail(ErrorCode::kVersionConflict,
                  "expected version " + std::to_string(*request.expected_version) +
                      ", the thing is at version " + std::to_string(thing->version));
    }
    if (request.type_name) {
      thing->type_name = *request.type_name;
    }
    if (request.remove_thing_type) {
      thing->type_name.clear();
    }
    if (request.attributes) {
      if (!request.merge) {
        thing->attributes = *request.attributes;
      } else {
        for (const auto& [key, value] : *request.attributes) {
          if (value.empty()) {
            thing->attributes.erase(key);
          } else {
            thing->attributes[key] = value;
          }
        }
      }
    }
    if (auto r = ValidateConfig(ThingConfig{thing->type_name, thing->attributes}); !r) {
      return Fail(r.error());
    }
    ++thing->version;
    if (auto r = tx.UpdateThing(*thing); !r) {
      return Fail(r.error());
    }
    return std::move(*thing);
  });
}

Result<void> ThingService::Delete(std::string_view account_id, std::string_view name,
                                  std::optional<int64_t> expected_version) {
  if (auto r = ValidateThingName(name); !r) {
    return r;
  }
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto thing = tx.FindThing(account_id, name);
    if (!thing) {
      return Fail(thing.error());
    }
    if (!*thing) {
      return Ok();
    }
    if (expected_version && *expected_version != (*thing)->version) {
      return Fail(ErrorCode::kVersionConflict,
                  "the thing is at version " + std::to_string((*thing)->version));
    }
    auto deleted = tx.DeleteThing(account_id, name);
    if (!deleted) {
      return Fail(deleted.error());
    }
    return Ok();
  });
}

Result<Page<Thing>> ThingService::List(std::string_view account_id, const ThingFilter& filter,
                                       const PageRequest& page) {
  if (filter.attribute_value && !filter.attribute_name) {
    return Fail(ErrorCode::kInvalidArgument, "attributeValue requires attributeName");
  }
  return TransactValue<Page<Thing>>(
      store_, [&](RegistryTx& tx) { return tx.ListThings(account_id, filter, page); });
}

Result<void> ThingService::AttachPrincipal(std::string_view account_id, std::string_view thing_name,
                                           std::string_view principal, ThingPrincipalType type) {
  if (auto r = ValidateThingName(thing_name); !r) {
    return r;
  }
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    auto certificate_id = PrincipalCertificateId(*account, principal);
    if (!certificate_id) {
      return Fail(certificate_id.error());
    }
    if (auto thing = RequireThing(tx, account_id, thing_name); !thing) {
      return Fail(thing.error());
    }
    auto cert = Require(tx.FindCertificate(account_id, *certificate_id), ErrorCode::kNotFound,
                        "certificate " + *certificate_id + " does not exist");
    if (!cert) {
      return Fail(cert.error());
    }
    if (cert->status == CertificateStatus::kPendingTransfer) {
      return Fail(ErrorCode::kCertificateState,
                  "a certificate in PENDING_TRANSFER cannot be attached");
    }
    auto attached = tx.ListPrincipalThings(account_id, *certificate_id);
    if (!attached) {
      return Fail(attached.error());
    }
    for (const ThingPrincipal& other : *attached) {
      if (other.thing_name == thing_name) {
        continue;
      }
      if (type == ThingPrincipalType::kExclusiveThing) {
        return Fail(ErrorCode::kInvalidArgument, "the certificate is attached to thing " +
                                                     other.thing_name +
                                                     "; it cannot be attached exclusively");
      }
      if (other.type == ThingPrincipalType::kExclusiveThing) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the certificate is attached exclusively to thing " + other.thing_name);
      }
    }
    return tx.UpsertThingPrincipal(ThingPrincipal{std::string(account_id), std::string(thing_name),
                                                  *certificate_id, type, clock_.Now()});
  });
}

Result<void> ThingService::DetachPrincipal(std::string_view account_id, std::string_view thing_name,
                                           std::string_view principal) {
  if (auto r = ValidateThingName(thing_name); !r) {
    return r;
  }
  return store_.Transact([&](RegistryTx& tx) -> Result<void> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    auto certificate_id = PrincipalCertificateId(*account, principal);
    if (!certificate_id) {
      return Fail(certificate_id.error());
    }
    if (auto thing = RequireThing(tx, account_id, thing_name); !thing) {
      return Fail(thing.error());
    }
    auto removed = tx.DeleteThingPrincipal(account_id, thing_name, *certificate_id);
    if (!removed) {
      return Fail(removed.error());
    }
    if (!*removed) {
      return Fail(ErrorCode::kNotFound, "the principal is not attached to this thing");
    }
    return Ok();
  });
}

Result<Page<std::string>> ThingService::ListThingPrincipals(std::string_view account_id,
                                                            std::string_view thing_name,
                                                            const PageRequest& page) {
  return TransactValue<Page<std::string>>(store_, [&](RegistryTx& tx) -> Result<Page<std::string>> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    if (auto thing = RequireThing(tx, account_id, thing_name); !thing) {
      return Fail(thing.error());
    }
    auto principals = tx.ListThingPrincipals(account_id, thing_name);
    if (!principals) {
      return Fail(principals.error());
    }
    auto ids = PaginateByName(std::move(*principals), page,
                              [](const ThingPrincipal& p) { return p.certificate_id; });
    if (!ids) {
      return Fail(ids.error());
    }
    Page<std::string> out;
    out.next_cursor = std::move(ids->next_cursor);
    for (const ThingPrincipal& p : ids->items) {
      out.items.push_back(CertificateArn(account->region, account->id, p.certificate_id));
    }
    return out;
  });
}

Result<Page<std::string>> ThingService::ListPrincipalThings(std::string_view account_id,
                                                            std::string_view principal,
                                                            const PageRequest& page) {
  return TransactValue<Page<std::string>>(store_, [&](RegistryTx& tx) -> Result<Page<std::string>> {
    auto account = RequireAccount(tx, account_id);
    if (!account) {
      return Fail(account.error());
    }
    auto certificate_id = PrincipalCertificateId(*account, principal);
    if (!certificate_id) {
      return Fail(certificate_id.error());
    }
    auto cert = Require(tx.FindCertificate(account_id, *certificate_id), ErrorCode::kNotFound,
                        "certificate does not exist");
    if (!cert) {
      return Fail(cert.error());
    }
    auto things = tx.ListPrincipalThings(account_id, *certificate_id);
    if (!things) {
      return Fail(things.error());
    }
    std::vector<std::string> names;
    for (ThingPrincipal& p : *things) {
      names.push_back(std::move(p.thing_name));
    }
    return PaginateByName(std::move(names), page, [](const std::string& n) { return n; });
  });
}

}  // namespace fg::registry
