#pragma once

// The contract every registry::RegistryStore implementation must pass. An implementation's
// test file instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, RegistryStoreContract,
//                            ::testing::Values(StoreFactory{"memory", OpenMemoryStore}));
//
// The factory returns a fresh, empty store for each test (and may skip with GTEST_SKIP, e.g.
// PostgreSQL without FG_TEST_PG_DSN).

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "core/result.h"
#include "registry/registry_store.h"

namespace fg::store::testing {

struct StoreFactory {
  std::string name;
  std::function<Result<std::unique_ptr<registry::RegistryStore>>()> open;
  // Called after each test to clean up (e.g. remove a temporary directory); may be empty.
  std::function<void()> cleanup;
};

inline std::ostream& operator<<(std::ostream& os, const StoreFactory& f) { return os << f.name; }

class RegistryStoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs `fn` in a transaction and expects it to commit. `fn` may use ASSERT_*.
  void Tx(const std::function<void(registry::RegistryTx&)>& fn);

  std::unique_ptr<registry::RegistryStore> store_;
};

}  // namespace fg::store::testing
