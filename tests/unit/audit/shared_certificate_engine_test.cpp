#include "audit/shared_certificate_engine.h"

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/synthetic_log.h"

namespace fg::audit {
namespace {

const AuditWindow kWindow{FromEpochMillis(100'000), FromEpochMillis(1'000'000)};

SessionInterval Closed(uint64_t id, const char* client, int64_t connect, int64_t end) {
  SessionInterval s;
  s.session_id = id;
  s.client_id = client;
  s.connect_ms = connect;
  s.last_packet_ms = end;
  s.disconnect_ms = end;
  return s;
}

CertificateSessions Shared(std::string id) {
  return {std::move(id), {Closed(1, "a", 200'000, 400'000), Closed(2, "b", 300'000, 500'000)}};
}

CertificateSessions Alone(std::string id) {
  return {std::move(id), {Closed(1, "a", 200'000, 400'000), Closed(2, "a", 300'000, 500'000)}};
}

// Fails on the Nth call to Next() (1-based) with kUnavailable, as a store losing its connection
// would; counts calls so the test can see that pulling stopped.
class FailingSource final : public SessionSource {
 public:
  explicit FailingSource(int fail_at) : fail_at_(fail_at) {}
  Result<std::optional<CertificateSessions>> Next() override {
    ++calls_;
    if (calls_ == fail_at_) {
      return Fail(ErrorCode::kUnavailable, "store went away");
    }
    if (calls_ > 100) {
      return std::optional<CertificateSessions>();
    }
    return std::optional<CertificateSessions>(Shared("cert-" + std::to_string(calls_)));
  }
  int calls() const { return calls_; }

 private:
  int fail_at_;
  int calls_ = 0;
};

TEST(SharedCertificateEngineTest, FindsSharedCertificatesInIdOrderWithCounts) {
  InMemorySessionSource source({Shared("c3"), Alone("a1"), Shared("b2"), {"empty", {}}});
  auto report = RunSharedCertificateCheck(source, kWindow, {}, 1);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  ASSERT_EQ(report->findings.size(), 2u);
  EXPECT_EQ(report->findings[0].non_compliant_resource.identifier.device_certificate_id, "b2");
  EXPECT_EQ(report->findings[1].non_compliant_resource.identifier.device_certificate_id, "c3");
  EXPECT_EQ(report->certificates_checked, 4u);
  EXPECT_EQ(report->sessions_checked, 6u);
}

TEST(SharedCertificateEngineTest, EmptySourceIsCompliant) {
  InMemorySessionSource source({});
  auto report = RunSharedCertificateCheck(source, kWindow, {}, 2);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->findings.empty());
  EXPECT_EQ(report->certificates_checked, 0u);
}

TEST(SharedCertificateEngineTest, SameFindingsWithOneOrManyWorkers) {
  synthetic::SyntheticLogOptions options;
  options.device_count = 600;
  options.seed = 42;
  for (int r = 1; r < synthetic::kDeviceRoleCount; ++r) {
    options.role_per_10k[r] = 300;
  }
  const synthetic::SyntheticLog log(options);
  const AuditWindow window{options.window_start, options.window_end};

  synthetic::SyntheticLogSource one_source(log);
  auto one = RunSharedCertificateCheck(one_source, window, {}, 1);
  ASSERT_TRUE(one.has_value());
  ASSERT_GT(one->findings.size(), 50u);
  for (unsigned workers : {2u, 3u, 8u}) {
    synthetic::SyntheticLogSource source(log);
    auto many = RunSharedCertificateCheck(source, window, {}, workers);
    ASSERT_TRUE(many.has_value());
    EXPECT_EQ(many->findings, one->findings) << workers << " workers";
    EXPECT_EQ(many->certificates_checked, one->certificates_checked);
    EXPECT_EQ(many->sessions_checked, one->sessions_checked);
  }
}

TEST(SharedCertificateEngineTest, SourceErrorAbortsAndStopsPulling) {
  for (unsigned workers : {1u, 4u}) {
    FailingSource source(5);
    auto report = RunSharedCertificateCheck(source, kWindow, {}, workers);
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(report.error().message, "store went away");
    EXPECT_EQ(source.calls(), 5) << workers << " workers";
  }
}

struct BadRun {
  const char* name;
  unsigned workers;
  std::chrono::milliseconds tolerance;
};
// Names the case in test output instead of dumping its bytes (which include pointers).
void PrintTo(const BadRun& c, std::ostream* os) { *os << c.name; }

class SharedEngineRejectTest : public testing::TestWithParam<BadRun> {};

TEST_P(SharedEngineRejectTest, RejectsWithoutPulling) {
  FailingSource source(1);
  SharedCheckOptions options;
  options.tolerance = GetParam().tolerance;
  auto report = RunSharedCertificateCheck(source, kWindow, options, GetParam().workers);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(source.calls(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SharedEngineRejectTest,
    testing::Values(BadRun{"ZeroWorkers", 0, kDefaultSharedTolerance},
                    BadRun{"TooManyWorkers", kMaxAuditWorkers + 1, kDefaultSharedTolerance},
                    BadRun{"NegativeTolerance", 1, std::chrono::milliseconds(-1)}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace fg::audit
