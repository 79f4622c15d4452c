#include "registry/revision.h"

#include "pki/random.h"

namespace fg::registry {

void Touch(CertificateRecord& record, TimePoint now) {
  record.last_modified_date = now;
  ++record.customer_version;
  record.generation_id = pki::RandomUuid();
}

void Touch(CaCertificateRecord& record, TimePoint now) {
  record.last_modified_date = now;
  ++record.customer_version;
  record.generation_id = pki::RandomUuid();
}

StatusEvent CertificateEvent(const CertificateRecord& record, CertificateStatus old_status) {
  return StatusEvent{StatusEventKind::kCertificate, record.account_id, record.certificate_id,
                     std::string(ToString(old_status)), std::string(ToString(record.status))};
}

StatusEvent CaCertificateEvent(const CaCertificateRecord& record, CaCertificateStatus old_status) {
  return StatusEvent{StatusEventKind::kCaCertificate, record.account_id, record.certificate_id,
                     std::string(ToString(old_status)), std::string(ToString(record.status))};
}

StatusEvent CertificateRegisteredEvent(const CertificateRecord& record) {
  return StatusEvent{StatusEventKind::kCertificate, record.account_id, record.certificate_id, "",
                     std::string(ToString(record.status))};
}

StatusEvent CertificateDeletedEvent(const CertificateRecord& record) {
  return StatusEvent{StatusEventKind::kCertificate, record.account_id, record.certificate_id,
                     std::string(ToString(record.status)), ""};
}

StatusEvent CaCertificateRegisteredEvent(const CaCertificateRecord& record) {
  return StatusEvent{StatusEventKind::kCaCertificate, record.account_id, record.certificate_id, "",
                     std::string(ToString(record.status))};
}

StatusEvent CaCertificateDeletedEvent(const CaCertificateRecord& record) {
  return StatusEvent{StatusEventKind::kCaCertificate, record.account_id, record.certificate_id,
                     std::string(ToString(record.status)), ""};
}

}  // namespace fg::registry
