// SqliteSessionSource: the audit engine reading SqliteStore's connection log. The synthetic log
// (audit/synthetic_log.h) plants clones and tricky non-clones; written through AppendBatch and
// read back through the source, the engine must find exactly the planted truth and the same
// findings as when it reads the generator directly.

#include "store/sqlite/sqlite_session_source.h"

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/shared_certificate_engine.h"
#include "audit/synthetic_log.h"
#include "raw_sqlite.h"
#include "store/sqlite/sqlite_store.h"
#include "temp_dir.h"

namespace fg::store::testing {
namespace {

using audit::AuditWindow;
using audit::CertificateSessions;
using audit::SessionInterval;
using registry::ConnectionLogEvent;

constexpr char kAcct[] = "111111111111";
constexpr int64_t kDay = 24LL * 3600 * 1000;

std::string Uuid(uint64_t n) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "00000000-0000-4000-8000-%012llu",
                static_cast<unsigned long long>(n));
  return buf;
}

audit::synthetic::SyntheticLogOptions SmallLog() {
  audit::synthetic::SyntheticLogOptions options;
  options.seed = 7;
  options.device_count = 40;
  options.window_end = options.window_start + std::chrono::milliseconds(3 * kDay);
  // Below about 3 a day the generator can place a planted case outside the window.
  options.sessions_per_day = 5.0;
  // Many special roles, so that a few hundred sessions hold every kind of planted case.
  for (int role = 1; role < audit::synthetic::kDeviceRoleCount; ++role) {
    options.role_per_10k[role] = 700;
  }
  return options;
}

// Writes every session of `log` to `store` as the gateway would: open, then close if closed.
// Returns the number of sessions written.
size_t WriteLog(SqliteStore& store, const audit::synthetic::SyntheticLog& log,
                const std::string& account) {
  static uint64_t next_uuid = 0;
  std::vector<ConnectionLogEvent> events;
  size_t written = 0;
  for (uint64_t device = 0; device < log.device_count(); ++device) {
    const CertificateSessions cert = log.Certificate(device);
    for (const SessionInterval& s : cert.sessions) {
      registry::SessionRecord r;
      r.session_id = Uuid(++next_uuid);
      r.account_id = account;
      r.certificate_id = cert.certificate_id;
      r.client_id = s.client_id;
      r.source_ip = s.source_ip;
      r.connect_time = FromEpochMillis(s.connect_ms);
      r.last_packet_time = FromEpochMillis(s.last_packet_ms);
      r.node_id = "node-a";
      events.push_back(registry::SessionOpened{r});
      if (s.disconnect_ms) {
        events.push_back(registry::SessionClosed{r.session_id, r.last_packet_time,
                                                 FromEpochMillis(*s.disconnect_ms),
                                                 s.disconnect_reason});
      }
      ++written;
    }
  }
  auto r = store.AppendBatch(events);
  EXPECT_TRUE(r.has_value()) << r.error().ToString();
  return written;
}

std::vector<CertificateSessions> Drain(audit::SessionSource& source) {
  std::vector<CertificateSessions> out;
  while (true) {
    auto next = source.Next();
    EXPECT_TRUE(next.has_value()) << next.error().ToString();
    if (!next || !next->has_value()) {
      return out;
    }
    out.push_back(std::move(**next));
  }
}

class SqliteSessionSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    store_ = std::move(*store);
  }

  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteSessionSourceTest, EngineOverTheStoreFindsThePlantedTruth) {
  const audit::synthetic::SyntheticLog log(SmallLog());
  const size_t written = WriteLog(*store_, log, kAcct);
  ASSERT_GE(written, 200u);
  // Another account's copy of the log must not leak into this account's audit.
  WriteLog(*store_, log, "222222222222");

  const AuditWindow window{log.options().window_start, log.options().window_end};
  audit::SharedCheckOptions options;
  options.tolerance = std::chrono::milliseconds(log.options().tolerance_ms);

  std::map<std::string, int> expected;
  for (uint64_t device = 0; device < log.device_count(); ++device) {
    const int max_devices = log.ExpectedMaxDevices(device, options.device_key_rule);
    if (max_devices > 0) {
      expected[log.CertificateId(device)] = max_devices;
    }
  }
  ASSERT_GE(expected.size(), 5u);

  // A small page makes certificates straddle pages.
  SqliteSessionSource source(*store_, kAcct, window, 7);
  auto report = audit::RunSharedCertificateCheck(source, window, options, 2);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_GT(source.pages_read(), 10u);

  std::map<std::string, int> found;
  for (const audit::AuditFinding& f : report->findings) {
    found[f.non_compliant_resource.identifier.device_certificate_id] = std::stoi(
        f.non_compliant_resource.additional_info.at(std::string(audit::kMaxConcurrentDevicesKey)));
  }
  EXPECT_EQ(found, expected);

  // Reading the generator directly gives the same findings: the store loses and adds nothing
  // that matters to the check (session ids differ but do not appear in a finding).
  audit::synthetic::SyntheticLogSource direct(log);
  auto direct_report = audit::RunSharedCertificateCheck(direct, window, options, 1);
  ASSERT_TRUE(direct_report.has_value());
  EXPECT_EQ(report->findings, direct_report->findings);
}

TEST_F(SqliteSessionSourceTest, YieldsEachCertificateOnceInOrderWhateverThePageSize) {
  const audit::synthetic::SyntheticLog log(SmallLog());
  WriteLog(*store_, log, kAcct);
  const AuditWindow window{log.options().window_start, log.options().window_end};

  std::vector<CertificateSessions> reference;
  for (size_t page_size : {size_t{1}, size_t{3}, size_t{64}, size_t{100000}}) {
    SqliteSessionSource source(*store_, kAcct, window, page_size);
    std::vector<CertificateSessions> batches = Drain(source);
    ASSERT_FALSE(batches.empty());
    std::set<std::string> seen;
    for (size_t i = 0; i < batches.size(); ++i) {
      EXPECT_TRUE(seen.insert(batches[i].certificate_id).second) << "split certificate";
      if (i > 0) {
        EXPECT_LT(batches[i - 1].certificate_id, batches[i].certificate_id);
      }
      EXPECT_FALSE(batches[i].sessions.empty());
    }
    if (reference.empty()) {
      reference = batches;
    } else {
      ASSERT_EQ(batches.size(), reference.size()) << "page size " << page_size;
      for (size_t i = 0; i < batches.size(); ++i) {
        EXPECT_EQ(batches[i].certificate_id, reference[i].certificate_id);
        ASSERT_EQ(batches[i].sessions.size(), reference[i].sessions.size());
        for (size_t j = 0; j < batches[i].sessions.size(); ++j) {
          EXPECT_EQ(batches[i].sessions[j].session_id, reference[i].sessions[j].session_id);
        }
      }
    }
  }
}

TEST_F(SqliteSessionSourceTest, SessionIdIsTheRowIdAndFieldsMapAcross) {
  registry::SessionRecord r;
  r.session_id = Uuid(1'000'000);
  r.account_id = kAcct;
  r.certificate_id = std::string(64, 'e');
  r.client_id = "thermostat-1";
  r.source_ip = "2001:db8::7";
  r.connect_time = FromEpochMillis(10'000);
  r.last_packet_time = FromEpochMillis(12'000);
  registry::SessionRecord open = r;
  open.session_id = Uuid(1'000'001);
  open.connect_time = FromEpochMillis(20'000);
  open.last_packet_time = FromEpochMillis(21'000);
  const std::vector<ConnectionLogEvent> events = {
      registry::SessionOpened{r}, registry::SessionOpened{open},
      registry::SessionClosed{r.session_id, FromEpochMillis(13'000), FromEpochMillis(15'000),
                              "CONNECTION_LOST"}};
  ASSERT_TRUE(store_->AppendBatch(events).has_value());

  SqliteSessionSource source(*store_, kAcct,
                             AuditWindow{FromEpochMillis(0), FromEpochMillis(100'000)});
  auto batches = Drain(source);
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0].sessions.size(), 2u);
  const SessionInterval& closed = batches[0].sessions[0];
  EXPECT_EQ(closed.session_id, static_cast<uint64_t>(**store_->FindSessionRowId(r.session_id)));
  EXPECT_EQ(closed.client_id, "thermostat-1");
  EXPECT_EQ(closed.source_ip, "2001:db8::7");
  EXPECT_EQ(closed.connect_ms, 10'000);
  EXPECT_EQ(closed.last_packet_ms, 13'000);
  EXPECT_EQ(closed.disconnect_ms, 15'000);
  EXPECT_EQ(closed.disconnect_reason, "CONNECTION_LOST");
  const SessionInterval& live = batches[0].sessions[1];
  EXPECT_EQ(live.session_id, static_cast<uint64_t>(**store_->FindSessionRowId(open.session_id)));
  EXPECT_FALSE(live.disconnect_ms.has_value());
  EXPECT_TRUE(live.disconnect_reason.empty());
}

TEST_F(SqliteSessionSourceTest, HonoursTheHalfOpenWindowAndTheAccount) {
  auto make = [](int n, const std::string& account, int64_t connect_ms) {
    registry::SessionRecord r;
    r.session_id = Uuid(2'000'000 + static_cast<uint64_t>(n));
    r.account_id = account;
    r.certificate_id = std::string(63, 'f') + std::to_string(n);
    r.client_id = "c";
    r.connect_time = FromEpochMillis(connect_ms);
    r.last_packet_time = r.connect_time;
    return registry::SessionOpened{r};
  };
  const std::vector<ConnectionLogEvent> events = {make(1, kAcct, 500), make(2, kAcct, 1000),
                                                  make(3, "222222222222", 500)};
  ASSERT_TRUE(store_->AppendBatch(events).has_value());

  SqliteSessionSource window(*store_, kAcct,
                             AuditWindow{FromEpochMillis(0), FromEpochMillis(1000)});
  auto batches = Drain(window);
  ASSERT_EQ(batches.size(), 1u);  // the session connecting at the window's end is outside it
  EXPECT_EQ(batches[0].certificate_id, std::string(63, 'f') + "1");

  SqliteSessionSource empty(*store_, kAcct,
                            AuditWindow{FromEpochMillis(700), FromEpochMillis(700)});
  EXPECT_TRUE(Drain(empty).empty());
  EXPECT_EQ(empty.pages_read(), 0u);

  SqliteSessionSourceFactory factory(*store_);
  auto opened = factory.Open(kAcct, AuditWindow{FromEpochMillis(0), FromEpochMillis(2000)});
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(Drain(**opened).size(), 2u);
}

TEST(SqliteSessionSourceFailure, AStoreErrorFailsTheSourceAndTheCheck) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = (dir.path() / "fleetguard.db").string();
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.has_value());
  // Another connection removes the table under the store, as a damaged file would.
  RawExec(path, "DROP TABLE sessions");

  const AuditWindow window{FromEpochMillis(0), FromEpochMillis(1000)};
  SqliteSessionSource source(**store, kAcct, window);
  auto first = source.Next();
  ASSERT_FALSE(first.has_value());
  auto second = source.Next();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, first.error().code);

  SqliteSessionSource again(**store, kAcct, window);
  auto report = audit::RunSharedCertificateCheck(again, window, audit::SharedCheckOptions{}, 1);
  EXPECT_FALSE(report.has_value());
}

}  // namespace
}  // namespace fg::store::testing
