#pragma once

// Where the audit domain gets new ids. A seam so that tests get predictable ids; production
// uses RandomIdGenerator.

#include <string>

namespace fg::audit {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // An audit task id: 32 lowercase hex characters (AWS's form).
  virtual std::string NewAuditTaskId() = 0;
  // A finding id or a mitigation action id: an RFC 4122 v4 UUID, lowercase.
  virtual std::string NewUuid() = 0;
};

// Ids from OpenSSL's CSPRNG (pki/random.h). Thread-safe; aborts if the CSPRNG fails, as
// pki/random.h does.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewAuditTaskId() override;
  std::string NewUuid() override;
};

}  // namespace fg::audit
