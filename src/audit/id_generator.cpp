#include "audit/id_generator.h"

#include "pki/random.h"

namespace fg::audit {

std::string RandomIdGenerator::NewAuditTaskId() { return pki::RandomHex(16); }

std::string RandomIdGenerator::NewUuid() { return pki::RandomUuid(); }

}  // namespace fg::audit
