#include "audit/synthetic_log.h"

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "audit/shared_certificate_engine.h"

namespace fg::audit::synthetic {
namespace {

// Every role common enough that a few hundred devices plant each of them several times.
SyntheticLogOptions SmallLog() {
  SyntheticLogOptions options;
  options.seed = 7;
  options.device_count = 800;
  for (int r = 1; r < kDeviceRoleCount; ++r) {
    options.role_per_10k[r] = 400;
  }
  return options;
}

std::map<std::string, int> Truth(const SyntheticLog& log, DeviceKeyRule rule) {
  std::map<std::string, int> truth;
  for (uint64_t d = 0; d < log.device_count(); ++d) {
    if (int max = log.ExpectedMaxDevices(d, rule); max > 0) {
      truth[log.CertificateId(d)] = max;
    }
  }
  return truth;
}

class SyntheticTruthTest : public testing::TestWithParam<DeviceKeyRule> {};

// Precision = recall = 1: the check finds exactly the planted certificates, with the planted
// number of devices.
TEST_P(SyntheticTruthTest, CheckRecoversPlantedTruthExactly) {
  const SyntheticLog log(SmallLog());
  std::map<DeviceRole, int> roles;
  for (uint64_t d = 0; d < log.device_count(); ++d) {
    ++roles[log.Role(d)];
  }
  for (int r = 0; r < kDeviceRoleCount; ++r) {
    EXPECT_GE(roles[static_cast<DeviceRole>(r)], 10) << DeviceRoleName(static_cast<DeviceRole>(r));
  }

  SharedCheckOptions check;
  check.device_key_rule = GetParam();
  SyntheticLogSource source(log);
  auto report = RunSharedCertificateCheck(
      source, {log.options().window_start, log.options().window_end}, check, 2);
  ASSERT_TRUE(report.has_value());
  std::map<std::string, int> found;
  for (const AuditFinding& f : report->findings) {
    found[f.non_compliant_resource.identifier.device_certificate_id] =
        std::stoi(f.non_compliant_resource.additional_info.at("MAX_CONCURRENT_DEVICES"));
  }
  const auto truth = Truth(log, GetParam());
  EXPECT_FALSE(truth.empty());
  EXPECT_EQ(found, truth);
  EXPECT_EQ(report->certificates_checked, log.device_count());
}

INSTANTIATE_TEST_SUITE_P(Rules, SyntheticTruthTest,
                         testing::Values(DeviceKeyRule::kClientId,
                                         DeviceKeyRule::kStripHashNumberSuffix));

// The traps must be real: a naive check that ends sessions at the broker's disconnect instead of
// the last packet, or ignores the tolerance, flags the planted non-clones.
TEST(SyntheticLogTest, TricksFoolNaiveDefinitions) {
  const SyntheticLog log(SmallLog());
  const AuditWindow window{log.options().window_start, log.options().window_end};
  SharedCheckOptions no_tolerance;
  no_tolerance.tolerance = std::chrono::milliseconds(0);
  std::set<DeviceRole> fooled_by_disconnect;
  std::set<DeviceRole> fooled_by_zero_tau;
  for (uint64_t d = 0; d < log.device_count(); ++d) {
    CertificateSessions cert = log.Certificate(d);
    if (log.ExpectedMaxDevices(d, DeviceKeyRule::kClientId) > 0) {
      continue;
    }
    if (EvaluateSharedCertificate(cert, window, no_tolerance)) {
      fooled_by_zero_tau.insert(log.Role(d));
    }
    for (SessionInterval& s : cert.sessions) {
      if (s.disconnect_ms) {
        s.last_packet_ms = *s.disconnect_ms;
      }
    }
    if (EvaluateSharedCertificate(cert, window, {})) {
      fooled_by_disconnect.insert(log.Role(d));
    }
  }
  EXPECT_EQ(fooled_by_disconnect, std::set<DeviceRole>{DeviceRole::kQuickReconnect});
  EXPECT_EQ(fooled_by_zero_tau, std::set<DeviceRole>{DeviceRole::kAtTolerance});
}

TEST(SyntheticLogTest, DeterministicAndRealistic) {
  const SyntheticLog log(SmallLog());
  const auto a = log.Certificate(123);
  const auto b = log.Certificate(123);
  ASSERT_EQ(a.sessions.size(), b.sessions.size());
  for (size_t i = 0; i < a.sessions.size(); ++i) {
    EXPECT_EQ(a.sessions[i].session_id, b.sessions[i].session_id);
    EXPECT_EQ(a.sessions[i].connect_ms, b.sessions[i].connect_ms);
  }
  EXPECT_EQ(a.certificate_id, log.CertificateId(123));
  EXPECT_EQ(a.certificate_id.size(), 64u);
  EXPECT_NE(log.CertificateId(1), log.CertificateId(2));

  // About 5 sessions per device per day over 32 days (the window and the day before it).
  uint64_t sessions = 0;
  std::set<std::string> reasons;
  int open = 0;
  for (uint64_t d = 0; d < log.device_count(); ++d) {
    for (const SessionInterval& s : log.Certificate(d).sessions) {
      ++sessions;
      reasons.insert(s.disconnect_reason);
      open += s.disconnect_ms.has_value() ? 0 : 1;
    }
  }
  const double per_device_day = static_cast<double>(sessions) / 800.0 / 32.0;
  EXPECT_GT(per_device_day, 4.5);
  EXPECT_LT(per_device_day, 5.5);
  EXPECT_GT(open, 50);
  EXPECT_TRUE(reasons.count("CONNECTION_LOST") && reasons.count("MQTT_KEEP_ALIVE_TIMEOUT") &&
              reasons.count("DUPLICATE_CLIENTID") && reasons.count("CLIENT_INITIATED_DISCONNECT"));
}

TEST(SyntheticLogTest, SourceRangesPartitionTheLog) {
  const SyntheticLog log(SmallLog());
  SyntheticLogSource first(log, 0, 2);
  SyntheticLogSource rest(log, 2, 1'000'000);
  int n = 0;
  while (auto next = first.Next()) {
    if (!next->has_value()) {
      break;
    }
    ++n;
  }
  EXPECT_EQ(n, 2);
  auto third = rest.Next();
  ASSERT_TRUE(third.has_value() && third->has_value());
  EXPECT_EQ((*third)->certificate_id, log.CertificateId(2));
}

}  // namespace
}  // namespace fg::audit::synthetic
