#pragma once

// A structural DER check (X.690 §10 and §11, with RFC 5280's time forms) that needs no ASN.1
// schema: the bytes must be exactly one TLV, and every TLV in it must be in the one encoding DER
// allows. OpenSSL's decoder is BER-lenient and keeps some received encodings verbatim (a Name's
// bytes, an extension's extnValue), so this is how the certificate factories find a second
// encoding of the same value inside the signed part.
//
// Refused: the high-tag-number form for a tag below 31; an indefinite or non-minimal length;
// a universal type other than SEQUENCE/SET in constructed form (BER's segmented strings) or
// SEQUENCE/SET in primitive form; BOOLEAN other than 0x00/0xFF; an INTEGER or ENUMERATED that is
// empty or not minimal; a BIT STRING with more than 7 unused bits or non-zero padding bits;
// NULL with content; a SET whose elements are not in ascending order of their encodings
// (§11.6); a UTCTime other than YYMMDDHHMMSSZ and a GeneralizedTime other than
// YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5); nesting deeper than 64.
// Not checked (they need the schema): DEFAULT values written out, and the contents of OCTET
// STRING and BIT STRING values, which are not looked into.
//
// Pure function of its input; never throws. Errors are ErrorCode::kInvalidArgument with the
// offset and the rule, e.g. "non-minimal length at offset 4".

#include <string_view>
#include <vector>

#include "core/result.h"

namespace fg::pki {

Result<void> CheckStrictDer(std::string_view der);

// One TLV of a value that passed CheckStrictDer.
struct DerElement {
  unsigned char identifier = 0;  // the (single) identifier octet; every tag in X.509 is below 31
  std::string_view content;
  std::string_view whole;
};

// The elements inside the constructed TLV `tlv` (or, for a primitive one, the TLVs its content
// holds), for a `tlv` that passed CheckStrictDer or is an element of one that did. On other
// input it stops at the first element that does not fit; it never reads out of bounds.
std::vector<DerElement> StrictDerElements(std::string_view tlv);

}  // namespace fg::pki
