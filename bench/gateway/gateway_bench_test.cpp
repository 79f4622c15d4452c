// Tests of the gateway benchmark's own parts: the /proc parsers, the latency percentiles and the
// identity loader (real certificates from the pki library in a temporary directory).

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "device_identities.h"
#include "latency_stats.h"
#include "pki/authority.h"
#include "pki/key.h"
#include "pki/random.h"
#include "proc_stats.h"

namespace fg::bench {
namespace {

namespace fs = std::filesystem;

TEST(ProcStatsTest, ParsesVmRss) {
  EXPECT_EQ(ParseVmRssKib("Name:\tmosquitto\nVmPeak:\t  20000 kB\nVmRSS:\t   9900 kB\n"), 9900u);
  EXPECT_EQ(ParseVmRssKib("VmRSS: 1 kB"), 1u);
}

TEST(ProcStatsTest, RefusesMalformedVmRss) {
  for (const char* text : {"", "Name:\tx\n", "VmRSS:\t 12 MB\n", "VmRSS:\t kB\n",
                           "VmRSS:\t 1x2 kB\n", "VmRSS:\t -5 kB\n"}) {
    SCOPED_TRACE(text);
    auto rss = ParseVmRssKib(text);
    ASSERT_FALSE(rss);
    EXPECT_EQ(rss.error().code, ErrorCode::kCorrupt);
  }
}

TEST(ProcStatsTest, SumsUtimeAndStimeAfterTheCommandName) {
  // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
  // utime stime ...
  EXPECT_EQ(ParseCpuTicks("42 (mosquitto) S 1 42 42 0 -1 4194560 100 0 0 0 170 30 0 0 20 0\n"),
            200u);
  // A command name with spaces and parentheses must not shift the fields.
  EXPECT_EQ(ParseCpuTicks("7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0\n"), 11u);
}

TEST(ProcStatsTest, RefusesMalformedStat) {
  for (const char* text : {"", "42 mosquitto S 1", "42 (x) S 1 2 3",
                           "42 (x) S 1 42 42 0 -1 0 0 0 "
                           "0 0 ab 30 0"}) {
    SCOPED_TRACE(text);
    auto ticks = ParseCpuTicks(text);
    ASSERT_FALSE(ticks);
    EXPECT_EQ(ticks.error().code, ErrorCode::kCorrupt);
  }
}

TEST(ProcStatsTest, ReadsThisProcess) {
  auto rss = ReadVmRssKib(getpid());
  ASSERT_TRUE(rss) << rss.error().message;
  EXPECT_GT(*rss, 0u);
  EXPECT_TRUE(ReadCpuMillis(getpid()));
  auto gone = ReadVmRssKib(-1);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST(LatencyStatsTest, NearestRank) {
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) {
    hundred.push_back(i);
  }
  EXPECT_EQ(NearestRankPercentile(hundred, 50), 50);
  EXPECT_EQ(NearestRankPercentile(hundred, 99), 99);
  EXPECT_EQ(NearestRankPercentile(hundred, 100), 100);
  EXPECT_EQ(NearestRankPercentile(hundred, 0), 1);
  EXPECT_EQ(NearestRankPercentile({7}, 99), 7);
  EXPECT_EQ(NearestRankPercentile({}, 50), 0);
}

TEST(LatencyStatsTest, SummarizesUnsortedSamples) {
  LatencySummary s = Summarize({5, 1, 4, 2, 3});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.mean_ms, 3);
  EXPECT_EQ(s.p50_ms, 3);
  EXPECT_EQ(s.p99_ms, 5);
  EXPECT_EQ(s.max_ms, 5);
  EXPECT_EQ(Summarize({}).count, 0u);
}

class DeviceIdentitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fg-gwbench-test-" + pki::RandomHex(6));
    fs::create_directories(dir_);
    const TimePoint now = SystemClock::Instance().Now();
    auto ca = pki::CertificateAuthority::Generate("test CA", now - std::chrono::hours(1),
                                                  now + std::chrono::hours(1),
                                                  pki::KeyAlgorithm::kEcP256);
    ASSERT_TRUE(ca);
    ca_.emplace(std::move(*ca));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  // A certificate and key; returns the key PEM.
  std::string Issue(const std::string& stem) {
    auto keys = pki::GenerateEcKeyPair();
    EXPECT_TRUE(keys);
    pki::CertificateAuthority::IssueOptions o;
    o.common_name = stem;
    o.not_before = SystemClock::Instance().Now() - std::chrono::hours(1);
    o.not_after = o.not_before + std::chrono::hours(2);
    auto cert = ca_->Issue(keys->public_key_pem, o);
    EXPECT_TRUE(cert);
    Write(stem + ".pem", cert->Pem());
    Write(stem + ".key", keys->private_key_pem);
    return keys->private_key_pem;
  }

  fs::path dir_;
  std::optional<pki::CertificateAuthority> ca_;
};

TEST_F(DeviceIdentitiesTest, LoadsSortedPairsAndSkipsLoneCertificates) {
  Issue("device-2");
  Issue("device-0");
  Issue("device-1");
  Write("ca.pem", ca_->Cert().Pem());  // no .key beside it: not an identity
  auto ids = LoadDeviceIdentities(dir_.string(), 3);
  ASSERT_TRUE(ids) << ids.error().message;
  ASSERT_EQ(ids->size(), 3u);
  EXPECT_EQ((*ids)[0].name, "device-0");
  EXPECT_EQ((*ids)[2].name, "device-2");
  EXPECT_EQ((*ids)[1].cert.SubjectCommonName(), "device-1");
  auto two = LoadDeviceIdentities(dir_.string(), 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
}

TEST_F(DeviceIdentitiesTest, RefusesBadDirectories) {
  struct Case {
    const char* name;
    std::function<void()> damage;
    size_t limit;
    ErrorCode code;
    const char* named_file;  // the message must name it
  };
  const Case cases[] = {
      {"fewer than asked", [] {}, 4, ErrorCode::kNotFound, ""},
      {"key of another certificate",
       [&] { fs::copy_file(dir_ / "b.key", dir_ / "a.key", fs::copy_options::overwrite_existing); },
       3, ErrorCode::kInvalidArgument, "a.key"},
      {"garbage certificate", [&] { Write("c.pem", "not a certificate"); }, 3,
       ErrorCode::kInvalidArgument, "c.pem"},
      {"garbage key", [&] { Write("b.key", "not a key"); }, 3, ErrorCode::kInvalidArgument,
       "b.key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Issue("a");
    Issue("b");
    Issue("c");
    c.damage();
    auto ids = LoadDeviceIdentities(dir_.string(), c.limit);
    ASSERT_FALSE(ids);
    EXPECT_EQ(ids.error().code, c.code) << ids.error().message;
    EXPECT_NE(ids.error().message.find(c.named_file), std::string::npos) << ids.error().message;
  }
  auto missing = LoadDeviceIdentities((dir_ / "nope").string(), 1);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fg::bench
