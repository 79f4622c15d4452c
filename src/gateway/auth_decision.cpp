#include "gateway/auth_decision.h"

#include "pki/random.h"

namespace fg::gateway {

std::string_view RefusalReasonName(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kNoClientCertificate:
      return "NO_CLIENT_CERTIFICATE";
    case RefusalReason::kMalformedCertificate:
      return "MALFORMED_CERTIFICATE";
    case RefusalReason::kAlpnMismatch:
      return "ALPN_MISMATCH";
    case RefusalReason::kBadSignatureAlgorithm:
      return "UNSUPPORTED_SIGNATURE_ALGORITHM";
    case RefusalReason::kExpired:
      return "CERTIFICATE_EXPIRED";
    case RefusalReason::kNotYetValid:
      return "CERTIFICATE_NOT_YET_VALID";
    case RefusalReason::kUnknownEndpoint:
      return "UNKNOWN_ENDPOINT";
    case RefusalReason::kSniRequired:
      return "SNI_REQUIRED";
    case RefusalReason::kAmbiguousWithoutSni:
      return "AMBIGUOUS_WITHOUT_SNI";
    case RefusalReason::kNotRegistered:
      return "CERTIFICATE_NOT_REGISTERED";
    case RefusalReason::kInactive:
      return "CERTIFICATE_INACTIVE";
    case RefusalReason::kRevoked:
      return "CERTIFICATE_REVOKED";
    case RefusalReason::kPendingTransfer:
      return "CERTIFICATE_PENDING_TRANSFER";
    case RefusalReason::kPendingActivation:
      return "CERTIFICATE_PENDING_ACTIVATION";
    case RefusalReason::kJitrRegistered:
      return "JITR_REGISTERED";
    case RefusalReason::kCaInactive:
      return "CA_INACTIVE";
    case RefusalReason::kChainInvalid:
      return "CHAIN_INVALID";
    case RefusalReason::kRegistryUnavailable:
      return "REGISTRY_UNAVAILABLE";
  }
  return "UNKNOWN";
}

registry::RefusedConnection MakeRefusedRecord(const ConnectionAttempt& attempt,
                                              const Refusal& refusal, std::string_view node_id) {
  registry::RefusedConnection record;
  record.id = pki::RandomUuid();
  record.time = attempt.now;
  record.account_id = refusal.account_id;
  record.certificate_id = refusal.certificate_id;
  record.sni = attempt.server_name;
  record.source_ip = attempt.peer_ip;
  record.source_port = attempt.peer_port;
  record.reason = std::string(RefusalReasonName(refusal.reason));
  record.node_id = std::string(node_id);
  return record;
}

}  // namespace fg::gateway
