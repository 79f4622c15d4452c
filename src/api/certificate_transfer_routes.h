#pragma once

// The certificate transfer operations (TransferCertificate, AcceptCertificateTransfer,
// RejectCertificateTransfer, CancelCertificateTransfer). Part of the certificate area:
// AddCertificateRoutes calls it; nothing else should.

#include "api/iot_routes.h"
#include "api/router.h"
#include "core/result.h"

namespace fg::api {

Result<void> AddCertificateTransferRoutes(Router& router, const IotServices& services);

}  // namespace fg::api
