#include "registry_store_contract.h"

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace fg::store::testing {
namespace {

using registry::AccessKey;
using registry::Account;
using registry::CaCertificateRecord;
using registry::CertificateRecord;
using registry::CertificateStatus;
using registry::PageRequest;
using registry::RegistryTx;
using registry::Thing;
using registry::ThingGroup;
using registry::ThingPrincipal;
using registry::ThingPrincipalType;

constexpr char kAcct1[] = "111111111111";
constexpr char kAcct2[] = "222222222222";

std::string CertId(int n) {
  std::string id = std::to_string(n);
  return std::string(64 - id.size(), 'a') + id;
}

Account MakeAccount(const std::string& id, const std::string& prefix) {
  return Account{id, "name-" + id, "us-east-1", prefix, FromEpochMillis(1000)};
}

CertificateRecord MakeCert(const std::string& account, const std::string& id, int64_t created_ms) {
  CertificateRecord c;
  c.account_id = account;
  c.certificate_id = id;
  c.pem = "-----BEGIN CERTIFICATE-----\n" + id + "\n-----END CERTIFICATE-----\n";
  c.status = CertificateStatus::kActive;
  c.owned_by = account;
  c.creation_date = FromEpochMillis(created_ms);
  c.last_modified_date = FromEpochMillis(created_ms);
  c.generation_id = "gen-" + id;
  c.not_before = FromEpochMillis(0);
  c.not_after = FromEpochMillis(4102444800000);
  return c;
}

CaCertificateRecord MakeCa(const std::string& account, const std::string& id,
                           const std::string& subject, int64_t created_ms) {
  CaCertificateRecord c;
  c.account_id = account;
  c.certificate_id = id;
  c.pem = "ca-pem-" + id;
  c.subject = subject;
  c.owned_by = account;
  c.creation_date = FromEpochMillis(created_ms);
  c.last_modified_date = FromEpochMillis(created_ms);
  c.generation_id = "gen";
  c.registration_config = {"{}", "arn:aws:iam::123456789012:role/x", "tmpl"};
  return c;
}

Thing MakeThing(const std::string& account, const std::string& name,
                registry::Attributes attributes = {}, std::string type = "") {
  return Thing{account,           name, "id-" + name, std::move(type), std::move(attributes), 1,
               FromEpochMillis(5)};
}

ThingGroup MakeGroup(const std::string& account, const std::string& name,
                     std::optional<std::string> parent = std::nullopt) {
  return ThingGroup{account,      name, "gid-" + name,     std::move(parent), "desc",
                    {{"k", "v"}}, 1,    FromEpochMillis(7)};
}

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
  if (!r) {
    return T{};
  }
  return std::move(*r);
}

void MustOk(const Result<void>& r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
}

ErrorCode CodeOf(const Result<void>& r) { return r ? ErrorCode::kInternal : r.error().code; }

void SeedAccounts(RegistryTx& tx) {
  MustOk(tx.InsertAccount(MakeAccount(kAcct1, "aaaaaaaaaaaaa1")));
  MustOk(tx.InsertAccount(MakeAccount(kAcct2, "aaaaaaaaaaaaa2")));
}

}  // namespace

void RegistryStoreContract::SetUp() {
  auto store = GetParam().open();
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  store_ = std::move(*store);
}

void RegistryStoreContract::TearDown() {
  store_.reset();
  if (GetParam().cleanup) {
    GetParam().cleanup();
  }
}

void RegistryStoreContract::Tx(const std::function<void(registry::RegistryTx&)>& fn) {
  auto r = store_->Transact([&](registry::RegistryTx& tx) -> Result<void> {
    fn(tx);
    return Ok();
  });
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
}

TEST_P(RegistryStoreContract, AccountsRoundTripAndUniqueness) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    EXPECT_EQ(Must(tx.FindAccount(kAcct1)), MakeAccount(kAcct1, "aaaaaaaaaaaaa1"));
    EXPECT_EQ(Must(tx.FindAccountByEndpointPrefix("aaaaaaaaaaaaa2"))->id, kAcct2);
    EXPECT_FALSE(Must(tx.FindAccount("999999999999")).has_value());
    EXPECT_FALSE(Must(tx.FindAccountByEndpointPrefix("nope")).has_value());
    EXPECT_EQ(CodeOf(tx.InsertAccount(MakeAccount(kAcct1, "zzzzzzzzzzzzzz"))),
              ErrorCode::kAlreadyExists);
    EXPECT_EQ(CodeOf(tx.InsertAccount(MakeAccount("333333333333", "aaaaaaaaaaaaa1"))),
              ErrorCode::kAlreadyExists);
  });
}

TEST_P(RegistryStoreContract, ListAccountsPagesWithoutGapsOrDuplicates) {
  Tx([](RegistryTx& tx) {
    for (int i = 0; i < 5; ++i) {
      const std::string id = "10000000000" + std::to_string(i);
      MustOk(tx.InsertAccount(MakeAccount(id, "prefix" + std::to_string(i))));
    }
    std::vector<std::string> seen;
    PageRequest page{2, ""};
    int pages = 0;
    do {
      auto p = Must(tx.ListAccounts(page));
      for (const auto& a : p.items) {
        seen.push_back(a.id);
      }
      page.cursor = p.next_cursor;
      ++pages;
    } while (!page.cursor.empty() && pages < 10);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(seen, (std::vector<std::string>{"100000000000", "100000000001", "100000000002",
                                              "100000000003", "100000000004"}));
  });
}

TEST_P(RegistryStoreContract, AccessKeysAndRegistrationCodes) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    AccessKey key{"AKIAAAAAAAAAAAAAAAAA", kAcct1, std::string("\x00\x01\xff sealed", 10),
                  FromEpochMillis(9), true};
    MustOk(tx.InsertAccessKey(key));
    EXPECT_EQ(Must(tx.FindAccessKey(key.access_key_id)), key);
    EXPECT_EQ(CodeOf(tx.InsertAccessKey(key)), ErrorCode::kAlreadyExists);
    key.enabled = false;
    MustOk(tx.UpdateAccessKey(key));
    EXPECT_EQ(Must(tx.ListAccessKeys(kAcct1)), std::vector<AccessKey>{key});
    EXPECT_TRUE(Must(tx.ListAccessKeys(kAcct2)).empty());
    AccessKey orphan{"AKIABBBBBBBBBBBBBBBB", "999999999999", "s", FromEpochMillis(1), true};
    EXPECT_EQ(CodeOf(tx.InsertAccessKey(orphan)), ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf(tx.UpdateAccessKey(orphan)), ErrorCode::kNotFound);

    EXPECT_FALSE(Must(tx.FindRegistrationCode(kAcct1)).has_value());
    MustOk(tx.PutRegistrationCode(kAcct1, "code1"));
    MustOk(tx.PutRegistrationCode(kAcct1, "code2"));
    EXPECT_EQ(Must(tx.FindRegistrationCode(kAcct1)), std::optional<std::string>("code2"));
    EXPECT_FALSE(Must(tx.FindRegistrationCode(kAcct2)).has_value());
    EXPECT_TRUE(Must(tx.DeleteRegistrationCode(kAcct1)));
    EXPECT_FALSE(Must(tx.DeleteRegistrationCode(kAcct1)));
  });
}

TEST_P(RegistryStoreContract, CertificateRoundTripWithEveryField) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(900), "CN=CA", 1)));
    CertificateRecord c = MakeCert(kAcct1, CertId(1), 100);
    c.status = CertificateStatus::kPendingTransfer;
    c.mode = registry::CertificateMode::kSniOnly;
    c.ca_certificate_id = CertId(900);
    c.previous_owned_by = kAcct2;
    c.customer_version = 7;
    c.transfer = registry::TransferData{
        kAcct2, "msg", "why", FromEpochMillis(11), std::nullopt, FromEpochMillis(13)};
    MustOk(tx.InsertCertificate(c));
    EXPECT_EQ(Must(tx.FindCertificate(kAcct1, CertId(1))), c);
    EXPECT_FALSE(Must(tx.FindCertificate(kAcct2, CertId(1))).has_value());

    c.transfer.reset();
    c.ca_certificate_id.reset();
    c.status = CertificateStatus::kRevoked;
    MustOk(tx.UpdateCertificate(c));
    EXPECT_EQ(Must(tx.FindCertificate(kAcct1, CertId(1))), c);
    EXPECT_EQ(CodeOf(tx.UpdateCertificate(MakeCert(kAcct2, CertId(1), 1))), ErrorCode::kNotFound);
  });
}

TEST_P(RegistryStoreContract, SameCertificateInSeveralAccounts) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertCertificate(MakeCert(kAcct2, CertId(1), 1)));
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(1), 2)));
    EXPECT_EQ(CodeOf(tx.InsertCertificate(MakeCert(kAcct1, CertId(1), 3))),
              ErrorCode::kAlreadyExists);
    auto all = Must(tx.FindCertificateInAllAccounts(CertId(1)));
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].account_id, kAcct1);
    EXPECT_EQ(all[1].account_id, kAcct2);
    EXPECT_TRUE(Must(tx.DeleteCertificate(kAcct1, CertId(1))));
    EXPECT_FALSE(Must(tx.DeleteCertificate(kAcct1, CertId(1))));
    EXPECT_EQ(Must(tx.FindCertificateInAllAccounts(CertId(1))).size(), 1u);
    EXPECT_EQ(CodeOf(tx.InsertCertificate(MakeCert("999999999999", CertId(2), 1))),
              ErrorCode::kNotFound);
  });
}

TEST_P(RegistryStoreContract, CertificateListIsStableAcrossConcurrentInserts) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    // Two certificates share a creation time, so the id breaks the tie.
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(3), 10)));
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(2), 10)));
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(1), 30)));
    MustOk(tx.InsertCertificate(MakeCert(kAcct2, CertId(4), 5)));
  });
  std::vector<std::string> seen;
  std::string cursor;
  Tx([&](RegistryTx& tx) {
    auto p = Must(tx.ListCertificates(kAcct1, PageRequest{2, ""}));
    for (const auto& c : p.items) {
      seen.push_back(c.certificate_id);
    }
    cursor = p.next_cursor;
  });
  EXPECT_FALSE(cursor.empty());
  Tx([&](RegistryTx& tx) {
    // Added between pages: one sorts before the cursor (not returned), one after (returned).
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(5), 1)));
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(6), 40)));
    auto p = Must(tx.ListCertificates(kAcct1, PageRequest{2, cursor}));
    for (const auto& c : p.items) {
      seen.push_back(c.certificate_id);
    }
    EXPECT_TRUE(p.next_cursor.empty());
  });
  EXPECT_EQ(seen, (std::vector<std::string>{CertId(2), CertId(3), CertId(1), CertId(6)}));
}

TEST_P(RegistryStoreContract, TimeOrderedListsPageDescending) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(900), "CN=CA", 1)));
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(901), "CN=CA", 2)));
    // Ties on the creation time are broken by the id, descending too.
    for (auto [id, created] : {std::pair{3, 10}, {2, 10}, {1, 30}, {4, 5}}) {
      CertificateRecord c = MakeCert(kAcct1, CertId(id), created);
      c.ca_certificate_id = CertId(900);
      MustOk(tx.InsertCertificate(c));
    }
    MustOk(tx.InsertCertificate(MakeCert(kAcct2, CertId(5), 50)));
  });
  const std::vector<std::string> want = {CertId(1), CertId(3), CertId(2), CertId(4)};
  using ListFn =
      std::function<Result<registry::Page<CertificateRecord>>(RegistryTx&, const PageRequest&)>;
  const ListFn lists[] = {
      [](RegistryTx& tx, const PageRequest& p) { return tx.ListCertificates(kAcct1, p); },
      [](RegistryTx& tx, const PageRequest& p) {
        return tx.ListCertificatesByCa(kAcct1, CertId(900), p);
      }};
  for (const ListFn& list : lists) {
    std::vector<std::string> seen;
    PageRequest page{3, "", registry::SortOrder::kDescending};
    Tx([&](RegistryTx& tx) {
      do {
        auto p = Must(list(tx, page));
        for (const auto& c : p.items) {
          seen.push_back(c.certificate_id);
        }
        page.cursor = p.next_cursor;
      } while (!page.cursor.empty());
    });
    EXPECT_EQ(seen, want);
  }
  Tx([](RegistryTx& tx) {
    auto cas =
        Must(tx.ListCaCertificates(kAcct1, PageRequest{1, "", registry::SortOrder::kDescending}));
    ASSERT_EQ(cas.items.size(), 1u);
    EXPECT_EQ(cas.items[0].certificate_id, CertId(901));
    auto rest = Must(tx.ListCaCertificates(
        kAcct1, PageRequest{1, cas.next_cursor, registry::SortOrder::kDescending}));
    ASSERT_EQ(rest.items.size(), 1u);
    EXPECT_EQ(rest.items[0].certificate_id, CertId(900));
  });
}

TEST_P(RegistryStoreContract, ListRejectsBadPageRequests) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    const PageRequest bad[] = {{0, ""},
                               {251, ""},
                               {-1, ""},
                               {10, "garbage"},
                               {10, "t.x.y"},
                               {10, "n.name"},
                               {10, std::string(600, 'a')}};
    for (const auto& page : bad) {
      auto r = tx.ListCertificates(kAcct1, page);
      ASSERT_FALSE(r.has_value()) << page.page_size << " " << page.cursor;
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_FALSE(tx.ListThings(kAcct1, {}, PageRequest{10, "t.1.x"}).has_value());
    EXPECT_FALSE(tx.ListAccounts(PageRequest{300, ""}).has_value());
  });
}

TEST_P(RegistryStoreContract, CertificatesByCa) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(900), "CN=CA", 1)));
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct2, CertId(900), "CN=CA", 1)));
    for (int i = 1; i <= 3; ++i) {
      CertificateRecord c = MakeCert(kAcct1, CertId(i), i);
      c.ca_certificate_id = CertId(900);
      MustOk(tx.InsertCertificate(c));
    }
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(4), 4)));
    CertificateRecord other = MakeCert(kAcct2, CertId(5), 5);
    other.ca_certificate_id = CertId(900);
    MustOk(tx.InsertCertificate(other));
    CertificateRecord dangling = MakeCert(kAcct1, CertId(6), 6);
    dangling.ca_certificate_id = CertId(901);
    EXPECT_EQ(CodeOf(tx.InsertCertificate(dangling)), ErrorCode::kNotFound);

    EXPECT_EQ(Must(tx.CountCertificatesByCa(kAcct1, CertId(900))), 3);
    auto page1 = Must(tx.ListCertificatesByCa(kAcct1, CertId(900), PageRequest{2, ""}));
    ASSERT_EQ(page1.items.size(), 2u);
    auto page2 =
        Must(tx.ListCertificatesByCa(kAcct1, CertId(900), PageRequest{2, page1.next_cursor}));
    ASSERT_EQ(page2.items.size(), 1u);
    EXPECT_EQ(page2.items[0].certificate_id, CertId(3));
    EXPECT_TRUE(page2.next_cursor.empty());
    EXPECT_EQ(CodeOf(tx.DeleteCaCertificate(kAcct1, CertId(900)).map([](bool) {})),
              ErrorCode::kDeleteConflict);
  });
}

TEST_P(RegistryStoreContract, CaCertificates) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    CaCertificateRecord ca = MakeCa(kAcct1, CertId(1), "CN=Same", 2);
    ca.status = registry::CaCertificateStatus::kActive;
    ca.auto_registration = registry::AutoRegistrationStatus::kEnable;
    ca.mode = registry::CertificateMode::kSniOnly;
    MustOk(tx.InsertCaCertificate(ca));
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(2), "CN=Same", 1)));
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct1, CertId(3), "CN=Other", 3)));
    MustOk(tx.InsertCaCertificate(MakeCa(kAcct2, CertId(1), "CN=Same", 3)));
    EXPECT_EQ(CodeOf(tx.InsertCaCertificate(ca)), ErrorCode::kAlreadyExists);
    EXPECT_EQ(Must(tx.FindCaCertificate(kAcct1, CertId(1))), ca);

    auto same = Must(tx.FindCaCertificatesBySubject(kAcct1, "CN=Same"));
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0].certificate_id, CertId(2));
    EXPECT_EQ(Must(tx.FindCaCertificateInAllAccounts(CertId(1))).size(), 2u);
    auto list = Must(tx.ListCaCertificates(kAcct1, PageRequest{250, ""}));
    EXPECT_EQ(list.items.size(), 3u);

    ca.status = registry::CaCertificateStatus::kInactive;
    ca.registration_config = {};
    MustOk(tx.UpdateCaCertificate(ca));
    EXPECT_EQ(Must(tx.FindCaCertificate(kAcct1, CertId(1))), ca);
    EXPECT_TRUE(Must(tx.DeleteCaCertificate(kAcct1, CertId(1))));
    EXPECT_FALSE(Must(tx.FindCaCertificate(kAcct1, CertId(1))).has_value());
    EXPECT_EQ(CodeOf(tx.UpdateCaCertificate(ca)), ErrorCode::kNotFound);
  });
}

TEST_P(RegistryStoreContract, ThingsWithAttributesAndFilters) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertThing(MakeThing(kAcct1, "a", {{"color", "red"}, {"size", "10"}}, "lamp")));
    MustOk(tx.InsertThing(MakeThing(kAcct1, "b", {{"color", "reddish"}})));
    MustOk(tx.InsertThing(MakeThing(kAcct1, "c", {{"color", "r%"}}, "lamp")));
    MustOk(tx.InsertThing(MakeThing(kAcct2, "a", {{"color", "red"}})));
    EXPECT_EQ(CodeOf(tx.InsertThing(MakeThing(kAcct1, "a"))), ErrorCode::kAlreadyExists);
    EXPECT_EQ(Must(tx.FindThing(kAcct1, "a")),
              MakeThing(kAcct1, "a", {{"color", "red"}, {"size", "10"}}, "lamp"));

    auto names = [&](const registry::ThingFilter& filter) {
      std::vector<std::string> out;
      for (const auto& t : Must(tx.ListThings(kAcct1, filter, PageRequest{250, ""})).items) {
        out.push_back(t.name);
      }
      return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names({}), (V{"a", "b", "c"}));
    auto filter = [](std::optional<std::string> name, std::optional<std::string> value, bool prefix,
                     std::optional<std::string> type) {
      return registry::ThingFilter{std::move(name), std::move(value), prefix, std::move(type)};
    };
    EXPECT_EQ(names(filter(std::nullopt, std::nullopt, false, "lamp")), (V{"a", "c"}));
    EXPECT_EQ(names(filter("color", "red", false, std::nullopt)), (V{"a"}));
    EXPECT_EQ(names(filter("color", "red", true, std::nullopt)), (V{"a", "b"}));
    // '%' is literal, not a wildcard.
    EXPECT_EQ(names(filter("color", "r%", true, std::nullopt)), (V{"c"}));
    EXPECT_EQ(names(filter("size", std::nullopt, false, std::nullopt)), (V{"a"}));
    EXPECT_TRUE(names(filter("color", "red", false, "lamp")) == (V{"a"}));

    Thing updated = MakeThing(kAcct1, "a", {{"size", "11"}}, "");
    updated.version = 2;
    MustOk(tx.UpdateThing(updated));
    EXPECT_EQ(Must(tx.FindThing(kAcct1, "a")), updated);
    EXPECT_EQ(CodeOf(tx.UpdateThing(MakeThing(kAcct1, "zz"))), ErrorCode::kNotFound);

    auto first = Must(tx.ListThings(kAcct1, {}, PageRequest{2, ""}));
    ASSERT_EQ(first.items.size(), 2u);
    EXPECT_EQ(first.items[0].attributes, (registry::Attributes{{"size", "11"}}));
    auto second = Must(tx.ListThings(kAcct1, {}, PageRequest{2, first.next_cursor}));
    ASSERT_EQ(second.items.size(), 1u);
    EXPECT_EQ(second.items[0].name, "c");
    EXPECT_TRUE(second.next_cursor.empty());
  });
}

TEST_P(RegistryStoreContract, PrincipalsAndCascadeOnThingDelete) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertCertificate(MakeCert(kAcct1, CertId(1), 1)));
    MustOk(tx.InsertThing(MakeThing(kAcct1, "t1")));
    MustOk(tx.InsertThing(MakeThing(kAcct1, "t2")));
    ThingPrincipal p{kAcct1, "t1", CertId(1), ThingPrincipalType::kExclusiveThing,
                     FromEpochMillis(3)};
    MustOk(tx.UpsertThingPrincipal(p));
    p.type = ThingPrincipalType::kNonExclusiveThing;
    MustOk(tx.UpsertThingPrincipal(p));
    ThingPrincipal p2{kAcct1, "t2", CertId(1), ThingPrincipalType::kNonExclusiveThing,
                      FromEpochMillis(4)};
    MustOk(tx.UpsertThingPrincipal(p2));
    EXPECT_EQ(Must(tx.ListThingPrincipals(kAcct1, "t1")), std::vector<ThingPrincipal>{p});
    EXPECT_EQ(Must(tx.ListPrincipalThings(kAcct1, CertId(1))),
              (std::vector<ThingPrincipal>{p, p2}));
    EXPECT_TRUE(Must(tx.ListPrincipalThings(kAcct2, CertId(1))).empty());
    // Attachments need both parents.
    EXPECT_EQ(CodeOf(tx.UpsertThingPrincipal(
                  {kAcct1, "nope", CertId(1), ThingPrincipalType::kNonExclusiveThing, {}})),
              ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf(tx.UpsertThingPrincipal(
                  {kAcct2, "t1", CertId(1), ThingPrincipalType::kNonExclusiveThing, {}})),
              ErrorCode::kNotFound);
    // An attached certificate cannot be deleted underneath its things.
    EXPECT_EQ(CodeOf(tx.DeleteCertificate(kAcct1, CertId(1)).map([](bool) {})),
              ErrorCode::kDeleteConflict);
    EXPECT_TRUE(Must(tx.DeleteThingPrincipal(kAcct1, "t2", CertId(1))));
    EXPECT_FALSE(Must(tx.DeleteThingPrincipal(kAcct1, "t2", CertId(1))));
    EXPECT_TRUE(Must(tx.DeleteThing(kAcct1, "t1")));
    EXPECT_FALSE(Must(tx.DeleteThing(kAcct1, "t1")));
    EXPECT_TRUE(Must(tx.ListPrincipalThings(kAcct1, CertId(1))).empty());
    EXPECT_TRUE(Must(tx.DeleteCertificate(kAcct1, CertId(1))));
  });
}

TEST_P(RegistryStoreContract, ThingGroupsHierarchyAndMembership) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertThingGroup(MakeGroup(kAcct1, "root")));
    MustOk(tx.InsertThingGroup(MakeGroup(kAcct1, "child-b", "root")));
    MustOk(tx.InsertThingGroup(MakeGroup(kAcct1, "child-a", "root")));
    MustOk(tx.InsertThingGroup(MakeGroup(kAcct2, "root")));
    EXPECT_EQ(CodeOf(tx.InsertThingGroup(MakeGroup(kAcct1, "root"))), ErrorCode::kAlreadyExists);
    EXPECT_EQ(CodeOf(tx.InsertThingGroup(MakeGroup(kAcct1, "orphan", "missing"))),
              ErrorCode::kNotFound);
    EXPECT_EQ(Must(tx.FindThingGroup(kAcct1, "child-a")), MakeGroup(kAcct1, "child-a", "root"));

    auto children = Must(tx.ListChildThingGroups(kAcct1, "root"));
    ASSERT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0].name, "child-a");
    auto by_prefix = Must(tx.ListThingGroups(kAcct1, {std::nullopt, "child"}, PageRequest{1, ""}));
    ASSERT_EQ(by_prefix.items.size(), 1u);
    EXPECT_EQ(by_prefix.items[0].name, "child-a");
    auto next = Must(
        tx.ListThingGroups(kAcct1, {std::nullopt, "child"}, PageRequest{1, by_prefix.next_cursor}));
    ASSERT_EQ(next.items.size(), 1u);
    EXPECT_EQ(next.items[0].name, "child-b");
    EXPECT_TRUE(next.next_cursor.empty());
    EXPECT_EQ(Must(tx.ListThingGroups(kAcct1, {"root", ""}, PageRequest{10, ""})).items.size(), 2u);

    ThingGroup updated = MakeGroup(kAcct1, "child-a", "root");
    updated.description = "new";
    updated.attributes = {};
    updated.version = 2;
    MustOk(tx.UpdateThingGroup(updated));
    EXPECT_EQ(Must(tx.FindThingGroup(kAcct1, "child-a")), updated);

    MustOk(tx.InsertThing(MakeThing(kAcct1, "t1")));
    EXPECT_TRUE(Must(tx.AddThingToGroup(kAcct1, "child-a", "t1")));
    EXPECT_FALSE(Must(tx.AddThingToGroup(kAcct1, "child-a", "t1")));
    EXPECT_TRUE(Must(tx.AddThingToGroup(kAcct1, "root", "t1")));
    EXPECT_EQ(CodeOf(tx.AddThingToGroup(kAcct1, "nope", "t1").map([](bool) {})),
              ErrorCode::kNotFound);
    EXPECT_EQ(CodeOf(tx.AddThingToGroup(kAcct2, "root", "t1").map([](bool) {})),
              ErrorCode::kNotFound);
    EXPECT_EQ(Must(tx.ListThingsInGroup(kAcct1, "child-a")), std::vector<std::string>{"t1"});
    EXPECT_EQ(Must(tx.ListGroupsForThing(kAcct1, "t1")),
              (std::vector<std::string>{"child-a", "root"}));

    EXPECT_EQ(CodeOf(tx.DeleteThingGroup(kAcct1, "root").map([](bool) {})),
              ErrorCode::kDeleteConflict);
    EXPECT_TRUE(Must(tx.DeleteThingGroup(kAcct1, "child-a")));
    EXPECT_EQ(Must(tx.ListGroupsForThing(kAcct1, "t1")), std::vector<std::string>{"root"});
    EXPECT_TRUE(Must(tx.RemoveThingFromGroup(kAcct1, "root", "t1")));
    EXPECT_FALSE(Must(tx.RemoveThingFromGroup(kAcct1, "root", "t1")));
  });
}

TEST_P(RegistryStoreContract, FailedTransactionLeavesNoTrace) {
  auto r = store_->Transact([](RegistryTx& tx) -> Result<void> {
    SeedAccounts(tx);
    return Fail(ErrorCode::kCertificateState, "rule says no");
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCertificateState);
  EXPECT_EQ(r.error().message, "rule says no");
  Tx([](RegistryTx& tx) { EXPECT_FALSE(Must(tx.FindAccount(kAcct1)).has_value()); });
}

TEST_P(RegistryStoreContract, NestedTransactIsRefused) {
  std::optional<Error> inner_error;
  Tx([&](RegistryTx&) {
    auto inner = store_->Transact([](RegistryTx&) { return Ok(); });
    if (!inner) {
      inner_error = inner.error();
    }
  });
  ASSERT_TRUE(inner_error.has_value());
  EXPECT_EQ(inner_error->code, ErrorCode::kInternal);
}

TEST_P(RegistryStoreContract, ConcurrentReadModifyWriteIsSerialized) {
  Tx([](RegistryTx& tx) {
    SeedAccounts(tx);
    MustOk(tx.InsertThing(MakeThing(kAcct1, "counter")));
  });
  constexpr int kThreads = 2;
  constexpr int kIncrements = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto r = store_->Transact([](RegistryTx& tx) -> Result<void> {
          auto thing = tx.FindThing(kAcct1, "counter");
          if (!thing || !*thing) {
            return Fail(ErrorCode::kInternal, "lost the counter");
          }
          Thing next = **thing;
          ++next.version;
          return tx.UpdateThing(next);
        });
        if (!r) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  Tx([](RegistryTx& tx) {
    EXPECT_EQ(Must(tx.FindThing(kAcct1, "counter"))->version, 1 + kThreads * kIncrements);
  });
}

}  // namespace fg::store::testing
