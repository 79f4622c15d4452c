#include "unit/audit/fake_audit_store.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace fg::audit::testing {
namespace {

using registry::DecodeNameCursor;
using registry::DecodeTimeCursor;
using registry::EncodeNameCursor;
using registry::EncodeTimeCursor;

// Keyset pagination over `items` sorted by (time(item), id(item)).
template <typename T, typename TimeFn, typename IdFn>
Result<Page<T>> PageByTime(std::vector<T> items, const PageRequest& request, TimeFn time, IdFn id) {
  if (auto r = registry::ValidatePageRequest(request); !r) {
    return Fail(r.error());
  }
  auto after = DecodeTimeCursor(request.cursor);
  if (!after) {
    return Fail(after.error());
  }
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) {
    return std::pair(ToEpochMillis(time(a)), id(a)) < std::pair(ToEpochMillis(time(b)), id(b));
  });
  Page<T> page;
  for (T& item : items) {
    if (*after && std::pair(ToEpochMillis(time(item)), id(item)) <=
                      std::pair((*after)->millis, (*after)->id)) {
      continue;
    }
    if (page.items.size() == static_cast<size_t>(request.page_size)) {
      page.next_cursor = EncodeTimeCursor(time(page.items.back()), id(page.items.back()));
      break;
    }
    page.items.push_back(std::move(item));
  }
  return page;
}

template <typename T, typename NameFn>
Result<Page<T>> PageByName(std::vector<T> items, const PageRequest& request, NameFn name) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return name(a) < name(b); });
  return registry::PaginateByName(std::move(items), request, name);
}

tl::unexpected<Error> Exists(std::string what) {
  return Fail(ErrorCode::kAlreadyExists, std::move(what) + " already exists");
}

tl::unexpected<Error> Missing(std::string what) {
  return Fail(ErrorCode::kNotFound, std::move(what) + " does not exist");
}

template <typename Map, typename Key>
auto FindIn(const Map& map, const Key& key) -> std::optional<typename Map::mapped_type> {
  auto it = map.find(key);
  if (it == map.end()) {
    return std::nullopt;
  }
  return it->second;
}

bool InRange(TimePoint t, TimePoint start, TimePoint end) { return t >= start && t <= end; }

class FakeTx final : public AuditTx {
 public:
  explicit FakeTx(FakeAuditStore::State& s) : s_(s) {}

  Result<std::optional<AuditConfiguration>> FindConfiguration(std::string_view account) override {
    return FindIn(s_.configs, std::string(account));
  }
  Result<void> PutConfiguration(const AuditConfiguration& config) override {
    s_.configs[config.account_id] = config;
    return Ok();
  }
  Result<bool> DeleteConfiguration(std::string_view account) override {
    return s_.configs.erase(std::string(account)) > 0;
  }

  Result<void> InsertScheduledAudit(const ScheduledAudit& a) override {
    if (!s_.schedules.emplace(std::pair(a.account_id, a.name), a).second) {
      return Exists("scheduled audit");
    }
    return Ok();
  }
  Result<void> UpdateScheduledAudit(const ScheduledAudit& a) override {
    auto it = s_.schedules.find(std::pair(a.account_id, a.name));
    if (it == s_.schedules.end()) {
      return Missing("scheduled audit");
    }
    it->second = a;
    return Ok();
  }
  Result<bool> DeleteScheduledAudit(std::string_view account, std::string_view name) override {
    return s_.schedules.erase(std::pair(std::string(account), std::string(name))) > 0;
  }
  Result<std::optional<ScheduledAudit>> FindScheduledAudit(std::string_view account,
                                                           std::string_view name) override {
    return FindIn(s_.schedules, std::pair(std::string(account), std::string(name)));
  }
  Result<Page<ScheduledAudit>> ListScheduledAudits(std::string_view account,
                                                   const PageRequest& page) override {
    auto all = ListAllScheduledAudits(account);
    return PageByName(std::move(*all), page, [](const ScheduledAudit& a) { return a.name; });
  }
  Result<std::vector<ScheduledAudit>> ListAllScheduledAudits(std::string_view account) override {
    std::vector<ScheduledAudit> out;
    for (const auto& [key, a] : s_.schedules) {
      if (key.first == account) {
        out.push_back(a);
      }
    }
    return out;
  }
  Result<std::vector<ScheduledAudit>> ListScheduledAuditsOfAllAccounts() override {
    std::vector<ScheduledAudit> out;
    for (const auto& [key, a] : s_.schedules) {
      out.push_back(a);
    }
    return out;
  }

  Result<void> InsertAuditTask(const AuditTask& t) override {
    if (!s_.tasks.emplace(std::pair(t.account_id, t.task_id), t).second) {
      return Exists("audit task");
    }
    return Ok();
  }
  Result<void> UpdateAuditTask(const AuditTask& t) override {
    auto it = s_.tasks.find(std::pair(t.account_id, t.task_id));
    if (it == s_.tasks.end()) {
      return Missing("audit task");
    }
    it->second = t;
    return Ok();
  }
  Result<std::optional<AuditTask>> FindAuditTask(std::string_view account,
                                                 std::string_view id) override {
    return FindIn(s_.tasks, std::pair(std::string(account), std::string(id)));
  }
  Result<Page<AuditTask>> ListAuditTasks(std::string_view account, const AuditTaskQuery& q,
                                         const PageRequest& page) override {
    std::vector<AuditTask> out;
    for (const auto& [key, t] : s_.tasks) {
      if (key.first == account && InRange(t.start_time, q.start, q.end) &&
          (!q.type || t.type == *q.type) && (!q.status || t.status == *q.status)) {
        out.push_back(t);
      }
    }
    return PageByTime(
        std::move(out), page, [](const AuditTask& t) { return t.start_time; },
        [](const AuditTask& t) { return t.task_id; });
  }
  Result<int64_t> CountAuditTasks(std::string_view account, AuditTaskType type,
                                  AuditTaskStatus status) override {
    int64_t n = 0;
    for (const auto& [key, t] : s_.tasks) {
      n += (key.first == account && t.type == type && t.status == status) ? 1 : 0;
    }
    return n;
  }
  Result<std::vector<AuditTask>> ListAuditTasksByStatus(AuditTaskStatus status) override {
    std::vector<AuditTask> out;
    for (const auto& [key, t] : s_.tasks) {
      if (t.status == status) {
        out.push_back(t);
      }
    }
    std::sort(out.begin(), out.end(), [](const AuditTask& a, const AuditTask& b) {
      return std::pair(a.start_time, a.task_id) < std::pair(b.start_time, b.task_id);
    });
    return out;
  }

  Result<void> InsertFinding(const AuditFindingRecord& f) override {
    if (!s_.tasks.contains(std::pair(f.account_id, f.task_id))) {
      return Missing("audit task");
    }
    if (!s_.findings.emplace(std::pair(f.account_id, f.finding_id), f).second) {
      return Exists("audit finding");
    }
    return Ok();
  }
  Result<std::optional<AuditFindingRecord>> FindFinding(std::string_view account,
                                                        std::string_view id) override {
    return FindIn(s_.findings, std::pair(std::string(account), std::string(id)));
  }
  Result<Page<AuditFindingRecord>> ListFindings(std::string_view account, const FindingQuery& q,
                                                const PageRequest& page) override {
    std::vector<AuditFindingRecord> out;
    for (const auto& [key, f] : s_.findings) {
      if (key.first != account || (q.task_id && f.task_id != *q.task_id) ||
          (q.start && f.finding_time < *q.start) || (q.end && f.finding_time > *q.end) ||
          (q.check_name && f.finding.check_name != *q.check_name) ||
          (q.suppressed && f.is_suppressed != *q.suppressed)) {
        continue;
      }
      if (q.resource_key) {
        auto key_of = ResourceKey(f.finding.non_compliant_resource.identifier);
        if (!key_of || *key_of != *q.resource_key) {
          continue;
        }
      }
      out.push_back(f);
    }
    return PageByTime(
        std::move(out), page, [](const AuditFindingRecord& f) { return f.finding_time; },
        [](const AuditFindingRecord& f) { return f.finding_id; });
  }

  Result<PurgeCounts> PurgeBefore(TimePoint cutoff) override {
    PurgeCounts counts;
    for (auto it = s_.tasks.begin(); it != s_.tasks.end();) {
      if (it->second.status != AuditTaskStatus::kInProgress && it->second.start_time < cutoff) {
        const auto key = it->first;
        counts.findings += static_cast<int64_t>(std::erase_if(s_.findings, [&](const auto& e) {
          return e.second.account_id == key.first && e.second.task_id == key.second;
        }));
        it = s_.tasks.erase(it);
        ++counts.audit_tasks;
      } else {
        ++it;
      }
    }
    counts.findings += static_cast<int64_t>(
        std::erase_if(s_.findings, [&](const auto& e) { return e.second.finding_time < cutoff; }));
    for (auto it = s_.mitigation_tasks.begin(); it != s_.mitigation_tasks.end();) {
      if (it->second.status != MitigationTaskStatus::kInProgress &&
          it->second.start_time < cutoff) {
        const auto key = it->first;
        counts.executions += static_cast<int64_t>(std::erase_if(s_.executions, [&](const auto& e) {
          return std::get<0>(e.first) == key.first && std::get<1>(e.first) == key.second;
        }));
        it = s_.mitigation_tasks.erase(it);
        ++counts.mitigation_tasks;
      } else {
        ++it;
      }
    }
    return counts;
  }

  Result<void> InsertSuppression(const AuditSuppression& s) override {
    if (!s_.suppressions.emplace(std::tuple(s.account_id, s.check_name, s.resource_key), s)
             .second) {
      return Exists("suppression");
    }
    return Ok();
  }
  Result<void> UpdateSuppression(const AuditSuppression& s) override {
    auto it = s_.suppressions.find(std::tuple(s.account_id, s.check_name, s.resource_key));
    if (it == s_.suppressions.end()) {
      return Missing("suppression");
    }
    it->second = s;
    return Ok();
  }
  Result<bool> DeleteSuppression(std::string_view account, std::string_view check,
                                 std::string_view key) override {
    return s_.suppressions.erase(
               std::tuple(std::string(account), std::string(check), std::string(key))) > 0;
  }
  Result<std::optional<AuditSuppression>> FindSuppression(std::string_view account,
                                                          std::string_view check,
                                                          std::string_view key) override {
    return FindIn(s_.suppressions,
                  std::tuple(std::string(account), std::string(check), std::string(key)));
  }
  Result<std::vector<AuditSuppression>> ListSuppressions(
      std::string_view account, const std::optional<std::string>& check,
      const std::optional<std::string>& key) override {
    std::vector<AuditSuppression> out;
    for (const auto& [k, s] : s_.suppressions) {
      if (std::get<0>(k) == account && (!check || s.check_name == *check) &&
          (!key || s.resource_key == *key)) {
        out.push_back(s);
      }
    }
    return out;
  }

  Result<void> InsertMitigationAction(const MitigationAction& a) override {
    if (!s_.actions.emplace(std::pair(a.account_id, a.name), a).second) {
      return Exists("mitigation action");
    }
    return Ok();
  }
  Result<void> UpdateMitigationAction(const MitigationAction& a) override {
    auto it = s_.actions.find(std::pair(a.account_id, a.name));
    if (it == s_.actions.end()) {
      return Missing("mitigation action");
    }
    it->second = a;
    return Ok();
  }
  Result<bool> DeleteMitigationAction(std::string_view account, std::string_view name) override {
    return s_.actions.erase(std::pair(std::string(account), std::string(name))) > 0;
  }
  Result<std::optional<MitigationAction>> FindMitigationAction(std::string_view account,
                                                               std::string_view name) override {
    return FindIn(s_.actions, std::pair(std::string(account), std::string(name)));
  }
  Result<Page<MitigationAction>> ListMitigationActions(
      std::string_view account, const std::optional<MitigationActionType>& type,
      const PageRequest& page) override {
    std::vector<MitigationAction> out;
    for (const auto& [key, a] : s_.actions) {
      if (key.first == account && (!type || a.type == *type)) {
        out.push_back(a);
      }
    }
    return PageByName(std::move(out), page, [](const MitigationAction& a) { return a.name; });
  }

  Result<void> InsertMitigationTask(const AuditMitigationTask& t) override {
    for (const auto& [key, other] : s_.mitigation_tasks) {
      if (key.first == t.account_id &&
          (key.second == t.task_id || other.client_request_token == t.client_request_token)) {
        return Exists("audit mitigation actions task");
      }
    }
    s_.mitigation_tasks.emplace(std::pair(t.account_id, t.task_id), t);
    return Ok();
  }
  Result<void> UpdateMitigationTask(const AuditMitigationTask& t) override {
    auto it = s_.mitigation_tasks.find(std::pair(t.account_id, t.task_id));
    if (it == s_.mitigation_tasks.end()) {
      return Missing("audit mitigation actions task");
    }
    it->second = t;
    return Ok();
  }
  Result<std::optional<AuditMitigationTask>> FindMitigationTask(std::string_view account,
                                                                std::string_view id) override {
    return FindIn(s_.mitigation_tasks, std::pair(std::string(account), std::string(id)));
  }
  Result<std::optional<AuditMitigationTask>> FindMitigationTaskByToken(
      std::string_view account, std::string_view token) override {
    for (const auto& [key, t] : s_.mitigation_tasks) {
      if (key.first == account && t.client_request_token == token) {
        return std::optional<AuditMitigationTask>(t);
      }
    }
    return std::optional<AuditMitigationTask>();
  }
  Result<Page<AuditMitigationTask>> ListMitigationTasks(std::string_view account,
                                                        const MitigationTaskQuery& q,
                                                        const PageRequest& page) override {
    std::vector<AuditMitigationTask> out;
    for (const auto& [key, t] : s_.mitigation_tasks) {
      if (key.first != account || !InRange(t.start_time, q.start, q.end) ||
          (q.audit_task_id && t.target.audit_task_id != q.audit_task_id) ||
          (q.status && t.status != *q.status)) {
        continue;
      }
      if (q.finding_id && !NamesFinding(t, *q.finding_id)) {
        continue;
      }
      out.push_back(t);
    }
    return PageByTime(
        std::move(out), page, [](const AuditMitigationTask& t) { return t.start_time; },
        [](const AuditMitigationTask& t) { return t.task_id; });
  }
  Result<int64_t> CountMitigationTasks(std::string_view account,
                                       MitigationTaskStatus status) override {
    int64_t n = 0;
    for (const auto& [key, t] : s_.mitigation_tasks) {
      n += (key.first == account && t.status == status) ? 1 : 0;
    }
    return n;
  }
  Result<std::vector<AuditMitigationTask>> ListMitigationTasksByStatus(
      MitigationTaskStatus status) override {
    std::vector<AuditMitigationTask> out;
    for (const auto& [key, t] : s_.mitigation_tasks) {
      if (t.status == status) {
        out.push_back(t);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::pair(a.start_time, a.task_id) < std::pair(b.start_time, b.task_id);
    });
    return out;
  }

  Result<void> PutExecution(const MitigationExecution& e) override {
    if (!s_.mitigation_tasks.contains(std::pair(e.account_id, e.task_id))) {
      return Missing("audit mitigation actions task");
    }
    s_.executions[std::tuple(e.account_id, e.task_id, e.finding_id, e.action_index)] = e;
    return Ok();
  }
  Result<std::vector<MitigationExecution>> ListExecutions(
      std::string_view account, std::string_view task_id,
      const std::optional<std::string>& finding_id) override {
    std::vector<MitigationExecution> out;
    for (const auto& [key, e] : s_.executions) {
      if (std::get<0>(key) == account && std::get<1>(key) == task_id &&
          (!finding_id || std::get<2>(key) == *finding_id)) {
        out.push_back(e);
      }
    }
    return out;
  }

 private:
  bool NamesFinding(const AuditMitigationTask& t, const std::string& finding_id) const {
    if (std::find(t.target.finding_ids.begin(), t.target.finding_ids.end(), finding_id) !=
        t.target.finding_ids.end()) {
      return true;
    }
    for (const auto& [key, e] : s_.executions) {
      if (std::get<0>(key) == t.account_id && std::get<1>(key) == t.task_id &&
          std::get<2>(key) == finding_id) {
        return true;
      }
    }
    return false;
  }

  FakeAuditStore::State& s_;
};

}  // namespace

Result<void> FakeAuditStore::Transact(const TxFn& fn) {
  if (owner_.load() == std::this_thread::get_id()) {
    return Fail(ErrorCode::kInternal, "Transact called inside a transaction");
  }
  std::lock_guard<std::mutex> lock(mu_);
  owner_ = std::this_thread::get_id();
  State copy = state_;
  FakeTx tx(copy);
  Result<void> result = fn(tx);
  owner_ = std::thread::id();
  if (!result) {
    return result;
  }
  if (fail_in_ > 0 && --fail_in_ == 0) {
    return Fail(ErrorCode::kUnavailable, "injected commit failure");
  }
  state_ = std::move(copy);
  ++commits_;
  return Ok();
}

void FakeAuditStore::FailTransaction(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_in_ = n;
}

int FakeAuditStore::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

FakeAuditStore::State FakeAuditStore::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace fg::audit::testing
