#include "gateway/identity_cache.h"

#include <chrono>
#include <future>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/lru_map.h"
#include "unit/gateway/gateway_fixture.h"

namespace fg::gateway::testing {
namespace {

TEST(LruMapTest, EvictsLeastRecentlyUsed) {
  LruMap<int> map(2);
  map.Put("a", 1);
  map.Put("b", 2);
  ASSERT_NE(map.Find("a"), nullptr);  // "b" is now the least recently used
  map.Put("c", 3);
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.Find("b"), nullptr);
  EXPECT_EQ(*map.Find("a"), 1);
  EXPECT_EQ(*map.Find("c"), 3);
  map.Put("a", 10);  // replace, no eviction
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(*map.Find("a"), 10);
  map.Put("x/1", 1);
  map.Put("x/2", 2);
  EXPECT_EQ(map.EraseWithPrefix("x/"), 2u);
  EXPECT_EQ(map.size(), 0u);
}

class IdentityCacheTest : public GatewayFixture {};

TEST_F(IdentityCacheTest, VerifiedChainsHoldWithinTheirWindowUntilAStatusEvent) {
  const TimePoint from = clock_.Now();
  const TimePoint until = from + std::chrono::hours(24);
  auto remember = [&] { cache_->RememberVerifiedChain("leaf", "ca", from, until); };
  remember();
  EXPECT_TRUE(cache_->ChainVerified("leaf", "ca", from));
  EXPECT_TRUE(cache_->ChainVerified("leaf", "ca", until));
  EXPECT_FALSE(cache_->ChainVerified("leaf", "ca", from - std::chrono::seconds(1)));
  EXPECT_FALSE(cache_->ChainVerified("leaf", "ca", until + std::chrono::seconds(1)));
  EXPECT_FALSE(cache_->ChainVerified("leaf", "another ca", from));
  EXPECT_FALSE(cache_->ChainVerified("another leaf", "ca", from));
  EXPECT_EQ(cache_->stats().verified_chain_hits, 2u);

  using registry::StatusEventKind;
  const std::vector<std::pair<const char*, registry::StatusEvent>> drops = {
      {"the certificate's status",
       {StatusEventKind::kCertificate, kAccountA, "leaf", "ACTIVE", "INACTIVE"}},
      {"the certificate registered",
       {StatusEventKind::kCertificate, kAccountB, "leaf", "", "ACTIVE"}},
      {"the certificate deleted",
       {StatusEventKind::kCertificate, kAccountA, "leaf", "INACTIVE", ""}},
      {"any CA's status",
       {StatusEventKind::kCaCertificate, kAccountB, "other ca", "ACTIVE", "INACTIVE"}},
  };
  for (const auto& [name, event] : drops) {
    SCOPED_TRACE(name);
    remember();
    ASSERT_TRUE(cache_->ChainVerified("leaf", "ca", from));
    events_.Publish(event);
    EXPECT_FALSE(cache_->ChainVerified("leaf", "ca", from));
  }
  remember();
  events_.Publish({StatusEventKind::kCertificate, kAccountA, "other leaf", "ACTIVE", "INACTIVE"});
  EXPECT_TRUE(cache_->ChainVerified("leaf", "ca", from));
  cache_->InvalidateCertificate("leaf");
  EXPECT_FALSE(cache_->ChainVerified("leaf", "ca", from));
}

TEST_F(IdentityCacheTest, BoundedByLru) {
  RegisterCa1(kAccountA);
  cache_options_.max_certificates = 2;
  IdentityCache cache(*store_, events_, clock_, cache_options_);
  const std::vector<std::string> ids = {FixtureFingerprint("device-rsa-1"),
                                        FixtureFingerprint("device-rsa-2"),
                                        FixtureFingerprint("device-rsa-3")};
  for (const std::string& id : ids) {
    ASSERT_TRUE(cache.RegistrationsOf(id, FetchMode::kLoadOnMiss).has_value());
  }
  EXPECT_EQ(cache.stats().store_reads, 3u);
  EXPECT_FALSE(cache.RegistrationsOf(ids[0], FetchMode::kCachedOnly).has_value());  // evicted
  EXPECT_TRUE(cache.RegistrationsOf(ids[2], FetchMode::kCachedOnly).has_value());
}

TEST_F(IdentityCacheTest, EntriesExpire) {
  RegisterCa1(kAccountA);
  RegisterWithCa(kAccountA, "device-rsa-1", registry::CertificateStatus::kActive);
  const std::string id = FixtureFingerprint("device-rsa-1");
  ASSERT_TRUE(cache_->RegistrationsOf(id, FetchMode::kLoadOnMiss).has_value());
  clock_.Advance(cache_options_.positive_ttl);
  EXPECT_TRUE(cache_->RegistrationsOf(id, FetchMode::kCachedOnly).has_value());
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(cache_->RegistrationsOf(id, FetchMode::kCachedOnly).has_value());
}

TEST_F(IdentityCacheTest, AccountByPrefixAndCas) {
  RegisterCa1(kAccountA);
  auto account = cache_->AccountByPrefix("aaaaaaaaaaaaaa", FetchMode::kLoadOnMiss);
  ASSERT_TRUE(account && *account && **account);
  EXPECT_EQ((**account)->id, kAccountA);
  auto none = cache_->AccountByPrefix("zzzzzzzzzzzzzz", FetchMode::kLoadOnMiss);
  ASSERT_TRUE(none && *none);
  EXPECT_EQ(**none, nullptr);
  auto ca = cache_->Ca(kAccountA, FixtureFingerprint("ca1"), FetchMode::kLoadOnMiss);
  ASSERT_TRUE(ca && *ca && **ca);
  EXPECT_EQ((**ca)->cert.Id(), FixtureFingerprint("ca1"));
  EXPECT_TRUE((**ca)->record.pem.empty());  // parsed once, PEM dropped
  auto by_subject =
      cache_->CasBySubject(kAccountA, LoadCert("ca1").Subject(), FetchMode::kLoadOnMiss);
  ASSERT_TRUE(by_subject && *by_subject);
  EXPECT_EQ((**by_subject)->size(), 1u);
  auto in_b = cache_->CasBySubject(kAccountB, LoadCert("ca1").Subject(), FetchMode::kLoadOnMiss);
  ASSERT_TRUE(in_b && *in_b);
  EXPECT_TRUE((**in_b)->empty());
}

// Many threads authenticating while statuses flip: no crash, no torn state, and once the
// flipping stops every thread sees the final status.
TEST_F(IdentityCacheTest, ConcurrentLookupsAndInvalidations) {
  RegisterCa1(kAccountA);
  RegisterWithCa(kAccountA, "device-rsa-1", registry::CertificateStatus::kActive);
  const std::string id = FixtureFingerprint("device-rsa-1");
  const ConnectionAttempt attempt = Attempt("device-rsa-1", kHostA);
  auto worker = [&] {
    for (int i = 0; i < 200; ++i) {
      AuthDecision d = auth_->Authenticate(attempt);
      if (!d.accepted()) {
        EXPECT_EQ(d.refusal().reason, RefusalReason::kInactive);
      }
      (void)auth_->TryAuthenticateCached(attempt);
    }
  };
  auto a = std::async(std::launch::async, worker);
  auto b = std::async(std::launch::async, worker);
  for (int i = 0; i < 20; ++i) {
    const auto status =
        i % 2 == 0 ? registry::CertificateStatus::kInactive : registry::CertificateStatus::kActive;
    ASSERT_TRUE(certs_->UpdateStatus(kAccountA, id, status).has_value());
  }
  a.get();
  b.get();
  // The last update set ACTIVE.
  EXPECT_TRUE(auth_->Authenticate(attempt).accepted());
  std::optional<AuthDecision> cached = auth_->TryAuthenticateCached(attempt);
  ASSERT_TRUE(cached.has_value());
  EXPECT_TRUE(cached->accepted());
}

}  // namespace
}  // namespace fg::gateway::testing
