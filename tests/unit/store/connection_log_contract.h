#pragma once

// The contract every registry::ConnectionLogStore implementation must pass, the in-memory fake
// of tests/unit/gateway included, so that the fake the gateway tests rely on cannot drift from
// the real stores. An implementation's test file instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ConnectionLogStoreContract,
//                            ::testing::Values(LogStoreFactory{"memory", OpenMemory, {}}));
//
// The factory returns a fresh, empty store for each test (and may skip with GTEST_SKIP).

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "core/result.h"
#include "registry/connection_log.h"

namespace fg::store::testing {

struct LogStoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<registry::ConnectionLogStore>>()> open;
  // Called after each test to clean up (e.g. remove a temporary directory); may be empty.
  std::function<void()> cleanup;
};

inline std::ostream& operator<<(std::ostream& os, const LogStoreFactory& f) { return os << f.name; }

class ConnectionLogStoreContract : public ::testing::TestWithParam<LogStoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<registry::ConnectionLogStore> store_;
};

}  // namespace fg::store::testing
