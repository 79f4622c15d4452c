#pragma once

// `serve`'s --config file: one JSON object whose members are the audit settings
// (app/notification_targets.h: auditSettleLag, notificationTargets) and the listeners' limits
// and deadlines (app/listener_limits.h: mqtt, http). Unlike the data directory's audit.json,
// which other tools may share, this file belongs to `serve` alone, so an unknown member is an
// error rather than ignored: a misspelt limit must not leave the default in force unnoticed.

#include <filesystem>
#include <string_view>

#include "app/listener_limits.h"
#include "app/notification_targets.h"
#include "core/result.h"

namespace fg::app {

struct ServeConfig {
  AuditSettings audit;
  ListenerLimits limits;
};

// `source` names the document in messages. kInvalidArgument for a document that is not a JSON
// object, an unknown top-level member, and the errors of ParseAuditSettings and
// ParseListenerLimits.
Result<ServeConfig> ParseServeConfig(std::string_view json, std::string_view source);

// Reads and parses `file`. kInvalidArgument if it does not exist or cannot be read (a --config
// that names a missing file is a mistake, not an empty configuration), and ParseServeConfig's.
Result<ServeConfig> LoadServeConfig(const std::filesystem::path& file);

}  // namespace fg::app
