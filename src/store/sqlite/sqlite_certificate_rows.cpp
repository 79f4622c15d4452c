// SqliteRegistryTx: device certificates and CA certificates.

#include "store/sqlite/sqlite_registry_tx.h"
#include "store/sqlite/sqlite_row_ops.h"

namespace fg::store {
namespace {

using registry::CaCertificateRecord;
using registry::CertificateRecord;
using registry::Page;
using registry::PageRequest;

constexpr std::string_view kCertColumns =
    "SELECT account_id, certificate_id, pem, status, mode, ca_certificate_id, owned_by, "
    "previous_owned_by, created_ms, last_modified_ms, customer_version, generation_id, "
    "not_before_ms, not_after_ms, transfer_target, transfer_message, reject_reason, "
    "transfer_ms, accept_ms, reject_ms FROM certificates ";

constexpr std::string_view kCaColumns =
    "SELECT account_id, certificate_id, pem, subject, status, auto_registration, mode, "
    "owned_by, created_ms, last_modified_ms, customer_version, generation_id, not_before_ms, "
    "not_after_ms, template_body, role_arn, template_name FROM ca_certificates ";

// The keyset condition and order of a (created_ms, certificate_id) page: rows strictly after
// the cursor in the requested direction. `where` holds the other conditions.
std::string TimePageSql(std::string_view columns, std::string_view where, const PageRequest& page) {
  const bool descending = page.order == registry::SortOrder::kDescending;
  std::string sql(columns);
  sql += where;
  sql += descending ? " AND (?2 IS NULL OR (created_ms, certificate_id) < (?2, ?3)) "
                      "ORDER BY created_ms DESC, certificate_id DESC LIMIT ?4"
                    : " AND (?2 IS NULL OR (created_ms, certificate_id) > (?2, ?3)) "
                      "ORDER BY created_ms, certificate_id LIMIT ?4";
  return sql;
}

std::optional<TimePoint> OptionalTime(const Statement& s, int column) {
  auto v = s.OptionalInt(column);
  if (!v) {
    return std::nullopt;
  }
  return FromEpochMillis(*v);
}

std::optional<int64_t> OptionalMillis(const std::optional<TimePoint>& t) {
  if (!t) {
    return std::nullopt;
  }
  return ToEpochMillis(*t);
}

Result<CertificateRecord> ReadCertificate(const Statement& s) {
  CertificateRecord c;
  c.account_id = s.Text(0);
  c.certificate_id = s.Text(1);
  c.pem = s.Text(2);
  auto status = StoredEnum(registry::ParseCertificateStatus(s.Text(3)), "certificate status");
  auto mode = StoredEnum(registry::ParseCertificateMode(s.Text(4)), "certificate mode");
  if (!status) {
    return Fail(status.error());
  }
  if (!mode) {
    return Fail(mode.error());
  }
  c.status = *status;
  c.mode = *mode;
  c.ca_certificate_id = s.OptionalText(5);
  c.owned_by = s.Text(6);
  c.previous_owned_by = s.OptionalText(7);
  c.creation_date = FromEpochMillis(s.Int(8));
  c.last_modified_date = FromEpochMillis(s.Int(9));
  c.customer_version = s.Int(10);
  c.generation_id = s.Text(11);
  c.not_before = FromEpochMillis(s.Int(12));
  c.not_after = FromEpochMillis(s.Int(13));
  if (!s.IsNull(14)) {
    registry::TransferData t;
    t.target_account_id = s.Text(14);
    t.transfer_message = s.Text(15);
    t.reject_reason = s.Text(16);
    t.transfer_date = OptionalTime(s, 17);
    t.accept_date = OptionalTime(s, 18);
    t.reject_date = OptionalTime(s, 19);
    c.transfer = std::move(t);
  }
  return c;
}

// Binds every column in kCertColumns order, as ?1..?20.
void BindCertificate(Statement& stmt, const CertificateRecord& c) {
  BindAll(stmt, c.account_id, c.certificate_id, c.pem, registry::ToString(c.status),
          registry::ToString(c.mode), c.ca_certificate_id, c.owned_by, c.previous_owned_by,
          ToEpochMillis(c.creation_date), ToEpochMillis(c.last_modified_date), c.customer_version,
          c.generation_id, ToEpochMillis(c.not_before), ToEpochMillis(c.not_after));
  if (c.transfer) {
    stmt.Bind(15, c.transfer->target_account_id)
        .Bind(16, c.transfer->transfer_message)
        .Bind(17, c.transfer->reject_reason)
        .Bind(18, OptionalMillis(c.transfer->transfer_date))
        .Bind(19, OptionalMillis(c.transfer->accept_date))
        .Bind(20, OptionalMillis(c.transfer->reject_date));
  } else {
    for (int i = 15; i <= 20; ++i) {
      stmt.BindNull(i);
    }
  }
}

Result<CaCertificateRecord> ReadCa(const Statement& s) {
  CaCertificateRecord c;
  c.account_id = s.Text(0);
  c.certificate_id = s.Text(1);
  c.pem = s.Text(2);
  c.subject = s.Text(3);
  auto status = StoredEnum(registry::ParseCaCertificateStatus(s.Text(4)), "CA status");
  auto auto_registration =
      StoredEnum(registry::ParseAutoRegistrationStatus(s.Text(5)), "auto-registration status");
  auto mode = StoredEnum(registry::ParseCertificateMode(s.Text(6)), "CA mode");
  if (!status) {
    return Fail(status.error());
  }
  if (!auto_registration) {
    return Fail(auto_registration.error());
  }
  if (!mode) {
    return Fail(mode.error());
  }
  c.status = *status;
  c.auto_registration = *auto_registration;
  c.mode = *mode;
  c.owned_by = s.Text(7);
  c.creation_date = FromEpochMillis(s.Int(8));
  c.last_modified_date = FromEpochMillis(s.Int(9));
  c.customer_version = s.Int(10);
  c.generation_id = s.Text(11);
  c.not_before = FromEpochMillis(s.Int(12));
  c.not_after = FromEpochMillis(s.Int(13));
  c.registration_config.template_body = s.Text(14);
  c.registration_config.role_arn = s.Text(15);
  c.registration_config.template_name = s.Text(16);
  return c;
}

void BindCa(Statement& stmt, const CaCertificateRecord& c) {
  BindAll(stmt, c.account_id, c.certificate_id, c.pem, c.subject, registry::ToString(c.status),
          registry::ToString(c.auto_registration), registry::ToString(c.mode), c.owned_by,
          ToEpochMillis(c.creation_date), ToEpochMillis(c.last_modified_date), c.customer_version,
          c.generation_id, ToEpochMillis(c.not_before), ToEpochMillis(c.not_after),
          c.registration_config.template_body, c.registration_config.role_arn,
          c.registration_config.template_name);
}

// Runs a keyset query whose parameters ?1 = account, ?2/?3 = cursor (created_ms, id) or NULL,
// ?4 = limit, and optional extra parameters bound by `bind_extra`.
template <typename T, typename ReadFn, typename BindFn>
Result<Page<T>> TimePage(SqliteConnection& conn, const std::string& sql,
                         std::string_view account_id, const PageRequest& page, ReadFn read,
                         BindFn bind_extra) {
  if (auto r = registry::ValidatePageRequest(page); !r) {
    return Fail(r.error());
  }
  auto after = registry::DecodeTimeCursor(page.cursor);
  if (!after) {
    return Fail(after.error());
  }
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id);
  if (*after) {
    stmt->Bind(2, (*after)->millis).Bind(3, (*after)->id);
  } else {
    stmt->BindNull(2).BindNull(3);
  }
  stmt->Bind(4, int64_t{page.page_size} + 1);
  bind_extra(*stmt);
  auto rows = ReadAll<T>(*stmt, read);
  if (!rows) {
    return Fail(rows.error());
  }
  Page<T> out;
  out.items = std::move(*rows);
  if (out.items.size() > static_cast<size_t>(page.page_size)) {
    out.items.pop_back();
    out.next_cursor =
        registry::EncodeTimeCursor(out.items.back().creation_date, out.items.back().certificate_id);
  }
  return out;
}

}  // namespace

Result<void> SqliteRegistryTx::InsertCertificate(const CertificateRecord& cert) {
  auto stmt = conn_.Prepare(
      "INSERT INTO certificates (account_id, certificate_id, pem, status, mode, "
      "ca_certificate_id, owned_by, previous_owned_by, created_ms, last_modified_ms, "
      "customer_version, generation_id, not_before_ms, not_after_ms, transfer_target, "
      "transfer_message, reject_reason, transfer_ms, accept_ms, reject_ms) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
      "?20)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindCertificate(*stmt, cert);
  return stmt->Run();
}

Result<void> SqliteRegistryTx::UpdateCertificate(const CertificateRecord& cert) {
  auto stmt = conn_.Prepare(
      "UPDATE certificates SET pem = ?3, status = ?4, mode = ?5, ca_certificate_id = ?6, "
      "owned_by = ?7, previous_owned_by = ?8, created_ms = ?9, last_modified_ms = ?10, "
      "customer_version = ?11, generation_id = ?12, not_before_ms = ?13, not_after_ms = ?14, "
      "transfer_target = ?15, transfer_message = ?16, reject_reason = ?17, transfer_ms = ?18, "
      "accept_ms = ?19, reject_ms = ?20 WHERE account_id = ?1 AND certificate_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindCertificate(*stmt, cert);
  return RunUpdate(*stmt, "certificate");
}

Result<bool> SqliteRegistryTx::DeleteCertificate(std::string_view account_id,
                                                 std::string_view certificate_id) {
  return DeleteWhere(conn_,
                     "DELETE FROM certificates WHERE account_id = ?1 AND certificate_id = ?2",
                     account_id, certificate_id);
}

Result<std::optional<CertificateRecord>> SqliteRegistryTx::FindCertificate(
    std::string_view account_id, std::string_view certificate_id) {
  return SelectOne<CertificateRecord>(
      conn_, Sql(kCertColumns, "WHERE account_id = ?1 AND certificate_id = ?2"), ReadCertificate,
      account_id, certificate_id);
}

Result<std::vector<CertificateRecord>> SqliteRegistryTx::FindCertificateInAllAccounts(
    std::string_view certificate_id) {
  return SelectAll<CertificateRecord>(
      conn_, Sql(kCertColumns, "WHERE certificate_id = ?1 ORDER BY account_id"), ReadCertificate,
      certificate_id);
}

Result<Page<CertificateRecord>> SqliteRegistryTx::ListCertificates(std::string_view account_id,
                                                                   const PageRequest& page) {
  return TimePage<CertificateRecord>(conn_,
                                     TimePageSql(kCertColumns, "WHERE account_id = ?1", page),
                                     account_id, page, ReadCertificate, [](Statement&) {});
}

Result<Page<CertificateRecord>> SqliteRegistryTx::ListCertificatesByCa(
    std::string_view account_id, std::string_view ca_certificate_id, const PageRequest& page) {
  return TimePage<CertificateRecord>(
      conn_, TimePageSql(kCertColumns, "WHERE account_id = ?1 AND ca_certificate_id = ?5", page),
      account_id, page, ReadCertificate, [&](Statement& stmt) { stmt.Bind(5, ca_certificate_id); });
}

Result<int64_t> SqliteRegistryTx::CountCertificatesByCa(std::string_view account_id,
                                                        std::string_view ca_certificate_id) {
  auto stmt = conn_.Prepare(
      "SELECT count(*) FROM certificates WHERE account_id = ?1 AND ca_certificate_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  stmt->Bind(1, account_id).Bind(2, ca_certificate_id);
  auto row = stmt->Step();
  if (!row) {
    return Fail(row.error());
  }
  return *row ? stmt->Int(0) : 0;
}

Result<void> SqliteRegistryTx::InsertCaCertificate(const CaCertificateRecord& ca) {
  auto stmt = conn_.Prepare(
      "INSERT INTO ca_certificates (account_id, certificate_id, pem, subject, status, "
      "auto_registration, mode, owned_by, created_ms, last_modified_ms, customer_version, "
      "generation_id, not_before_ms, not_after_ms, template_body, role_arn, template_name) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindCa(*stmt, ca);
  return stmt->Run();
}

Result<void> SqliteRegistryTx::UpdateCaCertificate(const CaCertificateRecord& ca) {
  auto stmt = conn_.Prepare(
      "UPDATE ca_certificates SET pem = ?3, subject = ?4, status = ?5, auto_registration = ?6, "
      "mode = ?7, owned_by = ?8, created_ms = ?9, last_modified_ms = ?10, "
      "customer_version = ?11, generation_id = ?12, not_before_ms = ?13, not_after_ms = ?14, "
      "template_body = ?15, role_arn = ?16, template_name = ?17 "
      "WHERE account_id = ?1 AND certificate_id = ?2");
  if (!stmt) {
    return Fail(stmt.error());
  }
  BindCa(*stmt, ca);
  return RunUpdate(*stmt, "CA certificate");
}

Result<bool> SqliteRegistryTx::DeleteCaCertificate(std::string_view account_id,
                                                   std::string_view certificate_id) {
  return DeleteWhere(conn_,
                     "DELETE FROM ca_certificates WHERE account_id = ?1 AND certificate_id = ?2",
                     account_id, certificate_id);
}

Result<std::optional<CaCertificateRecord>> SqliteRegistryTx::FindCaCertificate(
    std::string_view account_id, std::string_view certificate_id) {
  return SelectOne<CaCertificateRecord>(
      conn_, Sql(kCaColumns, "WHERE account_id = ?1 AND certificate_id = ?2"), ReadCa, account_id,
      certificate_id);
}

Result<std::vector<CaCertificateRecord>> SqliteRegistryTx::FindCaCertificateInAllAccounts(
    std::string_view certificate_id) {
  return SelectAll<CaCertificateRecord>(
      conn_, Sql(kCaColumns, "WHERE certificate_id = ?1 ORDER BY account_id"), ReadCa,
      certificate_id);
}

Result<std::vector<CaCertificateRecord>> SqliteRegistryTx::FindCaCertificatesBySubject(
    std::string_view account_id, std::string_view subject) {
  return SelectAll<CaCertificateRecord>(
      conn_,
      Sql(kCaColumns, "WHERE account_id = ?1 AND subject = ?2 ORDER BY created_ms, certificate_id"),
      ReadCa, account_id, subject);
}

Result<Page<CaCertificateRecord>> SqliteRegistryTx::ListCaCertificates(std::string_view account_id,
                                                                       const PageRequest& page) {
  return TimePage<CaCertificateRecord>(conn_,
                                       TimePageSql(kCaColumns, "WHERE account_id = ?1", page),
                                       account_id, page, ReadCa, [](Statement&) {});
}

}  // namespace fg::store
