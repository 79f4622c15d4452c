#pragma once

// An in-memory AuditStore for tests that behaves like a real store: every Transact works on a
// copy of the state and commits it only if the callback succeeds, so a failed transaction
// leaves nothing behind; transactions are serialized; a nested Transact is kInternal; keys,
// parents, filters, orders and keyset pagination follow audit_store.h. FailTransaction(n) makes
// the n-th next Transact fail at commit (after its callback ran), as a store losing its
// connection would (leveldb's FaultInjectionTestEnv, Beast's fail_count).

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include "audit/audit_store.h"

namespace fg::audit::testing {

class FakeAuditStore final : public AuditStore {
 public:
  struct State {
    std::map<std::string, AuditConfiguration> configs;
    std::map<std::pair<std::string, std::string>, ScheduledAudit> schedules;
    std::map<std::pair<std::string, std::string>, AuditTask> tasks;
    std::map<std::pair<std::string, std::string>, AuditFindingRecord> findings;
    std::map<std::tuple<std::string, std::string, std::string>, AuditSuppression> suppressions;
    std::map<std::pair<std::string, std::string>, MitigationAction> actions;
    std::map<std::pair<std::string, std::string>, AuditMitigationTask> mitigation_tasks;
    std::map<std::tuple<std::string, std::string, std::string, int>, MitigationExecution>
        executions;
  };

  Result<void> Transact(const TxFn& fn) override;

  // The n-th next Transact (1 = the next one) fails with kUnavailable after its callback ran.
  void FailTransaction(int n);
  // How many transactions committed so far.
  int commits() const;
  // A copy of the committed state, for assertions.
  State Snapshot() const;

 private:
  mutable std::mutex mu_;
  State state_;
  std::atomic<std::thread::id> owner_;
  int fail_in_ = 0;
  int commits_ = 0;
};

}  // namespace fg::audit::testing
