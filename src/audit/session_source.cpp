#include "audit/session_source.h"

#include <utility>

namespace fg::audit {

InMemorySessionSource::InMemorySessionSource(std::vector<CertificateSessions> certificates)
    : certificates_(std::move(certificates)) {}

Result<std::optional<CertificateSessions>> InMemorySessionSource::Next() {
  if (next_ >= certificates_.size()) {
    return std::optional<CertificateSessions>();
  }
  return std::optional<CertificateSessions>(std::move(certificates_[next_++]));
}

}  // namespace fg::audit
