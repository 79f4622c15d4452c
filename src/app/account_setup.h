#pragma once

#include <filesystem>
#include <string_view>

#include "app/commands.h"
#include "app/data_dir.h"
#include "core/clock.h"
#include "core/result.h"

namespace fg::app {

// Opens (creating if needed) the store at `database`, adds an account named `name` with one
// access key, and returns what `init` / `account create` print. The store is closed again
// before returning, so the file can be renamed.
Result<AccountSummary> CreateAccountInStore(const DataDir& dir,
                                            const std::filesystem::path& database,
                                            const InstallationSettings& settings,
                                            std::string_view name, const Clock& clock);

// "<prefix>-ats.iot.<region>.<domain>": the account's device endpoint (DescribeEndpoint
// iot:Data-ATS) and the SNI name that selects it.
std::string DataEndpoint(std::string_view endpoint_prefix, const InstallationSettings& settings);

}  // namespace fg::app
