#pragma once

// Bookkeeping done on every change of a certificate or CA record: lastModifiedDate, the
// customerVersion counter and a fresh generationId (AWS CertificateDescription fields), and
// the status event that announces a status change.

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

}  // namespace fg::registry
