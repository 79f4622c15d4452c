#include "audit/shared_certificate_check.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fg::audit {
namespace {

using std::chrono::milliseconds;

// Window [100 s, 1000 s) in epoch milliseconds; tau 2 s unless a case says otherwise.
const AuditWindow kWindow{FromEpochMillis(100'000), FromEpochMillis(1'000'000)};
constexpr int64_t kTau = 2000;

// A session that ended cleanly: its last packet is its disconnect.
SessionInterval Closed(uint64_t id, const char* client, int64_t connect, int64_t end) {
  SessionInterval s;
  s.session_id = id;
  s.client_id = client;
  s.connect_ms = connect;
  s.last_packet_ms = end;
  s.disconnect_ms = end;
  return s;
}

// A session the broker closed at `disconnect`, long after the device's last packet.
SessionInterval Silent(uint64_t id, const char* client, int64_t connect, int64_t last_packet,
                       int64_t disconnect) {
  SessionInterval s = Closed(id, client, connect, disconnect);
  s.last_packet_ms = last_packet;
  return s;
}

SessionInterval Open(uint64_t id, const char* client, int64_t connect) {
  SessionInterval s = Closed(id, client, connect, connect);
  s.disconnect_ms.reset();
  return s;
}

struct DefinitionCase {
  const char* name;
  std::vector<SessionInterval> sessions;
  int expected_max_devices;                     // 0: compliant, no finding
  std::vector<uint64_t> expected_participants;  // session ids, newest first
  int64_t tau = kTau;
  DeviceKeyRule rule = DeviceKeyRule::kClientId;
};

// gtest prints a failing parameter with this instead of its raw bytes.
void PrintTo(const DefinitionCase& c, std::ostream* os) { *os << c.name; }

class SharedDefinitionTest : public testing::TestWithParam<DefinitionCase> {};

TEST_P(SharedDefinitionTest, Verdict) {
  const DefinitionCase& c = GetParam();
  SharedCheckOptions options;
  options.tolerance = milliseconds(c.tau);
  options.device_key_rule = c.rule;
  ASSERT_TRUE(ValidateSharedCheckOptions(options));
  CertificateSessions cert{"cert", c.sessions};
  auto verdict = EvaluateSharedCertificate(cert, kWindow, options);
  if (c.expected_max_devices == 0) {
    EXPECT_FALSE(verdict.has_value())
        << "unexpected finding with " << verdict->participants.size() << " participants";
    return;
  }
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ(verdict->certificate_id, "cert");
  EXPECT_EQ(verdict->max_concurrent_devices, c.expected_max_devices);
  std::vector<uint64_t> ids;
  for (const auto& p : verdict->participants) {
    ids.push_back(p.session.session_id);
    EXPECT_GT(p.overlap_ms, c.tau) << "session " << p.session.session_id;
  }
  EXPECT_EQ(ids, c.expected_participants);

  // The verdict must not depend on the order the store returned the sessions in.
  std::reverse(cert.sessions.begin(), cert.sessions.end());
  auto reversed = EvaluateSharedCertificate(cert, kWindow, options);
  ASSERT_TRUE(reversed.has_value());
  EXPECT_EQ(reversed->max_concurrent_devices, verdict->max_concurrent_devices);
  EXPECT_EQ(reversed->participants.size(), verdict->participants.size());
}

INSTANTIATE_TEST_SUITE_P(
    Definition, SharedDefinitionTest,
    testing::Values(
        DefinitionCase{"TouchingIsNotConcurrent",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 300'000, 400'000)},
                       0,
                       {}},
        DefinitionCase{"OverlapOfExactlyTauIsNotConcurrent",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 298'000, 400'000)},
                       0,
                       {}},
        DefinitionCase{"OverlapJustUnderTauIsNotConcurrent",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 298'001, 400'000)},
                       0,
                       {}},
        DefinitionCase{"OverlapJustOverTauIsConcurrent",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 297'999, 400'000)},
                       2,
                       {2, 1}},
        DefinitionCase{"ZeroTauOneMillisecond",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 299'999, 400'000)},
                       2,
                       {2, 1},
                       0},
        DefinitionCase{"ZeroTauTouching",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 300'000, 400'000)},
                       0,
                       {},
                       0},
        DefinitionCase{"OpenSessionRunsToWindowEnd",
                       {Open(1, "a", 900'000), Closed(2, "b", 950'000, 960'000)},
                       2,
                       {2, 1}},
        DefinitionCase{"TwoOpenSessionsOverlapUntilWindowEnd",
                       {Open(1, "a", 997'000), Open(2, "b", 997'500)},
                       2,
                       {2, 1}},
        DefinitionCase{"OpenSessionsClippedAtWindowEndByTau",
                       {Open(1, "a", 998'000), Open(2, "b", 998'000)},
                       0,
                       {}},
        DefinitionCase{"ClosedAfterWindowEndIsClipped",
                       {Closed(1, "a", 900'000, 2'000'000), Closed(2, "b", 998'000, 2'000'000)},
                       0,
                       {}},
        DefinitionCase{"BeganBeforeWindowCountsOnlyInside",
                       {Closed(1, "a", 50'000, 103'000), Closed(2, "b", 40'000, 200'000)},
                       2,
                       {1, 2}},
        DefinitionCase{"BeganBeforeWindowOverlapMostlyOutside",
                       {Closed(1, "a", 50'000, 101'500), Closed(2, "b", 40'000, 200'000)},
                       0,
                       {}},
        DefinitionCase{"EntirelyBeforeWindow",
                       {Closed(1, "a", 10'000, 99'000), Closed(2, "b", 20'000, 100'000)},
                       0,
                       {}},
        DefinitionCase{"EntirelyAfterWindow",
                       {Closed(1, "a", 1'000'000, 1'100'000), Open(2, "b", 1'000'000)},
                       0,
                       {}},
        DefinitionCase{"SameClientIdNeverCounts",
                       {Closed(1, "a", 200'000, 400'000), Closed(2, "a", 250'000, 500'000),
                        Open(3, "a", 300'000)},
                       0,
                       {}},
        DefinitionCase{"ThreeDevicesAtOnce",
                       {Closed(1, "a", 200'000, 500'000), Closed(2, "b", 250'000, 450'000),
                        Closed(3, "c", 300'000, 400'000)},
                       3,
                       {3, 2, 1}},
        DefinitionCase{"ThreeDevicesInAChainAreTwoAtATime",
                       {Closed(1, "a", 200'000, 300'000), Closed(2, "b", 290'000, 400'000),
                        Closed(3, "c", 390'000, 500'000)},
                       2,
                       {3, 2, 1}},
        DefinitionCase{"ThreeSessionsTwoDevices",
                       {Closed(1, "a", 200'000, 500'000), Closed(2, "a", 250'000, 450'000),
                        Closed(3, "b", 300'000, 400'000)},
                       2,
                       {3, 2, 1}},
        DefinitionCase{
            "ReconnectUnderNewClientIdAfterSilentDrop",
            {Silent(1, "a", 200'000, 300'000, 390'000), Closed(2, "a-new", 305'000, 600'000)},
            0,
            {}},
        DefinitionCase{
            "LastPacketAfterReconnectStillCounts",
            {Silent(1, "a", 200'000, 308'000, 390'000), Closed(2, "a-new", 305'000, 600'000)},
            2,
            {2, 1}},
        DefinitionCase{
            "LastPacketAfterDisconnectUsesDisconnect",
            {Silent(1, "a", 200'000, 900'000, 300'000), Closed(2, "b", 299'000, 600'000)},
            0,
            {}},
        DefinitionCase{"OnlyOverlappingSessionsParticipate",
                       {Closed(1, "a", 200'000, 250'000), Closed(2, "a", 260'000, 400'000),
                        Closed(3, "b", 300'000, 350'000), Closed(4, "c", 700'000, 800'000)},
                       2,
                       {3, 2}},
        DefinitionCase{"LaterOverlapMarksEarlierSessionsOfOneDevice",
                       {Closed(1, "a", 200'000, 800'000), Closed(2, "a", 300'000, 800'000),
                        Closed(3, "b", 700'000, 750'000)},
                       2,
                       {3, 2, 1}},
        DefinitionCase{
            "MappingRuleOffCountsGreengrassConnections",
            {Closed(1, "thing", 200'000, 400'000), Closed(2, "thing#2", 250'000, 450'000)},
            2,
            {2, 1}},
        DefinitionCase{
            "MappingRuleOnMergesGreengrassConnections",
            {Closed(1, "thing", 200'000, 400'000), Closed(2, "thing#2", 250'000, 450'000),
             Closed(3, "thing#3", 260'000, 450'000)},
            0,
            {},
            kTau,
            DeviceKeyRule::kStripHashNumberSuffix},
        DefinitionCase{
            "MappingRuleOnStillSeparatesDevices",
            {Closed(1, "thing#2", 200'000, 400'000), Closed(2, "other#2", 250'000, 450'000)},
            2,
            {2, 1},
            kTau,
            DeviceKeyRule::kStripHashNumberSuffix},
        DefinitionCase{"MalformedSessionsAreIgnored",
                       {Closed(1, "a", 300'000, 200'000), Silent(2, "b", 250'000, 400'000, 240'000),
                        Closed(3, "c", 500'000, 600'000)},
                       0,
                       {}},
        DefinitionCase{"EqualConnectTimesOrderBySessionId",
                       {Closed(9, "a", 200'000, 400'000), Closed(4, "b", 200'000, 400'000)},
                       2,
                       {4, 9}}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(SharedCertificateCheckTest, NoSessionsNoFinding) {
  EXPECT_FALSE(EvaluateSharedCertificate({"cert", {}}, kWindow, {}).has_value());
}

TEST(SharedCertificateCheckTest, EmptyWindowNeverFinds) {
  const AuditWindow empty{FromEpochMillis(300'000), FromEpochMillis(300'000)};
  EXPECT_FALSE(
      EvaluateSharedCertificate({"cert", {Open(1, "a", 100'000), Open(2, "b", 100'000)}}, empty, {})
          .has_value());
}

TEST(SharedCertificateCheckTest, OverlapIsTimeSharedWithAnyOtherDevice) {
  auto verdict = EvaluateSharedCertificate(
      {"cert",
       {Closed(1, "a", 200'000, 500'000), Closed(2, "b", 250'000, 300'000),
        Closed(3, "c", 280'000, 320'000), Closed(4, "d", 400'000, 450'000)}},
      kWindow, {});
  ASSERT_TRUE(verdict.has_value());
  std::map<uint64_t, int64_t> overlap;
  for (const auto& p : verdict->participants) {
    overlap[p.session.session_id] = p.overlap_ms;
  }
  // a overlaps b or c over [250, 320) and d over [400, 450).
  EXPECT_EQ(overlap,
            (std::map<uint64_t, int64_t>{{1, 120'000}, {2, 50'000}, {3, 40'000}, {4, 50'000}}));
  EXPECT_EQ(verdict->max_concurrent_devices, 3);
}

TEST(SharedCertificateCheckTest, EvaluatorIsReusableAcrossCertificates) {
  SharedCertificateEvaluator evaluator(kWindow, {});
  CertificateSessions shared{"shared",
                             {Closed(1, "a", 200'000, 400'000), Closed(2, "b", 250'000, 450'000)}};
  CertificateSessions alone{"alone", {Closed(1, "x", 200'000, 400'000)}};
  EXPECT_TRUE(evaluator.Evaluate(shared).has_value());
  EXPECT_FALSE(evaluator.Evaluate(alone).has_value());
  auto again = evaluator.Evaluate(shared);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->participants.size(), 2u);
}

TEST(SharedCertificateCheckTest, ManyDevicesUseTheHashedKeyTable) {
  CertificateSessions cert{"farm", {}};
  for (uint64_t i = 0; i < 40; ++i) {
    cert.sessions.push_back(Closed(i, "", 200'000 + static_cast<int64_t>(i) * 1000, 900'000));
    cert.sessions.back().client_id = "clone-" + std::to_string(i);
  }
  auto verdict = EvaluateSharedCertificate(cert, kWindow, {});
  ASSERT_TRUE(verdict.has_value());
  EXPECT_EQ(verdict->max_concurrent_devices, 40);
  EXPECT_EQ(verdict->participants.size(), 40u);
  EXPECT_EQ(verdict->participants.front().session.session_id, 39u);
}

struct BadOptions {
  int64_t tolerance_ms;
};

class SharedOptionsRejectTest : public testing::TestWithParam<BadOptions> {};

TEST_P(SharedOptionsRejectTest, Rejects) {
  SharedCheckOptions options;
  options.tolerance = milliseconds(GetParam().tolerance_ms);
  auto valid = ValidateSharedCheckOptions(options);
  ASSERT_FALSE(valid);
  EXPECT_EQ(valid.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Table, SharedOptionsRejectTest,
                         testing::Values(BadOptions{-1}, BadOptions{24 * 3600 * 1000 + 1},
                                         BadOptions{INT64_MIN}));

TEST(SharedCertificateCheckTest, OptionsAcceptZeroAndMaximum) {
  SharedCheckOptions options;
  options.tolerance = milliseconds(0);
  EXPECT_TRUE(ValidateSharedCheckOptions(options));
  options.tolerance = kMaxSharedTolerance;
  EXPECT_TRUE(ValidateSharedCheckOptions(options));
}

TEST(SharedFindingShapeTest, ExactAwsShapeWithExtraEvidence) {
  SessionInterval owner = Silent(7, "sensor-1", 150'000, 600'000, 690'000);
  owner.source_ip = "203.0.113.7";
  owner.disconnect_reason = "MQTT_KEEP_ALIVE_TIMEOUT";
  SessionInterval clone = Open(8, "sensor-1-clone", 500'000);
  clone.source_ip = "198.51.100.9";
  SessionInterval earlier = Closed(3, "sensor-1", 50'000, 140'000);
  const std::string cert_id(64, 'a');
  auto verdict = EvaluateSharedCertificate({cert_id, {owner, clone, earlier}}, kWindow, {});
  ASSERT_TRUE(verdict.has_value());
  const AuditFinding finding = ToAuditFinding(*verdict);

  AuditFinding expected;
  expected.check_name = "DEVICE_CERTIFICATE_SHARED_CHECK";
  expected.severity = AuditSeverity::kCritical;
  expected.reason_for_non_compliance = "Certificate shared by one or more devices.";
  expected.reason_for_non_compliance_code = "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES";
  expected.non_compliant_resource.type = ResourceType::kDeviceCertificate;
  expected.non_compliant_resource.identifier.device_certificate_id = cert_id;
  expected.non_compliant_resource.additional_info = {{"MAX_CONCURRENT_DEVICES", "2"}};
  AuditResource newest;
  newest.type = ResourceType::kClientId;
  newest.identifier.client_id = "sensor-1-clone";
  newest.additional_info = {
      {"CONNECTION_TIME", "500000"}, {"SOURCE_IP", "198.51.100.9"}, {"OVERLAP_MS", "100000"}};
  AuditResource older;
  older.type = ResourceType::kClientId;
  older.identifier.client_id = "sensor-1";
  older.additional_info = {{"CONNECTION_TIME", "150000"},
                           {"DISCONNECTION_TIME", "690000"},
                           {"DISCONNECT_REASON", "MQTT_KEEP_ALIVE_TIMEOUT"},
                           {"SOURCE_IP", "203.0.113.7"},
                           {"OVERLAP_MS", "100000"}};
  expected.related_resources = {newest, older};
  EXPECT_EQ(finding, expected);
  EXPECT_EQ(AuditSeverityName(finding.severity), "CRITICAL");
  EXPECT_EQ(ResourceTypeName(finding.non_compliant_resource.type), "DEVICE_CERTIFICATE");
  EXPECT_EQ(ResourceTypeName(finding.related_resources[0].type), "CLIENT_ID");
}

TEST(SharedFindingShapeTest, ReportsRealTimesOutsideTheWindow) {
  auto verdict = EvaluateSharedCertificate(
      {"cert", {Closed(1, "a", 50'000, 2'000'000), Closed(2, "b", 60'000, 1'500'000)}}, kWindow,
      {});
  ASSERT_TRUE(verdict.has_value());
  const AuditFinding finding = ToAuditFinding(*verdict);
  ASSERT_EQ(finding.related_resources.size(), 2u);
  EXPECT_EQ(finding.related_resources[0].additional_info.at("CONNECTION_TIME"), "60000");
  EXPECT_EQ(finding.related_resources[0].additional_info.at("DISCONNECTION_TIME"), "1500000");
  // Overlap is measured inside the window only: [100 s, 1000 s).
  EXPECT_EQ(finding.related_resources[0].additional_info.at("OVERLAP_MS"), "900000");
  EXPECT_EQ(finding.related_resources[1].additional_info.at("CONNECTION_TIME"), "50000");
}

}  // namespace
}  // namespace fg::audit
