#pragma once

// Bookkeeping done on every change of a certificate or CA record: lastModifiedDate, the
// customerVersion counter and a fresh generationId (AWS CertificateDescription fields), and
// the status events that announce a status change, a registration or a deletion.

#include "core/clock.h"
#include "registry/ca_certificate_record.h"
#include "registry/certificate_record.h"
#include "registry/status_events.h"

namespace fg::registry {

void Touch(CertificateRecord& record, TimePoint now);
void Touch(CaCertificateRecord& record, TimePoint now);

// The event announcing that `record` (already updated) left `old_status`.
StatusEvent CertificateEvent(const CertificateRecord& record, CertificateStatus old_status);
StatusEvent CaCertificateEvent(const CaCertificateRecord& record, CaCertificateStatus old_status);
// The events announcing that `record` was just inserted (old_status "") or deleted
// (new_status "").
StatusEvent CertificateRegisteredEvent(const CertificateRecord& record);
StatusEvent CertificateDeletedEvent(const CertificateRecord& record);
StatusEvent CaCertificateRegisteredEvent(const CaCertificateRecord& record);
StatusEvent CaCertificateDeletedEvent(const CaCertificateRecord& record);

}  // namespace fg::registry
