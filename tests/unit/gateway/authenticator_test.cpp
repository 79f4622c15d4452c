#include "gateway/authenticator.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include "pki/openssl_ptr.h"
#include "registry/transact.h"
#include "unit/gateway/gateway_fixture.h"

namespace fg::gateway::testing {
namespace {

using registry::CertificateMode;
using registry::CertificateStatus;

constexpr char kUnknownHost[] = "zzzzzzzzzzzzzz-ats.iot.us-east-1.amazonaws.com";

class AuthenticatorTest : public GatewayFixture {
 protected:
  // The registry every accept/refuse case runs against.
  void PopulateRegistry() {
    RegisterCa1(kAccountA);
    RegisterCa2SniOnly(kAccountA);
    RegisterCa2SniOnly(kAccountB);
    RegisterWithCa(kAccountA, "device-rsa-1", CertificateStatus::kActive);
    RegisterWithCa(kAccountA, "device-rsa-2", CertificateStatus::kInactive);
    RegisterWithCa(kAccountA, "device-rsa-sha384", CertificateStatus::kRevoked);
    RegisterWithCa(kAccountA, "device-rsa-sha512", CertificateStatus::kInactive);
    ASSERT_TRUE(
        certs_->Transfer(kAccountA, FixtureFingerprint("device-rsa-sha512"), kAccountB, "to B")
            .has_value());
    // SNI_ONLY: through an SNI_ONLY CA, and CA-less in two accounts.
    RegisterWithCa(kAccountA, "device-ec-2", CertificateStatus::kActive);
    RegisterWithoutCa(kAccountA, "device-ec-1", CertificateStatus::kActive);
    RegisterWithoutCa(kAccountB, "device-ec-1", CertificateStatus::kActive);
    // RegisterCertificateWithoutCA does not check validity, so these can exist.
    RegisterWithoutCa(kAccountA, "device-expired", CertificateStatus::kActive);
    RegisterWithoutCa(kAccountA, "device-not-yet-valid", CertificateStatus::kActive);
    // CA 2 deactivated in account B after registering a device with it there.
    RegisterWithCa(kAccountB, "device-ec-sha512", CertificateStatus::kActive);
    registry::UpdateCaRequest deactivate;
    deactivate.new_status = registry::CaCertificateStatus::kInactive;
    ASSERT_TRUE(cas_->Update(kAccountB, FixtureFingerprint("ca2"), deactivate).has_value());
    // Registrations the services refuse to create, as a legacy or corrupted store might hold.
    InsertRaw(kAccountA, "device-sha1", FixtureFingerprint("ca1"));
    InsertRaw(kAccountA, "device-md5", FixtureFingerprint("ca1"));
    InsertRaw(kAccountA, "device-selfsigned", FixtureFingerprint("ca1"));
  }
};

struct AcceptCase {
  const char* name;
  const char* cert;
  std::string sni;
  std::string account;
  CertificateMode mode;
  AccountSelection selected_by;
  std::optional<std::string> ca;  // fixture name
};

TEST_F(AuthenticatorTest, Accepts) {
  PopulateRegistry();
  const std::vector<AcceptCase> cases = {
      {"DEFAULT via SNI", "device-rsa-1", kHostA, kAccountA, CertificateMode::kDefault,
       AccountSelection::kSni, "ca1"},
      {"DEFAULT without SNI (legacy)", "device-rsa-1", "", kAccountA, CertificateMode::kDefault,
       AccountSelection::kCertificate, "ca1"},
      {"DEFAULT with an unknown SNI (legacy)", "device-rsa-1", kUnknownHost, kAccountA,
       CertificateMode::kDefault, AccountSelection::kCertificate, "ca1"},
      {"legacy iot:Data host name", "device-rsa-1", "aaaaaaaaaaaaaa.iot.us-east-1.amazonaws.com",
       kAccountA, CertificateMode::kDefault, AccountSelection::kSni, "ca1"},
      {"host name in upper case, absolute", "device-rsa-1",
       "AAAAAAAAAAAAAA-ATS.IOT.US-EAST-1.AMAZONAWS.COM.", kAccountA, CertificateMode::kDefault,
       AccountSelection::kSni, "ca1"},
      {"SNI_ONLY without CA, account A", "device-ec-1", kHostA, kAccountA,
       CertificateMode::kSniOnly, AccountSelection::kSni, std::nullopt},
      {"SNI_ONLY without CA, account B", "device-ec-1", kHostB, kAccountB,
       CertificateMode::kSniOnly, AccountSelection::kSni, std::nullopt},
      {"SNI_ONLY through an SNI_ONLY CA", "device-ec-2", kHostA, kAccountA,
       CertificateMode::kSniOnly, AccountSelection::kSni, "ca2"},
  };
  for (const AcceptCase& c : cases) {
    SCOPED_TRACE(c.name);
    AuthDecision d = auth_->Authenticate(Attempt(c.cert, c.sni));
    ASSERT_TRUE(d.accepted()) << RefusalReasonName(d.refusal().reason) << ": "
                              << d.refusal().detail;
    EXPECT_EQ(d.identity().account_id, c.account);
    EXPECT_EQ(d.identity().certificate_id, FixtureFingerprint(c.cert));
    EXPECT_EQ(d.identity().mode, c.mode);
    EXPECT_EQ(d.identity().selected_by, c.selected_by);
    EXPECT_EQ(d.identity().ca_certificate_id,
              c.ca ? std::optional<std::string>(FixtureFingerprint(*c.ca)) : std::nullopt);
    EXPECT_TRUE(d.events.empty());
  }
}

struct RefuseCase {
  const char* name;
  std::string cert;  // "" for none
  std::string sni;
  RefusalReason reason;
  std::string account;  // expected Refusal::account_id
};

TEST_F(AuthenticatorTest, Refuses) {
  PopulateRegistry();
  const std::vector<RefuseCase> cases = {
      {"no client certificate", "", kHostA, RefusalReason::kNoClientCertificate, ""},
      {"unregistered", "device-rsa-3", kHostA, RefusalReason::kNotRegistered, kAccountA},
      {"unregistered, no SNI", "device-rsa-3", "", RefusalReason::kNotRegistered, ""},
      {"INACTIVE", "device-rsa-2", kHostA, RefusalReason::kInactive, kAccountA},
      {"INACTIVE, no SNI", "device-rsa-2", "", RefusalReason::kInactive, kAccountA},
      {"REVOKED", "device-rsa-sha384", kHostA, RefusalReason::kRevoked, kAccountA},
      {"PENDING_TRANSFER", "device-rsa-sha512", kHostA, RefusalReason::kPendingTransfer, kAccountA},
      {"PENDING_TRANSFER, target's SNI", "device-rsa-sha512", kHostB, RefusalReason::kNotRegistered,
       kAccountB},
      {"expired", "device-expired", kHostA, RefusalReason::kExpired, ""},
      {"not yet valid", "device-not-yet-valid", kHostA, RefusalReason::kNotYetValid, ""},
      {"SHA-1 signature", "device-sha1", kHostA, RefusalReason::kBadSignatureAlgorithm, ""},
      {"MD5 signature", "device-md5", kHostA, RefusalReason::kBadSignatureAlgorithm, ""},
      {"CA INACTIVE", "device-ec-sha512", kHostB, RefusalReason::kCaInactive, kAccountB},
      {"chain does not verify against the registered CA", "device-selfsigned", kHostA,
       RefusalReason::kChainInvalid, kAccountA},
      {"rogue CA", "device-rogue", kHostA, RefusalReason::kNotRegistered, kAccountA},
      {"right certificate, another account's SNI", "device-rsa-1", kHostB,
       RefusalReason::kNotRegistered, kAccountB},
      {"right certificate, another region's host name", "device-ec-1",
       "aaaaaaaaaaaaaa-ats.iot.eu-west-1.amazonaws.com", RefusalReason::kUnknownEndpoint, ""},
      {"SNI_ONLY without SNI", "device-ec-1", "", RefusalReason::kSniRequired, ""},
      {"SNI_ONLY through a CA, without SNI", "device-ec-2", "", RefusalReason::kSniRequired, ""},
      {"SNI_ONLY with an unknown SNI", "device-ec-1", kUnknownHost, RefusalReason::kUnknownEndpoint,
       ""},
      {"SNI_ONLY with a non-endpoint SNI", "device-ec-1", "mqtt.example.com",
       RefusalReason::kUnknownEndpoint, ""},
  };
  for (const RefuseCase& c : cases) {
    SCOPED_TRACE(c.name);
    AuthDecision d = auth_->Authenticate(Attempt(c.cert, c.sni));
    ASSERT_FALSE(d.accepted()) << "accepted as " << d.identity().account_id;
    EXPECT_EQ(RefusalReasonName(d.refusal().reason), RefusalReasonName(c.reason))
        << d.refusal().detail;
    EXPECT_EQ(d.refusal().account_id, c.account);
    EXPECT_EQ(d.refusal().certificate_id, c.cert.empty() ? "" : FixtureFingerprint(c.cert));
    EXPECT_FALSE(d.refusal().detail.empty());
    EXPECT_TRUE(d.events.empty());
  }
}

// d2i_X509 as the TLS layer runs it on what the client sent.
pki::X509Ptr ParseAsTheHandshakeDoes(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return pki::X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

TEST_F(AuthenticatorTest, RefusesALeafThatIsNotWhatTheClientSentInCanonicalDer) {
  PopulateRegistry();
  const std::string der = LoadCert("device-rsa-1").Der();
  pki::X509Ptr parsed = ParseAsTheHandshakeDoes(der);
  ASSERT_NE(parsed, nullptr);
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"no bytes seen", ""},
      {"another certificate's bytes", LoadCert("device-rsa-2").Der()},
      {"truncated", der.substr(0, der.size() / 2)},
      {"trailing bytes", der + "x"},
      {"PEM instead of DER", ReadFixture("device-rsa-1.pem")},
  };
  for (const auto& [name, sent] : cases) {
    SCOPED_TRACE(name);
    AuthDecision d = auth_->Authenticate(AttemptWithLeaf(*parsed, sent, kHostA));
    ASSERT_FALSE(d.accepted());
    EXPECT_EQ(d.refusal().reason, RefusalReason::kMalformedCertificate);
    EXPECT_FALSE(d.refusal().detail.empty());
  }
  EXPECT_TRUE(auth_->Authenticate(AttemptWithLeaf(*parsed, der, kHostA)).accepted());
  ConnectionAttempt none = Attempt("", kHostA);
  EXPECT_EQ(auth_->Authenticate(none).refusal().reason, RefusalReason::kNoClientCertificate);
}

// A second encoding of a registered certificate that d2i_X509 accepts and i2d_X509 turns back
// into the registered one: the outer SEQUENCE's length in long form with a leading zero octet
// (X.690 §10.1 requires the minimum number of octets). Judged by OpenSSL's re-encoding, as the
// gateway once was, it would be let in as that certificate.
TEST_F(AuthenticatorTest, RefusesANonCanonicalEncodingOfARegisteredCertificate) {
  PopulateRegistry();
  const std::string der = LoadCert("device-ec-1").Der();
  ASSERT_EQ(der.substr(0, 2), std::string("\x30\x82", 2)) << "fixture layout changed";
  const std::string sent = std::string("\x30\x83\x00", 3) + der.substr(2);
  pki::X509Ptr parsed = ParseAsTheHandshakeDoes(sent);
  ASSERT_NE(parsed, nullptr) << "OpenSSL no longer accepts the non-minimal length";
  auto reencoded = pki::Certificate::FromX509(*parsed);
  ASSERT_TRUE(reencoded);
  ASSERT_EQ(reencoded->Id(), FixtureFingerprint("device-ec-1"));

  for (FetchMode mode : {FetchMode::kCachedOnly, FetchMode::kLoadOnMiss}) {
    ConnectionAttempt a = AttemptWithLeaf(*parsed, sent, kHostA);
    std::optional<AuthDecision> d = mode == FetchMode::kCachedOnly
                                        ? auth_->TryAuthenticateCached(a)
                                        : std::optional(auth_->Authenticate(a));
    ASSERT_TRUE(d.has_value());
    ASSERT_FALSE(d->accepted());
    EXPECT_EQ(d->refusal().reason, RefusalReason::kMalformedCertificate);
    EXPECT_EQ(d->refusal().certificate_id, "");
  }
  EXPECT_TRUE(auth_->Authenticate(Attempt("device-ec-1", kHostA)).accepted());
}

TEST_F(AuthenticatorTest, AlpnListenerRequiresMqttProtocol) {
  PopulateRegistry();
  ConnectionAttempt a = Attempt("device-rsa-1", kHostA);
  a.require_mqtt_alpn = true;
  a.alpn = "http/1.1";
  AuthDecision refused = auth_->Authenticate(a);
  ASSERT_FALSE(refused.accepted());
  EXPECT_EQ(refused.refusal().reason, RefusalReason::kAlpnMismatch);
  a.alpn = std::string(kMqttAlpn);
  EXPECT_TRUE(auth_->Authenticate(a).accepted());
}

TEST_F(AuthenticatorTest, RefusedRecordCarriesWhatTheAuditNeeds) {
  PopulateRegistry();
  ConnectionAttempt a = Attempt("device-rsa-sha384", kHostA);
  AuthDecision d = auth_->Authenticate(a);
  ASSERT_FALSE(d.accepted());
  registry::RefusedConnection r = MakeRefusedRecord(a, d.refusal(), "node-1");
  EXPECT_EQ(r.id.size(), 36u);
  EXPECT_EQ(r.time, clock_.Now());
  EXPECT_EQ(r.account_id, kAccountA);
  EXPECT_EQ(r.certificate_id, FixtureFingerprint("device-rsa-sha384"));
  EXPECT_EQ(r.sni, kHostA);
  EXPECT_EQ(r.source_ip, "198.51.100.7");
  EXPECT_EQ(r.source_port, 50123);
  EXPECT_EQ(r.reason, "CERTIFICATE_REVOKED");
  EXPECT_EQ(r.node_id, "node-1");
}

std::string JitrPayload(const std::string& cert, const std::string& ca, int64_t now_ms,
                        int64_t registered_ms) {
  return R"({"certificateId":")" + cert + R"(","caCertificateId":")" + ca + R"(","timestamp":)" +
         std::to_string(now_ms) +
         R"(,"certificateStatus":"PENDING_ACTIVATION","awsAccountId":"111111111111",)" +
         R"("certificateRegistrationTimestamp":")" + std::to_string(registered_ms) + R"("})";
}

TEST_F(AuthenticatorTest, JustInTimeRegistration) {
  RegisterCa1(kAccountA, /*auto_registration=*/true);
  const std::string cert_id = FixtureFingerprint("device-rsa-3");
  const std::string ca_id = FixtureFingerprint("ca1");
  const int64_t registered_ms = ToEpochMillis(clock_.Now());

  AuthDecision first = auth_->Authenticate(Attempt("device-rsa-3", kHostA));
  ASSERT_FALSE(first.accepted());
  EXPECT_EQ(first.refusal().reason, RefusalReason::kJitrRegistered);
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_EQ(first.events[0].account_id, kAccountA);
  EXPECT_EQ(first.events[0].topic, "$aws/events/certificates/registered/" + ca_id);
  EXPECT_EQ(first.events[0].payload, JitrPayload(cert_id, ca_id, registered_ms, registered_ms));

  auto stored = certs_->Describe(kAccountA, cert_id);
  ASSERT_TRUE(stored.has_value()) << stored.error().ToString();
  EXPECT_EQ(stored->status, CertificateStatus::kPendingActivation);
  EXPECT_EQ(stored->mode, CertificateMode::kDefault);
  EXPECT_EQ(stored->ca_certificate_id, ca_id);
  EXPECT_EQ(stored->owned_by, kAccountA);

  // Presented again: the same event (new timestamp, same registration time), still refused.
  clock_.Advance(std::chrono::seconds(5));
  AuthDecision again = auth_->Authenticate(Attempt("device-rsa-3", kHostA));
  ASSERT_FALSE(again.accepted());
  EXPECT_EQ(again.refusal().reason, RefusalReason::kPendingActivation);
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_EQ(again.events[0].topic, first.events[0].topic);
  EXPECT_EQ(again.events[0].payload,
            JitrPayload(cert_id, ca_id, registered_ms + 5000, registered_ms));

  // Once a rule activates it, the device gets in.
  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kActive).has_value());
  AuthDecision active = auth_->Authenticate(Attempt("device-rsa-3", kHostA));
  ASSERT_TRUE(active.accepted()) << active.refusal().detail;
  EXPECT_EQ(active.identity().ca_certificate_id, ca_id);
}

TEST_F(AuthenticatorTest, JustInTimeRegistrationNeedsSniAndAnEnabledCa) {
  RegisterCa1(kAccountA, /*auto_registration=*/true);
  RegisterCa2SniOnly(kAccountA);
  struct Case {
    const char* name;
    const char* cert;
    std::string sni;
    RefusalReason reason;
  };
  const std::vector<Case> cases = {
      {"no SNI", "device-rsa-2", "", RefusalReason::kNotRegistered},
      {"another account (CA not registered there)", "device-rsa-2", kHostB,
       RefusalReason::kNotRegistered},
      {"SNI_ONLY CA never auto-registers", "device-ec-1", kHostA, RefusalReason::kNotRegistered},
      {"expired, even if signed by the CA", "device-expired", kHostA, RefusalReason::kExpired},
      {"SHA-1, even if signed by the CA", "device-sha1", kHostA,
       RefusalReason::kBadSignatureAlgorithm},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AuthDecision d = auth_->Authenticate(Attempt(c.cert, c.sni));
    ASSERT_FALSE(d.accepted());
    EXPECT_EQ(RefusalReasonName(d.refusal().reason), RefusalReasonName(c.reason));
    EXPECT_TRUE(d.events.empty());
    auto all = registry::TransactValue<std::vector<registry::CertificateRecord>>(
        *store_, [&](registry::RegistryTx& tx) {
          return tx.FindCertificateInAllAccounts(FixtureFingerprint(c.cert));
        });
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(all->empty()) << "registered although JITR must not apply";
  }
}

TEST_F(AuthenticatorTest, CachedPathNeverReadsTheStoreAndFollowsStatusEvents) {
  PopulateRegistry();
  const ConnectionAttempt attempt = Attempt("device-rsa-1", kHostA);
  const std::string cert_id = FixtureFingerprint("device-rsa-1");

  // Cold cache: the non-blocking path cannot decide and reads nothing.
  const uint64_t reads_before = cache_->stats().store_reads;
  EXPECT_FALSE(auth_->TryAuthenticateCached(attempt).has_value());
  EXPECT_EQ(cache_->stats().store_reads, reads_before);

  ASSERT_TRUE(auth_->Authenticate(attempt).accepted());
  const uint64_t reads_warm = cache_->stats().store_reads;
  std::optional<AuthDecision> cached = auth_->TryAuthenticateCached(attempt);
  ASSERT_TRUE(cached.has_value());
  EXPECT_TRUE(cached->accepted());
  ASSERT_TRUE(auth_->Authenticate(attempt).accepted());
  EXPECT_EQ(cache_->stats().store_reads, reads_warm);

  // UpdateCertificate publishes a status event; the cached ACTIVE entry must not survive it.
  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kInactive).has_value());
  EXPECT_FALSE(auth_->TryAuthenticateCached(attempt).has_value());
  AuthDecision after = auth_->Authenticate(attempt);
  ASSERT_FALSE(after.accepted());
  EXPECT_EQ(after.refusal().reason, RefusalReason::kInactive);
  std::optional<AuthDecision> cached_refusal = auth_->TryAuthenticateCached(attempt);
  ASSERT_TRUE(cached_refusal.has_value());
  EXPECT_EQ(cached_refusal->refusal().reason, RefusalReason::kInactive);

  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kActive).has_value());
  EXPECT_TRUE(auth_->Authenticate(attempt).accepted());
}

TEST_F(AuthenticatorTest, ReconnectsSkipTheChainCheckUntilTheCertificateOrACaChanges) {
  PopulateRegistry();
  const ConnectionAttempt attempt = Attempt("device-rsa-1", kHostA);
  const std::string cert_id = FixtureFingerprint("device-rsa-1");
  auto hits = [&] { return cache_->stats().verified_chain_hits; };
  // Each reconnect after the first skips the verification, whether decided from the cache on
  // the I/O thread or on the worker pool.
  auto expect_verified_then_skipped = [&](const char* after) {
    SCOPED_TRACE(after);
    const uint64_t before = hits();
    ASSERT_TRUE(auth_->Authenticate(attempt).accepted());
    EXPECT_EQ(hits(), before) << "verified again";
    ASSERT_TRUE(auth_->Authenticate(attempt).accepted());
    std::optional<AuthDecision> cached = auth_->TryAuthenticateCached(attempt);
    ASSERT_TRUE(cached.has_value());
    EXPECT_TRUE(cached->accepted());
    EXPECT_EQ(hits(), before + 2);
  };
  expect_verified_then_skipped("first connect");

  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kInactive).has_value());
  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kActive).has_value());
  expect_verified_then_skipped("the certificate's status changed");

  registry::UpdateCaRequest update;
  update.new_status = registry::CaCertificateStatus::kInactive;
  ASSERT_TRUE(cas_->Update(kAccountA, FixtureFingerprint("ca1"), update).has_value());
  EXPECT_EQ(auth_->Authenticate(attempt).refusal().reason, RefusalReason::kCaInactive);
  update.new_status = registry::CaCertificateStatus::kActive;
  ASSERT_TRUE(cas_->Update(kAccountA, FixtureFingerprint("ca1"), update).has_value());
  expect_verified_then_skipped("the CA's status changed");

  // A chain that does not verify is not remembered: the refusal repeats.
  const uint64_t before = hits();
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(auth_->Authenticate(Attempt("device-selfsigned", kHostA)).refusal().reason,
              RefusalReason::kChainInvalid);
  }
  EXPECT_EQ(hits(), before);
}

TEST_F(AuthenticatorTest, CaDeactivationInvalidatesCachedCa) {
  PopulateRegistry();
  const ConnectionAttempt attempt = Attempt("device-ec-2", kHostA);
  ASSERT_TRUE(auth_->Authenticate(attempt).accepted());
  registry::UpdateCaRequest deactivate;
  deactivate.new_status = registry::CaCertificateStatus::kInactive;
  ASSERT_TRUE(cas_->Update(kAccountA, FixtureFingerprint("ca2"), deactivate).has_value());
  AuthDecision d = auth_->Authenticate(attempt);
  ASSERT_FALSE(d.accepted());
  EXPECT_EQ(d.refusal().reason, RefusalReason::kCaInactive);
}

// The registry publishes registrations and deletions, so neither waits out a cached answer.
TEST_F(AuthenticatorTest, RegistrationAndDeletionAreSeenAtOnce) {
  RegisterCa1(kAccountA);
  const ConnectionAttempt attempt = Attempt("device-rsa-1", kHostA);
  const std::string cert_id = FixtureFingerprint("device-rsa-1");
  ASSERT_EQ(auth_->Authenticate(attempt).refusal().reason, RefusalReason::kNotRegistered);
  std::optional<AuthDecision> primed = auth_->TryAuthenticateCached(attempt);
  ASSERT_TRUE(primed.has_value()) << "the negative answer should be cached";
  ASSERT_EQ(primed->refusal().reason, RefusalReason::kNotRegistered);

  RegisterWithCa(kAccountA, "device-rsa-1", CertificateStatus::kActive);
  EXPECT_FALSE(auth_->TryAuthenticateCached(attempt).has_value());
  EXPECT_TRUE(auth_->Authenticate(attempt).accepted());

  ASSERT_TRUE(certs_->UpdateStatus(kAccountA, cert_id, CertificateStatus::kInactive).has_value());
  EXPECT_EQ(auth_->Authenticate(attempt).refusal().reason, RefusalReason::kInactive);
  ASSERT_TRUE(certs_->Delete(kAccountA, cert_id, false).has_value());
  EXPECT_EQ(auth_->Authenticate(attempt).refusal().reason, RefusalReason::kNotRegistered);
}

// A store that fails every transaction, to check that store trouble refuses (never admits).
class FailingStore final : public registry::RegistryStore {
 public:
  Result<void> Transact(const TxFn&) override {
    return Fail(ErrorCode::kUnavailable, "database is locked");
  }
};

TEST_F(AuthenticatorTest, StoreFailureRefusesAsUnavailable) {
  FailingStore failing;
  IdentityCache cache(failing, events_, clock_);
  Authenticator auth(cache, failing);
  AuthDecision d = auth.Authenticate(Attempt("device-rsa-1", kHostA));
  ASSERT_FALSE(d.accepted());
  EXPECT_EQ(d.refusal().reason, RefusalReason::kRegistryUnavailable);
  // Errors are not cached: the next attempt asks the store again.
  EXPECT_FALSE(auth.TryAuthenticateCached(Attempt("device-rsa-1", kHostA)).has_value());
}

}  // namespace
}  // namespace fg::gateway::testing
